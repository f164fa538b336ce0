#include "live/collector.h"

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <fmt/format.h>

#include <filesystem>
#include <map>
#include <ostream>

#include "harness/error.h"
#include "live/collect_job_json.h"
#include "live/call_runner.h"
#include "live/collected_bundle.h"
#include "live/journal.h"
#include "harness/manifest_loader.h"
#include "harness/output_lock.h"

namespace zooter::live {
namespace {

using Writer = JsonWriter;

std::string identity(const QueryFile& queries, const std::vector<CandidateEndpoint>& candidates,
                     const CollectOptions& options) {
  rapidjson::StringBuffer buffer;
  Writer w(buffer);
  w.StartObject();
  put_string(w, "zooter_journal", "collect");
  w.Key("version");
  w.Int(1);
  put_string(w, "queries", queries.content_hash);
  write_job_settings(w, candidates, options);
  w.EndObject();
  return buffer.GetString();
}

std::string record_line(const CollectedCall& c) {
  rapidjson::StringBuffer buffer;
  Writer w(buffer);
  w.StartObject();
  put_string(w, "query", c.query);
  put_string(w, "candidate", c.candidate);
  w.Key("ok");
  w.Bool(c.ok);
  if (c.ok) {
    put_string(w, "text", c.text);
    w.Key("prompt_tokens");
    c.prompt_tokens ? w.Int64(*c.prompt_tokens) : w.Null();
    w.Key("completion_tokens");
    c.completion_tokens ? w.Int64(*c.completion_tokens) : w.Null();
  } else {
    w.Key("status");
    w.Int(c.status);
    put_string(w, "error", c.error);
  }
  w.Key("latency_ms");
  w.Double(std::round(c.latency_ms * 1000.0) / 1000.0);
  w.Key("attempts");
  w.Int(c.attempts);
  w.EndObject();
  return buffer.GetString();
}

std::optional<long long> optional_integer(const rapidjson::Value& object, const char* key) {
  auto it = object.FindMember(key);
  if (it == object.MemberEnd() || !it->value.IsInt64() || it->value.GetInt64() < 0) return std::nullopt;
  return it->value.GetInt64();
}

CollectedCall parse_record(const std::string& line, const std::string& path) {
  rapidjson::Document d;
  d.Parse(line.data(), line.size());
  auto text = [&](const char* key) -> std::string {
    auto it = d.FindMember(key);
    if (it == d.MemberEnd() || !it->value.IsString()) {
      throw InputError(path, 0, fmt::format("journal record without \"{}\": {}", key, line.substr(0, 80)));
    }
    return {it->value.GetString(), it->value.GetStringLength()};
  };
  CollectedCall c;
  c.query = text("query");
  c.candidate = text("candidate");
  auto ok = d.FindMember("ok");
  c.ok = ok != d.MemberEnd() && ok->value.IsBool() && ok->value.GetBool();
  if (c.ok) {
    c.text = text("text");
    c.prompt_tokens = optional_integer(d, "prompt_tokens");
    c.completion_tokens = optional_integer(d, "completion_tokens");
  } else {
    c.error = text("error");
    if (auto s = d.FindMember("status"); s != d.MemberEnd() && s->value.IsInt()) c.status = s->value.GetInt();
  }
  if (auto l = d.FindMember("latency_ms"); l != d.MemberEnd() && l->value.IsNumber()) c.latency_ms = l->value.GetDouble();
  if (auto a = d.FindMember("attempts"); a != d.MemberEnd() && a->value.IsInt()) c.attempts = a->value.GetInt();
  return c;
}

}  // namespace

std::string chat_body(const std::string& model, const std::string& query_text, const CollectOptions& options) {
  rapidjson::StringBuffer buffer;
  Writer w(buffer);
  w.StartObject();
  put_string(w, "model", model);
  w.Key("messages");
  w.StartArray();
  w.StartObject();
  put_string(w, "role", "user");
  put_string(w, "content", query_text);
  w.EndObject();
  w.EndArray();
  if (options.max_tokens) {
    w.Key("max_tokens");
    w.Uint64(*options.max_tokens);
  }
  if (options.temperature) {
    w.Key("temperature");
    w.Double(*options.temperature);
  }
  w.Key("stream");
  w.Bool(false);
  w.EndObject();
  return buffer.GetString();
}

void read_chat_completion(const std::string& body, CollectedCall& call) {
  rapidjson::Document d;
  d.Parse(body.data(), body.size());
  auto malformed = [&](const std::string& why) {
    call.ok = false;
    call.error = "malformed chat completion: " + why;
  };
  if (d.HasParseError() || !d.IsObject()) return malformed("not a JSON object");
  auto choices = d.FindMember("choices");
  if (choices == d.MemberEnd() || !choices->value.IsArray() || choices->value.Empty() ||
      !choices->value[0].IsObject()) {
    return malformed("no choices[0]");
  }
  auto message = choices->value[0].FindMember("message");
  if (message == choices->value[0].MemberEnd() || !message->value.IsObject()) return malformed("no choices[0].message");
  auto content = message->value.FindMember("content");
  if (content == message->value.MemberEnd() || !(content->value.IsString() || content->value.IsNull())) {
    return malformed("choices[0].message.content is not a string");
  }
  call.ok = true;
  call.text = content->value.IsString() ? std::string(content->value.GetString(), content->value.GetStringLength()) : "";
  auto usage = d.FindMember("usage");
  if (usage != d.MemberEnd() && usage->value.IsObject()) {
    call.prompt_tokens = optional_integer(usage->value, "prompt_tokens");
    call.completion_tokens = optional_integer(usage->value, "completion_tokens");
  }
}

namespace {

// Collect writes OUT anew with gold pending and no rewards. A bundle already in OUT that holds
// more than that (gold from `zooter gold`, rewards from `zooter score`) would lose it, so that
// is refused before any call; rerunning collect over its own pending, unscored output is fine.
void refuse_to_replace_richer_bundle(const std::string& out_dir) {
  const std::filesystem::path manifest_path = std::filesystem::path(out_dir) / "manifest.json";
  if (!std::filesystem::exists(manifest_path)) return;
  const Manifest manifest = load_manifest(manifest_path.string());
  std::string held;
  if (!manifest.gold_pending) held = "gold scores (from `zooter gold`)";
  if (!manifest.reward_models.empty()) {
    if (!held.empty()) held += " and ";
    held += fmt::format("scores of {} reward model(s) (from `zooter score`)", manifest.reward_models.size());
  }
  if (held.empty()) return;
  throw InputError(manifest_path.string(), 0,
                   fmt::format("this bundle has {}, which collect would replace with a gold-pending bundle "
                               "without them: collect into another --out, or remove {} to collect anew into "
                               "{} and then rerun score and gold (their journals and scores file redo them)",
                               held, manifest_path.string(), out_dir));
}

}  // namespace

CollectSummary collect(const QueryFile& queries, const std::vector<CandidateEndpoint>& candidates,
                       const CollectOptions& options, ProgressOutput progress, std::ostream& notes) {
  const std::size_t query_count =
      options.limit == 0 ? queries.ids.size() : std::min(options.limit, queries.ids.size());
  // Built before the journal and any call, so that bad input costs nothing.
  const CollectedBundle bundle(queries, query_count, candidates, options);
  // Held to the end: a second collect or score into OUT is refused before it reads anything.
  const OutputLock lock(options.out_dir, "collect");
  refuse_to_replace_richer_bundle(options.out_dir);
  Journal journal(options.journal_path, identity(queries, candidates, options), &notes);

  // The last record of a (query, candidate) wins: a failure followed by a success on a rerun.
  CollectResults results;
  for (const std::string& line : journal.records()) {
    CollectedCall c = parse_record(line, journal.path());
    results[{c.query, c.candidate}] = std::move(c);
  }

  CollectSummary summary;
  summary.total = query_count * candidates.size();
  std::vector<EndpointSlots> endpoints;
  for (const CandidateEndpoint& c : candidates) {
    endpoints.push_back({c.name, c.base_url, c.api_key, c.ca_file, c.max_concurrency, c.timeout_seconds, c.max_retries});
  }
  std::vector<Call> calls;
  std::vector<std::pair<std::size_t, std::size_t>> cell;  // (query, candidate) of each call
  // Query-major order, so an interrupted run has whole rows rather than whole columns.
  for (std::size_t q = 0; q < query_count; ++q) {
    for (std::size_t m = 0; m < candidates.size(); ++m) {
      auto it = results.find({queries.ids[q], candidates[m].name});
      if (it != results.end() && it->second.ok) {
        ++summary.from_journal;
        continue;
      }
      calls.push_back({m, call_id_of(queries.ids[q], candidates[m].name), "/chat/completions",
                       chat_body(candidates[m].model, queries.texts[q], options)});
      cell.emplace_back(q, m);
    }
  }
  summary.called = calls.size();

  RunnerOptions runner;
  runner.retry = options.retry;
  runner.threads = options.threads;
  runner.max_response_bytes = options.max_response_bytes;
  runner.progress = progress;
  runner.progress_label = "calls";
  runner.already_done = summary.from_journal;
  run_calls(endpoints, calls, runner, [&](std::size_t i, const CallOutcome& outcome) {
    CollectedCall c;
    c.query = queries.ids[cell[i].first];
    c.candidate = candidates[cell[i].second].name;
    c.attempts = outcome.attempts;
    c.latency_ms = outcome.latency_ms;
    c.status = outcome.status;
    if (outcome.ok) {
      read_chat_completion(outcome.body, c);
    } else {
      c.error = outcome.error;
    }
    journal.append(record_line(c));
    results[{c.query, c.candidate}] = std::move(c);
  });
  journal.sync();

  bundle.write(results, summary);
  if (summary.usage_unknown > 0) {
    notes << fmt::format("note: {} responses came without usage token counts; their output_tokens "
                         "and cost are null (unknown), not zero, and the bundle does not validate until "
                         "they are filled in\n",
                         summary.usage_unknown);
  }
  if (summary.input_tokens_unknown > 0) {
    notes << fmt::format("note: {} queries have no input_tokens: the queries file gives none and no "
                         "candidate reported usage.prompt_tokens; they are null in queries.jsonl (add "
                         "\"input_tokens\" to those queries and rerun: the journal answers every call)\n",
                         summary.input_tokens_unknown);
  }
  return summary;
}

}  // namespace zooter::live
