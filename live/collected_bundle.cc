#include "live/collected_bundle.h"

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <limits>

#include "harness/atomic_file.h"
#include "harness/bundle_writer.h"
#include "harness/error.h"
#include "live/collect_job_json.h"
#include "harness/manifest_loader.h"

namespace zooter::live {
namespace {

using Writer = JsonWriter;

// Index of `name` in `names`, appended when new: subsets and splits in order of first use.
std::uint32_t index_of(std::vector<std::string>& names, const std::string& name) {
  const auto it = std::find(names.begin(), names.end(), name);
  if (it != names.end()) return static_cast<std::uint32_t>(it - names.begin());
  names.push_back(name);
  return static_cast<std::uint32_t>(names.size() - 1);
}

// A --queries line's optional name field ("subset" or "split"), checked as a bundle name.
std::string name_field(const rapidjson::Document& d, const char* key, const char* fallback,
                       const QueryFile& queries, std::size_t q) {
  auto it = d.FindMember(key);
  if (it == d.MemberEnd()) return fallback;
  if (!it->value.IsString()) throw InputError(queries.path, q + 1, fmt::format("\"{}\": expected a string", key));
  const std::string name(it->value.GetString(), it->value.GetStringLength());
  try {
    check_name(key, name);
  } catch (const InputError& e) {
    throw InputError(queries.path, q + 1, fmt::format("\"{}\": {}", key, e.message()));
  }
  return name;
}

}  // namespace

CollectedBundle::CollectedBundle(const QueryFile& queries, std::size_t query_count,
                                 const std::vector<CandidateEndpoint>& candidates, const CollectOptions& options)
    : queries_(queries), query_count_(query_count), candidates_(candidates), options_(options) {
  Manifest source;
  if (!options.source_bundle.empty()) {
    // The source bundle's queries.jsonl lines are copied as they are, so its manifest (subsets,
    // splits, metrics) describes them; only the models and rewards change.
    source = load_manifest((std::filesystem::path(options.source_bundle) / "manifest.json").string());
    manifest_ = source;
    source_provenance_ = source.provenance_json;
  } else {
    // A plain queries file: one group "live"; each query's "subset" (default "live") and "split"
    // (default "test") become the manifest's, in order of first use. No metric is declared:
    // what scale the gold will be on is known only to whoever grades the answers, and
    // `zooter gold --metric` declares it then.
    std::vector<std::string> subsets, splits;
    plain_.resize(query_count);
    for (std::size_t q = 0; q < query_count; ++q) {
      rapidjson::Document d;
      d.Parse(queries.lines[q].data(), queries.lines[q].size());  // read_query_file parsed it already
      PlainQuery& p = plain_[q];
      p.subset = index_of(subsets, name_field(d, "subset", "live", queries, q));
      p.split = index_of(splits, name_field(d, "split", "test", queries, q));
      if (auto tags = d.FindMember("tags"); tags != d.MemberEnd()) {
        rapidjson::StringBuffer buffer;
        Writer w(buffer);
        tags->value.Accept(w);
        p.tags_json = buffer.GetString();
      }
      if (auto tokens = d.FindMember("input_tokens"); tokens != d.MemberEnd()) {
        if (!tokens->value.IsUint() ) {
          throw InputError(queries.path, q + 1, "\"input_tokens\": expected a non-negative integer");
        }
        p.input_tokens = tokens->value.GetUint();
      }
    }
    manifest_.suite = "live";
    manifest_.description = "answers collected live by zooter collect";
    for (const std::string& s : splits) manifest_.splits.push_back({s, true});
    Group group;
    group.name = "live";
    for (std::size_t s = 0; s < subsets.size(); ++s) {
      Subset subset;
      subset.id = subsets[s];
      subset.name = subsets[s];
      subset.has_metric = false;
      group.subsets.push_back(s);
      manifest_.subsets.push_back(std::move(subset));
    }
    manifest_.groups.push_back(std::move(group));
  }
  manifest_.gold_pending = true;
  manifest_.reward_models.clear();  // the new answers have no rewards yet: `zooter score` adds them
  manifest_.models.clear();
  for (const CandidateEndpoint& c : candidates) {
    Model model;
    model.name = c.name;
    if (c.parameters) {
      model.parameters = *c.parameters;
    } else if (const auto m = source.find_model(c.name)) {
      model.parameters = source.models[*m].parameters;
    } else {
      throw InputError(fmt::format(
          "candidate \"{}\" has no parameter count: add \"parameters\" to its entry in the endpoints file "
          "(the bundle format needs it for generation FLOPs, and zooter does not guess it)",
          c.name));
    }
    model.price_per_million_input = c.price_per_million_input;
    model.price_per_million_output = c.price_per_million_output;
    manifest_.models.push_back(std::move(model));
  }
  try {
    for (const Model& m : manifest_.models) check_name("candidate", m.name);
  } catch (const InputError& e) {
    throw InputError("endpoints file: " + e.message());
  }
}

std::string CollectedBundle::queries_jsonl(const CollectResults& results, CollectSummary& summary) const {
  std::string out;
  for (std::size_t q = 0; q < query_count_; ++q) {
    if (plain_.empty()) {  // a bundle's queries: copied as they are
      out += queries_.lines[q];
      out += '\n';
      continue;
    }
    const PlainQuery& p = plain_[q];
    // Candidates' tokenisers differ, so their prompt_tokens do too: the largest is taken, so
    // the per-query FLOPs and priced-dollar estimates are never understated. Each response's own
    // cost uses its own count (responses.jsonl).
    std::optional<std::uint32_t> tokens = p.input_tokens;
    if (!tokens) {
      for (const CandidateEndpoint& c : candidates_) {
        const auto it = results.find({queries_.ids[q], c.name});
        if (it == results.end() || !it->second.ok || !it->second.prompt_tokens) continue;
        const auto n = static_cast<std::uint32_t>(
            std::min<long long>(*it->second.prompt_tokens, std::numeric_limits<std::uint32_t>::max()));
        tokens = std::max(tokens.value_or(0), n);
      }
    }
    rapidjson::StringBuffer buffer;
    Writer w(buffer);
    w.StartObject();
    put_string(w, "id", queries_.ids[q]);
    put_string(w, "subset", manifest_.subsets[p.subset].id);
    put_string(w, "split", manifest_.splits[p.split].name);
    put_string(w, "text", queries_.texts[q]);
    if (!p.tags_json.empty()) {
      w.Key("tags");
      w.RawValue(p.tags_json.data(), p.tags_json.size(), rapidjson::kArrayType);
    }
    w.Key("input_tokens");
    if (tokens) {
      w.Uint(*tokens);
    } else {
      w.Null();  // unknown: the bundle does not validate until it is given (docs/live-collect.md)
      ++summary.input_tokens_unknown;
    }
    w.EndObject();
    out += buffer.GetString();
    out += '\n';
  }
  return out;
}

std::string CollectedBundle::responses_jsonl(const CollectResults& results, CollectSummary& summary) const {
  std::string out;
  for (std::size_t q = 0; q < query_count_; ++q) {
    for (const CandidateEndpoint& m : candidates_) {
      const CollectedCall& c = results.at({queries_.ids[q], m.name});
      if (!c.ok) {
        summary.failed.push_back(c);
        continue;
      }
      rapidjson::StringBuffer buffer;
      Writer w(buffer);
      w.StartObject();
      put_string(w, "query", c.query);
      put_string(w, "model", c.candidate);
      // Unknown counts stay null, never 0: the loader then rejects the line until they are given.
      w.Key("output_tokens");
      c.completion_tokens ? w.Int64(*c.completion_tokens) : w.Null();
      w.Key("cost");
      if (c.prompt_tokens && c.completion_tokens) {
        w.Double(static_cast<double>(*c.prompt_tokens) * m.price_per_input_token +
                 static_cast<double>(*c.completion_tokens) * m.price_per_output_token);
      } else {
        w.Null();
        ++summary.usage_unknown;
      }
      put_string(w, "text", c.text);
      // What the bundle format has no field for goes under "meta", which the loader skips.
      w.Key("meta");
      w.StartObject();
      w.Key("input_tokens");
      c.prompt_tokens ? w.Int64(*c.prompt_tokens) : w.Null();
      w.Key("latency_ms");
      w.Double(c.latency_ms);
      w.Key("attempts");
      w.Int(c.attempts);
      w.EndObject();
      w.EndObject();
      out += buffer.GetString();
      out += '\n';
    }
  }
  return out;
}

void CollectedBundle::write(const CollectResults& results, CollectSummary& summary) const {
  const std::string queries = queries_jsonl(results, summary);
  const std::string responses = responses_jsonl(results, summary);

  // Provenance: how the answers were collected and how complete they are. No date or host, so
  // the manifest is a function of the job and its answers.
  rapidjson::StringBuffer buffer;
  Writer w(buffer);
  w.StartObject();
  w.Key("collected_live");
  w.StartObject();
  put_string(w, "tool", "zooter collect");
  put_string(w, "queries_hash", queries_.content_hash);
  w.Key("queries");
  w.Uint64(query_count_);
  write_job_settings(w, candidates_, options_);
  w.Key("responses");
  w.Uint64(summary.total - summary.failed.size());
  w.Key("failed");
  w.Uint64(summary.failed.size());
  w.Key("usage_unknown");
  w.Uint64(summary.usage_unknown);
  w.EndObject();
  if (!source_provenance_.empty()) {
    w.Key("source_bundle_provenance");
    w.RawValue(source_provenance_.data(), source_provenance_.size(), rapidjson::kObjectType);
  }
  w.EndObject();
  Manifest manifest = manifest_;
  manifest.provenance_json = buffer.GetString();

  const std::filesystem::path out(options_.out_dir);
  write_file_atomically((out / "queries.jsonl").string(), queries);
  write_file_atomically((out / "responses.jsonl").string(), responses);
  write_file_atomically((out / "manifest.json").string(), manifest_json(manifest));
}

}  // namespace zooter::live
