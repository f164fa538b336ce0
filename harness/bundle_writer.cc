#include "harness/bundle_writer.h"

#include <rapidjson/document.h>     // for parsing the provenance object back
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <unistd.h>

#include <fmt/format.h>

#include <atomic>
#include <cmath>
#include <optional>
#include <string_view>
#include <utility>
#include <filesystem>
#include <fstream>

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

std::string queries_jsonl(const Bundle& b) {
  rapidjson::StringBuffer buffer;
  const Queries& q = b.queries;
  for (std::size_t i = 0; i < q.size(); ++i) {
    JsonWriter w(buffer);
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
    buffer.Put('\n');
  }
  return std::string(buffer.GetString(), buffer.GetSize());
}

std::string responses_jsonl(const Bundle& b) {
  rapidjson::StringBuffer buffer;
  const Responses& r = b.responses;
  const bool with_text = !r.text.empty();
  for (std::size_t q = 0; q < b.query_count(); ++q) {
    for (std::size_t m = 0; m < b.model_count(); ++m) {
      const std::size_t c = r.cell(q, m);
      const Model& model = b.manifest.models[m];
      JsonWriter w(buffer);
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
      buffer.Put('\n');
    }
  }
  return std::string(buffer.GetString(), buffer.GetSize());
}

}  // namespace

namespace {

// The first line of `text` longer than `limit` bytes: its 0-based index and length.
std::optional<std::pair<std::size_t, std::size_t>> line_over(std::string_view text, std::size_t limit) {
  std::size_t index = 0;
  for (std::size_t begin = 0; begin < text.size(); ++index) {
    std::size_t end = text.find('\n', begin);
    if (end == std::string_view::npos) end = text.size();
    if (end - begin > limit) return std::pair{index, end - begin};
    begin = end + 1;
  }
  return std::nullopt;
}

void check_line_lengths(const Bundle& b, const std::filesystem::path& root, const std::string& queries,
                        const std::string& responses) {
  const std::size_t limit = LoadOptions{}.max_line_bytes;
  auto refuse = [&](const char* file, std::size_t index, std::size_t bytes, const std::string& what) {
    throw InputError((root / file).string(), index + 1,
                     fmt::format("the line of {} would be {} bytes, over the {}-byte line limit of bundle "
                                 "files, so the bundle could not be loaded; nothing was written",
                                 what, bytes, limit));
  };
  if (const auto over = line_over(queries, limit)) {
    refuse("queries.jsonl", over->first, over->second, fmt::format("query \"{}\"", b.queries.id[over->first]));
  }
  if (const auto over = line_over(responses, limit)) {
    const std::size_t models = b.model_count();
    refuse("responses.jsonl", over->first, over->second,
           fmt::format("query \"{}\" and model \"{}\"", b.queries.id[over->first / models],
                       b.manifest.models[over->first % models].name));
  }
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
  const std::string files[3][2] = {{"manifest.json", manifest_json(bundle.manifest)},
                                   {"queries.jsonl", queries_jsonl(bundle)},
                                   {"responses.jsonl", responses_jsonl(bundle)}};
  check_line_lengths(bundle, root, files[1][1], files[2][1]);

  std::error_code ec;
  if (root.has_parent_path()) fs::create_directories(root.parent_path(), ec);
  if (ec) throw InputError(root.parent_path().string(), 0, "cannot create directory: " + ec.message());
  const fs::path staged = staging_dir_for(root);
  fs::create_directory(staged, ec);
  if (ec) throw InputError(staged.string(), 0, "cannot create directory: " + ec.message());
  try {
    for (const auto& [name, bytes] : files) write_file(staged / name, bytes);
    if (check) check(staged.string());
    if (!fs::exists(root)) {
      fs::rename(staged, root, ec);
      if (ec) throw InputError(dir, 0, "cannot create: " + ec.message());
      return;
    }
    for (const auto& [name, bytes] : files) {
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
