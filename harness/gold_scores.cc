#include "harness/gold_scores.h"

#include <rapidjson/document.h>
#include <rapidjson/error/en.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <fmt/format.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <limits>
#include <optional>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "harness/atomic_file.h"
#include "harness/bundle.h"
#include "harness/bundle_loader.h"
#include "harness/bundle_writer.h"
#include "harness/content_hash.h"
#include "harness/error.h"
#include "harness/input_file.h"
#include "harness/json_checks.h"
#include "harness/jsonl_lines.h"

namespace zooter {
namespace {

namespace fs = std::filesystem;
using Writer = rapidjson::Writer<rapidjson::StringBuffer>;

std::string read_text(const fs::path& path) {
  return read_input_file(path.string());
}

// Declares options.metric for the subsets without one; returns how many.
std::size_t declare_metrics(Manifest& m, const std::string& dir, const Metric* metric) {
  std::string undeclared;
  for (const Subset& s : m.subsets) {
    if (!s.has_metric) undeclared += (undeclared.empty() ? "" : ", ") + s.id;
  }
  if (undeclared.empty()) {
    if (metric != nullptr) {
      throw UsageError(fmt::format("--metric: every subset of {} declares its metric already", dir));
    }
    return 0;
  }
  if (metric == nullptr) {
    throw UsageError(fmt::format("subsets of {} without a metric ({}): give --metric NAME --metric-min X "
                                 "--metric-max Y, the scale the gold scores are on",
                                 dir, undeclared));
  }
  std::size_t declared = 0;
  for (Subset& s : m.subsets) {
    if (s.has_metric) continue;
    s.metric = *metric;
    s.has_metric = true;
    ++declared;
  }
  return declared;
}

// The gold of every cell (query-major, as Responses), read from the scores file. Throws
// InputError with every problem of the file.
std::vector<double> read_scores(const Bundle& bundle, const std::string& path, ContentHash& hash) {
  const Manifest& m = bundle.manifest;
  const std::size_t n_models = bundle.model_count();
  std::unordered_map<std::string_view, std::size_t> query_row;
  for (std::size_t q = 0; q < bundle.query_count(); ++q) query_row[bundle.queries.id[q]] = q;
  std::vector<double> gold(bundle.query_count() * n_models, std::numeric_limits<double>::quiet_NaN());
  std::vector<std::size_t> seen_at(gold.size(), 0);

  ProblemList problems(path);
  const LoadOptions options;
  for_each_jsonl_line(path, options, problems, hash, [&](const JsonlLine& jl) {
    auto problem = [&](const std::string& message) { problems.add(jl.number, message, jl.excerpt); };
    rapidjson::Document d;
    d.Parse<kJsonParseFlags>(jl.text.data(), jl.text.size());  // strings must be UTF-8
    if (d.HasParseError()) {
      return problem(fmt::format("column {}: invalid JSON: {}", d.GetErrorOffset() + 1,
                                 rapidjson::GetParseError_En(d.GetParseError())));
    }
    if (const std::optional<DuplicateKey> duplicate = find_duplicate_key(jl.text)) {
      return problem(duplicate_key_message(*duplicate));
    }
    if (!d.IsObject()) return problem("expected a JSON object");
    bool ok = true;
    for (const auto& member : d.GetObject()) {
      const std::string_view key(member.name.GetString(), member.name.GetStringLength());
      if (key != "query" && key != "model" && key != "gold" && key != "meta") {
        problem(fmt::format("unknown field \"{}\" (known: query, model, gold, meta)", key));
        ok = false;
      }
    }
    auto text = [&](const char* key) -> std::string_view {
      auto it = d.FindMember(key);
      if (it == d.MemberEnd() || !it->value.IsString()) {
        problem(fmt::format("\"{}\": expected a string", key));
        ok = false;
        return {};
      }
      return {it->value.GetString(), it->value.GetStringLength()};
    };
    const std::string_view query = text("query");
    const std::string_view model = text("model");
    double x = 0.0;
    if (auto it = d.FindMember("gold"); it == d.MemberEnd() || !it->value.IsNumber()) {
      problem("\"gold\": expected a number");
      ok = false;
    } else {
      x = it->value.GetDouble();
    }
    if (!ok) return;
    const auto q = query_row.find(query);
    const auto mi = m.find_model(model);
    if (q == query_row.end()) problem(fmt::format("unknown query \"{}\" (not in the bundle's queries.jsonl)", query));
    if (!mi) problem(fmt::format("unknown model \"{}\" (not in the bundle's manifest.json)", model));
    if (q == query_row.end() || !mi) return;
    const Subset& subset = m.subsets[bundle.queries.subset[q->second]];
    if (!(x >= subset.metric.min && x <= subset.metric.max)) {
      return problem(fmt::format("gold: {} is outside the scale [{}, {}] of subset \"{}\"", x, subset.metric.min,
                                 subset.metric.max, subset.id));
    }
    const std::size_t c = q->second * n_models + *mi;
    if (seen_at[c] != 0) {
      return problem(fmt::format("duplicate gold for query \"{}\" and model \"{}\" (first at line {})", query,
                                 model, seen_at[c]));
    }
    seen_at[c] = jl.number;
    gold[c] = x;
  });
  if (problems.empty()) {
    for (std::size_t c = 0; c < gold.size(); ++c) {
      if (seen_at[c] == 0) {
        problems.add(0, fmt::format("missing gold for query \"{}\" and model \"{}\"",
                                    bundle.queries.id[c / n_models], m.models[c % n_models].name));
      }
    }
  }
  problems.throw_if_any();
  return gold;
}

// responses.jsonl with "gold" put after "model" on every line; every other field kept as it is.
std::string responses_with_gold(const Bundle& bundle, const fs::path& path, const std::vector<double>& gold) {
  const std::string text = read_text(path);
  std::unordered_map<std::string_view, std::size_t> query_row;
  for (std::size_t q = 0; q < bundle.query_count(); ++q) query_row[bundle.queries.id[q]] = q;
  std::string out;
  out.reserve(text.size() + text.size() / 8);
  for (std::size_t begin = 0; begin < text.size();) {
    std::size_t end = text.find('\n', begin);
    if (end == std::string::npos) end = text.size();
    std::string_view line(text.data() + begin, end - begin);
    begin = end + 1;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    // load_bundle accepted the file just now, so each line is an object with a known cell.
    rapidjson::Document d;
    d.Parse<rapidjson::kParseFullPrecisionFlag>(line.data(), line.size());
    const std::size_t q = query_row.at(std::string_view(d["query"].GetString(), d["query"].GetStringLength()));
    const std::size_t m = *bundle.manifest.find_model(d["model"].GetString());
    rapidjson::StringBuffer buffer;
    Writer w(buffer);
    w.StartObject();
    for (const auto& member : d.GetObject()) {
      const std::string_view name(member.name.GetString(), member.name.GetStringLength());
      if (name == "gold") continue;  // an interrupted earlier run's: replaced below
      member.name.Accept(w);
      member.value.Accept(w);
      if (name == "model") {
        w.Key("gold");
        w.Double(gold[bundle.responses.cell(q, m)]);
      }
    }
    w.EndObject();
    out.append(buffer.GetString(), buffer.GetSize());
    out += '\n';
  }
  return out;
}

}  // namespace

GoldSummary add_gold(const std::string& dir, const GoldOptions& options) {
  LoadOptions load;
  load.allow_gold_pending = true;
  load.ignore_pending_gold = true;  // left by an interrupted run of this command: replaced
  Bundle bundle = load_bundle(dir, load);
  Manifest& m = bundle.manifest;
  if (!m.gold_pending) {
    throw InputError((fs::path(dir) / "manifest.json").string(), 0,
                     "gold is not pending: every response has its gold already");
  }
  GoldSummary summary;
  summary.metrics_declared = declare_metrics(m, dir, options.metric);
  ContentHash hash;
  const std::vector<double> gold = read_scores(bundle, options.scores_path, hash);
  summary.scores = gold.size();

  const fs::path in(dir), out(options.out_dir);
  const std::string responses = responses_with_gold(bundle, in / "responses.jsonl", gold);
  m.gold_pending = false;
  // Provenance keeps where the gold came from, by content: the path depends on where one runs.
  rapidjson::Document provenance;
  provenance.Parse(m.provenance_json.c_str());
  if (provenance.HasParseError() || !provenance.IsObject()) provenance.SetObject();
  auto& allocator = provenance.GetAllocator();
  rapidjson::Value added(rapidjson::kObjectType);
  const std::string file_name = fs::path(options.scores_path).filename().string();
  const std::string hash_hex = hash.hex();
  added.AddMember("scores_file", rapidjson::Value(file_name.c_str(), allocator), allocator);
  added.AddMember("scores_hash", rapidjson::Value(hash_hex.c_str(), allocator), allocator);
  provenance.RemoveMember("gold_added");
  provenance.AddMember("gold_added", added, allocator);
  rapidjson::StringBuffer buffer;
  Writer w(buffer);
  provenance.Accept(w);
  m.provenance_json = buffer.GetString();

  std::error_code ec;
  fs::create_directories(out, ec);
  if (ec) throw InputError(options.out_dir, 0, "cannot create directory: " + ec.message());
  const bool in_place = fs::equivalent(in, out, ec);
  if (!in_place) write_file_atomically((out / "queries.jsonl").string(), read_text(in / "queries.jsonl"));
  // Responses first: a crash between the two leaves gold in a still-pending bundle, which the
  // loader rejects (never a bundle that claims gold it lacks), and rerunning this command on it
  // completes it (the loader's ignore_pending_gold).
  write_file_atomically((out / "responses.jsonl").string(), responses);
  write_file_atomically((out / "manifest.json").string(), manifest_json(m));
  return summary;
}

}  // namespace zooter
