#include "harness/bundle_writer.h"

#include <rapidjson/document.h>     // for parsing the provenance object back
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <unistd.h>

#include <fmt/format.h>

#include <atomic>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <utility>

#include "harness/bundle.h"
#include "harness/bundle_loader.h"
#include "harness/error.h"

namespace zooter {
namespace {

using JsonWriter = rapidjson::Writer<rapidjson::StringBuffer>;

void key(JsonWriter& w, const char* name) { w.Key(name); }
void str(JsonWriter& w, const std::string& s) {
  w.String(s.data(), static_cast<rapidjson::SizeType>(s.size()));
}

void write_file(const std::filesystem::path& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) throw InputError(path.string(), 0, "cannot open for writing");
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  if (!out.flush()) throw InputError(path.string(), 0, "write failed");
}

}  // namespace

std::string manifest_json(const Manifest& m) {
  rapidjson::StringBuffer buffer;
  JsonWriter w(buffer);
  w.StartObject();
  key(w, "format"); w.String("zooter-bundle");
  key(w, "version"); w.Int(1);
  key(w, "suite"); str(w, m.suite);
  key(w, "description"); str(w, m.description);
  key(w, "simulated"); w.Bool(m.simulated);
  if (m.gold_pending) { key(w, "gold"); w.String("pending"); }
  key(w, "splits");
  w.StartArray();
  for (const Split& s : m.splits) {
    w.StartObject();
    key(w, "name"); str(w, s.name);
    key(w, "gold_for_training"); w.Bool(s.gold_for_training);
    w.EndObject();
  }
  w.EndArray();
  key(w, "groups");
  w.StartArray();
  for (const Group& g : m.groups) {
    w.StartObject();
    key(w, "name"); str(w, g.name);
    key(w, "display"); w.String(g.display == GroupDisplay::kPercent ? "percent" : "raw");
    key(w, "subsets");
    w.StartArray();
    for (std::size_t s : g.subsets) {
      const Subset& subset = m.subsets[s];
      w.StartObject();
      key(w, "id"); str(w, subset.id);
      key(w, "name"); str(w, subset.name);
      if (subset.has_metric) {
        key(w, "metric");
        w.StartObject();
        key(w, "name"); str(w, subset.metric.name);
        key(w, "min"); w.Double(subset.metric.min);
        key(w, "max"); w.Double(subset.metric.max);
        key(w, "higher_is_better"); w.Bool(subset.metric.higher_is_better);
        w.EndObject();
      }
      w.EndObject();
    }
    w.EndArray();
    w.EndObject();
  }
  w.EndArray();
  key(w, "models");
  w.StartArray();
  for (const Model& model : m.models) {
    w.StartObject();
    key(w, "name"); str(w, model.name);
    key(w, "parameters"); w.Double(model.parameters);
    if (model.price_per_million_input && model.price_per_million_output) {
      key(w, "price_per_million_input"); w.Double(*model.price_per_million_input);
      key(w, "price_per_million_output"); w.Double(*model.price_per_million_output);
    }
    w.EndObject();
  }
  w.EndArray();
  key(w, "reward_models");
  w.StartArray();
  for (const RewardModel& rm : m.reward_models) {
    w.StartObject();
    key(w, "name"); str(w, rm.name);
    key(w, "parameters"); w.Double(rm.parameters);
    w.EndObject();
  }
  w.EndArray();
  key(w, "provenance");
  rapidjson::Document provenance;
  provenance.Parse(m.provenance_json.c_str());
  if (provenance.HasParseError() || !provenance.IsObject()) provenance.SetObject();
  provenance.Accept(w);
  w.EndObject();
  return std::string(buffer.GetString(), buffer.GetSize()) + "\n";
}

namespace {

// Writes a JSONL file line by line through a buffer of about a megabyte, so a bundle of any
// size is written without holding its text (a 1M-query bundle's responses.jsonl is 1.5 GB).
// Each line is checked against the loader's line limit as it is made: a line over it would
// give a bundle that cannot be loaded.
class JsonlFile {
 public:
  JsonlFile(std::filesystem::path staged, std::filesystem::path shown)
      : path_(std::move(staged)), shown_(std::move(shown)), out_(path_, std::ios::binary | std::ios::trunc) {
    if (!out_) throw InputError(path_.string(), 0, "cannot open for writing");
  }

  // A writer for the next line, on the file's buffer.
  JsonWriter line() {
    line_start_ = buffer_.GetSize();
    return JsonWriter(buffer_);
  }
  // Ends the line begun by line(); `what` names it in the error when it is over the limit.
  template <typename What>
  void end_line(What what) {
    const std::size_t bytes = buffer_.GetSize() - line_start_;
    if (bytes > limit_) {
      throw InputError(shown_.string(), lines_ + 1,
                       fmt::format("the line of {} would be {} bytes, over the {}-byte line limit of bundle "
                                   "files, so the bundle could not be loaded; nothing was written",
                                   what(), bytes, limit_));
    }
    buffer_.Put('\n');
    ++lines_;
    if (buffer_.GetSize() >= kFlushBytes) flush();
  }
  void close() {
    flush();
    if (!out_.flush()) throw InputError(path_.string(), 0, "write failed");
  }

 private:
  static constexpr std::size_t kFlushBytes = 1u << 20;

  void flush() {
    out_.write(buffer_.GetString(), static_cast<std::streamsize>(buffer_.GetSize()));
    if (!out_) throw InputError(path_.string(), 0, "write failed");
    buffer_.Clear();
  }

  std::filesystem::path path_;   // the staged file
  std::filesystem::path shown_;  // the file as errors name it (in the bundle's directory)
  std::ofstream out_;
  rapidjson::StringBuffer buffer_;
  std::size_t line_start_ = 0;
  std::size_t lines_ = 0;
  const std::size_t limit_ = LoadOptions{}.max_line_bytes;
};

void write_queries(const Bundle& b, JsonlFile& file) {
  const Queries& q = b.queries;
  for (std::size_t i = 0; i < q.size(); ++i) {
    JsonWriter w = file.line();
    w.StartObject();
    key(w, "id"); str(w, q.id[i]);
    key(w, "subset"); str(w, b.manifest.subsets[q.subset[i]].id);
    key(w, "split"); str(w, b.manifest.splits[q.split[i]].name);
    key(w, "text"); str(w, q.text[i]);
    key(w, "tags");
    w.StartArray();
    for (std::uint32_t t : q.tags(i)) str(w, b.tag_names[t]);
    w.EndArray();
    key(w, "input_tokens"); w.Uint(q.input_tokens[i]);
    w.EndObject();
    file.end_line([&] { return fmt::format("query \"{}\"", q.id[i]); });
  }
  file.close();
}

void write_responses(const Bundle& b, JsonlFile& file) {
  const Responses& r = b.responses;
  const bool with_text = !r.text.empty();
  for (std::size_t q = 0; q < b.query_count(); ++q) {
    for (std::size_t m = 0; m < b.model_count(); ++m) {
      const std::size_t c = r.cell(q, m);
      const Model& model = b.manifest.models[m];
      JsonWriter w = file.line();
      w.StartObject();
      key(w, "query"); str(w, b.queries.id[q]);
      key(w, "model"); str(w, model.name);
      if (!b.manifest.gold_pending) { key(w, "gold"); w.Double(r.gold[c]); }
      key(w, "output_tokens"); w.Uint(r.output_tokens[c]);
      // A bundle keeps prices or per-response costs, not both: costs derived from prices are
      // recomputed on load, so only costs that came from the data are written.
      const bool priced = model.price_per_million_input && model.price_per_million_output;
      if (!priced && std::isfinite(r.dollars[c])) {
        key(w, "cost"); w.Double(r.dollars[c]);
      }
      if (with_text) { key(w, "text"); str(w, r.text[c]); }
      if (!r.rewards.empty()) {
        key(w, "rewards");
        w.StartObject();
        for (std::size_t k = 0; k < r.rewards.size(); ++k) {
          str(w, b.manifest.reward_models[k].name);
          w.Double(r.rewards[k][c]);
        }
        w.EndObject();
      }
      w.EndObject();
      file.end_line([&] {
        return fmt::format("query \"{}\" and model \"{}\"", b.queries.id[q], model.name);
      });
    }
  }
  file.close();
}

// A directory beside `root` (same file system, so a rename moves it) that no other writer uses.
std::filesystem::path staging_dir_for(const std::filesystem::path& root) {
  static std::atomic<unsigned> counter{0};
  const std::filesystem::path parent = root.has_parent_path() ? root.parent_path() : std::filesystem::path(".");
  return parent / fmt::format(".{}.partial-{}-{}", root.filename().string(), ::getpid(), counter++);
}

}  // namespace

void write_bundle(const Bundle& bundle, const std::string& dir,
                  const std::function<void(const std::string& staged_dir)>& check) {
  namespace fs = std::filesystem;
  fs::path root = fs::path(dir).lexically_normal();
  if (!root.has_filename() && root.has_parent_path()) root = root.parent_path();  // "out/"
  const char* const names[] = {"manifest.json", "queries.jsonl", "responses.jsonl"};

  std::error_code ec;
  if (root.has_parent_path()) fs::create_directories(root.parent_path(), ec);
  if (ec) throw InputError(root.parent_path().string(), 0, "cannot create directory: " + ec.message());
  const fs::path staged = staging_dir_for(root);
  fs::create_directory(staged, ec);
  if (ec) throw InputError(staged.string(), 0, "cannot create directory: " + ec.message());
  try {
    write_file(staged / names[0], manifest_json(bundle.manifest));
    {
      JsonlFile queries(staged / names[1], root / names[1]);
      write_queries(bundle, queries);
    }
    {
      JsonlFile responses(staged / names[2], root / names[2]);
      write_responses(bundle, responses);
    }
    if (check) check(staged.string());
    if (!fs::exists(root)) {
      fs::rename(staged, root, ec);
      if (ec) throw InputError(dir, 0, "cannot create: " + ec.message());
      return;
    }
    for (const char* name : names) {
      fs::rename(staged / name, root / name, ec);
      if (ec) throw InputError((root / name).string(), 0, "cannot replace: " + ec.message());
    }
    fs::remove(staged, ec);
  } catch (...) {
    fs::remove_all(staged, ec);
    throw;
  }
}

}  // namespace zooter
