#include "live/scorer.h"

#include <rapidjson/document.h>
#include <rapidjson/error/en.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <fmt/format.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <optional>
#include <ostream>

#include "harness/content_hash.h"
#include "harness/atomic_file.h"
#include "harness/error.h"
#include "harness/input_file.h"
#include "harness/output_lock.h"
#include "live/call_runner.h"
#include "live/journal.h"
#include "live/query_file.h"

namespace zooter::live {
namespace {

using Writer = rapidjson::Writer<rapidjson::StringBuffer>;
namespace fs = std::filesystem;

void put(Writer& w, const char* key, const std::string& value) {
  w.Key(key);
  w.String(value.data(), static_cast<rapidjson::SizeType>(value.size()));
}

std::string read_text(const fs::path& path) {
  return read_input_file(path.string());
}

std::string serialise(const rapidjson::Value& v) {
  rapidjson::StringBuffer buffer;
  Writer w(buffer);
  v.Accept(w);
  return buffer.GetString();
}

// vllm-classify: {"data": [{"probs": [...], ...}], ...}; the reward is probs[label_index].
std::optional<double> read_classify(const RewardEndpoint& endpoint, const rapidjson::Document& d,
                                    const std::string& body, std::string& error) {
  const rapidjson::Value* probs = nullptr;
  if (d.IsObject()) {
    auto data = d.FindMember("data");
    if (data != d.MemberEnd() && data->value.IsArray() && !data->value.Empty() && data->value[0].IsObject()) {
      auto p = data->value[0].FindMember("probs");
      if (p != data->value[0].MemberEnd() && p->value.IsArray()) probs = &p->value;
    }
  }
  bool numbers = probs != nullptr;
  for (rapidjson::SizeType i = 0; numbers && i < probs->Size(); ++i) {
    numbers = (*probs)[i].IsNumber() && std::isfinite((*probs)[i].GetDouble());
  }
  if (!numbers) {
    error = fmt::format("malformed vllm-classify answer: data[0].probs is not an array of finite numbers: {}",
                        body.substr(0, 120));
    return std::nullopt;
  }
  if (endpoint.label_index >= probs->Size()) {
    error = fmt::format("malformed vllm-classify answer: label_index {} but data[0].probs has {} entries: {}",
                        endpoint.label_index, probs->Size(), body.substr(0, 120));
    return std::nullopt;
  }
  return (*probs)[static_cast<rapidjson::SizeType>(endpoint.label_index)].GetDouble();
}

struct ResponseLine {
  rapidjson::Document json;
  std::string query;
  std::string model;
  std::string text;
};

}  // namespace

std::string reward_route(const RewardEndpoint& endpoint) {
  if (endpoint.shape == "vllm-score") return "/score";
  if (endpoint.shape == "vllm-classify") return "/classify";
  return "/predict";
}

std::string reward_body(const RewardEndpoint& endpoint, const std::string& query, const std::string& response) {
  rapidjson::StringBuffer buffer;
  Writer w(buffer);
  w.StartObject();
  if (endpoint.shape == "vllm-score") {
    put(w, "model", endpoint.model);
    put(w, "text_1", query);
    put(w, "text_2", response);
  } else if (endpoint.shape == "vllm-classify") {
    // The chat form, so that the server renders the model's chat template around the pair, as
    // the reward model saw its training data.
    put(w, "model", endpoint.model);
    auto message = [&w](const char* role, const std::string& content) {
      w.StartObject();
      put(w, "role", role);
      put(w, "content", content);
      w.EndObject();
    };
    w.Key("messages");
    w.StartArray();
    message("user", query);
    message("assistant", response);
    w.EndArray();
  } else {  // tei-predict: one (query, response) pair, unnormalised logits
    w.Key("inputs");
    w.StartArray();
    w.StartArray();
    w.String(query.data(), static_cast<rapidjson::SizeType>(query.size()));
    w.String(response.data(), static_cast<rapidjson::SizeType>(response.size()));
    w.EndArray();
    w.EndArray();
    w.Key("raw_scores");
    w.Bool(true);
  }
  w.EndObject();
  return buffer.GetString();
}

std::optional<double> read_reward(const RewardEndpoint& endpoint, const std::string& body, std::string& error) {
  rapidjson::Document d;
  d.Parse(body.data(), body.size());
  if (d.HasParseError()) {
    error = fmt::format("malformed {} answer: invalid JSON", endpoint.shape);
    return std::nullopt;
  }
  if (endpoint.shape == "vllm-classify") return read_classify(endpoint, d, body, error);
  const rapidjson::Value* entry = nullptr;
  if (endpoint.shape == "vllm-score") {
    if (d.IsObject()) {
      auto data = d.FindMember("data");
      if (data != d.MemberEnd() && data->value.IsArray() && !data->value.Empty()) entry = &data->value[0];
    }
  } else {
    // [[{"score", "label"}]] for a batch of pairs; [{"score", "label"}] from servers that unwrap
    // a batch of one.
    const rapidjson::Value* v = &d;
    for (int depth = 0; depth < 2 && v->IsArray() && !v->Empty(); ++depth) v = &(*v)[0];
    entry = v;
  }
  if (entry == nullptr || !entry->IsObject()) {
    error = fmt::format("malformed {} answer: {}", endpoint.shape, body.substr(0, 120));
    return std::nullopt;
  }
  auto s = entry->FindMember("score");
  if (s == entry->MemberEnd() || !s->value.IsNumber() || !std::isfinite(s->value.GetDouble())) {
    error = fmt::format("malformed {} answer: no finite \"score\": {}", endpoint.shape, body.substr(0, 120));
    return std::nullopt;
  }
  return s->value.GetDouble();
}

ScoreSummary score(const RewardEndpoint& endpoint, const ScoreOptions& options, ProgressOutput progress,
                   std::ostream& notes) {
  // Held to the end, and taken before DIR is read: two runs scoring one bundle in place would
  // each write back the responses they read, and one's rewards would be lost. A DIR that does
  // not exist is left to the read below to report; nothing is created for it.
  std::optional<OutputLock> lock;
  if (fs::is_directory(options.in_dir)) lock.emplace(options.out_dir, "score");
  const fs::path in(options.in_dir);
  const QueryFile queries = read_query_file((in / "queries.jsonl").string());
  std::map<std::string, std::size_t> query_index;
  for (std::size_t q = 0; q < queries.ids.size(); ++q) query_index[queries.ids[q]] = q;
  // A bundle has responses.jsonl; `zooter collect` output has responses.collected.jsonl.
  const std::string responses_name =
      fs::exists(in / "responses.jsonl") ? "responses.jsonl" : "responses.collected.jsonl";
  const fs::path responses_path = in / responses_name;
  const std::string responses_text = read_text(responses_path);

  std::vector<ResponseLine> lines;
  std::size_t line_number = 0;
  for (std::size_t begin = 0; begin < responses_text.size();) {
    std::size_t end = responses_text.find('\n', begin);
    if (end == std::string::npos) end = responses_text.size();
    std::string_view raw(responses_text.data() + begin, end - begin);
    begin = end + 1;
    ++line_number;
    if (!raw.empty() && raw.back() == '\r') raw.remove_suffix(1);
    ResponseLine line;
    line.json.Parse<rapidjson::kParseFullPrecisionFlag>(raw.data(), raw.size());
    if (line.json.HasParseError() || !line.json.IsObject()) {
      throw InputError(responses_path.string(), line_number, "expected a JSON object");
    }
    auto field = [&](const char* key) -> std::string {
      auto it = line.json.FindMember(key);
      if (it == line.json.MemberEnd() || !it->value.IsString()) {
        throw InputError(responses_path.string(), line_number,
                         fmt::format("\"{}\": expected a string (scoring needs the response text)", key));
      }
      return {it->value.GetString(), it->value.GetStringLength()};
    };
    line.query = field("query");
    line.model = field("model");
    line.text = field("text");
    if (!query_index.count(line.query)) {
      throw InputError(responses_path.string(), line_number, fmt::format("unknown query \"{}\"", line.query));
    }
    lines.push_back(std::move(line));
  }

  // A bundle's manifest lists its reward models with parameter counts; checked before any call.
  rapidjson::Document manifest;
  bool reward_in_manifest = false;
  if (fs::exists(in / "manifest.json")) {
    const std::string manifest_text = read_text(in / "manifest.json");
    manifest.Parse<rapidjson::kParseFullPrecisionFlag>(manifest_text.data(), manifest_text.size());
    if (manifest.HasParseError() || !manifest.IsObject()) {
      throw InputError((in / "manifest.json").string(), 0, "invalid JSON (check it with zooter validate)");
    }
    auto rms = manifest.FindMember("reward_models");
    if (rms != manifest.MemberEnd() && rms->value.IsArray()) {
      for (const auto& rm : rms->value.GetArray()) {
        if (!rm.IsObject()) continue;
        auto name = rm.FindMember("name");
        reward_in_manifest = reward_in_manifest || (name != rm.MemberEnd() && name->value.IsString() &&
                                                    endpoint.name == name->value.GetString());
      }
    }
    if (!reward_in_manifest && !options.reward_parameters) {
      throw UsageError(fmt::format("reward model \"{}\" is new to {}: give --reward-parameters (its parameter "
                                   "count, which the bundle format requires for FLOPs)",
                                   endpoint.name, (in / "manifest.json").string()));
    }
  }

  // The job is the (query, model, text) cells, not the file's bytes: scoring in place rewrites
  // the file (adding rewards), and rerunning the same command must still find its journal.
  ContentHash hash;
  hash.update(queries.bytes);
  for (const ResponseLine& line : lines) {
    hash.update(line.query);
    hash.update(line.model);
    hash.update(line.text);
  }
  rapidjson::StringBuffer id_buffer;
  Writer id(id_buffer);
  id.StartObject();
  put(id, "zooter_journal", "score");
  id.Key("version");
  id.Int(1);
  put(id, "inputs", hash.hex());
  put(id, "reward", endpoint.name);
  put(id, "shape", endpoint.shape);
  put(id, "model", endpoint.model);
  put(id, "base_url", endpoint.base_url.to_string());
  // Another label is another reward. Only this shape has the field, so the other shapes'
  // identities, and the journals written under them, stay as they were.
  if (endpoint.shape == "vllm-classify") {
    id.Key("label_index");
    id.Uint64(endpoint.label_index);
  }
  id.EndObject();
  Journal journal(options.journal_path, id_buffer.GetString(), &notes);

  struct Result {
    bool ok = false;
    double score = 0.0;
    std::string error;
    int attempts = 0;
  };
  std::map<std::pair<std::string, std::string>, Result> results;
  for (const std::string& record : journal.records()) {
    rapidjson::Document d;
    d.Parse(record.data(), record.size());
    auto q = d.FindMember("query"), m = d.FindMember("candidate"), ok = d.FindMember("ok");
    if (q == d.MemberEnd() || m == d.MemberEnd() || !q->value.IsString() || !m->value.IsString() ||
        ok == d.MemberEnd() || !ok->value.IsBool()) {
      throw InputError(journal.path(), 0, "journal record without query, candidate or ok: " + record.substr(0, 80));
    }
    Result r;
    r.ok = ok->value.GetBool();
    if (auto s = d.FindMember("score"); r.ok && s != d.MemberEnd() && s->value.IsNumber()) r.score = s->value.GetDouble();
    results[{q->value.GetString(), m->value.GetString()}] = r;
  }

  ScoreSummary summary;
  summary.total = lines.size();
  std::vector<Call> calls;
  std::vector<std::size_t> line_of_call;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    auto it = results.find({lines[i].query, lines[i].model});
    if (it != results.end() && it->second.ok) {
      ++summary.from_journal;
      continue;
    }
    calls.push_back({0, call_id_of(lines[i].query, lines[i].model, endpoint.name), reward_route(endpoint),
                     reward_body(endpoint, queries.texts[query_index.at(lines[i].query)], lines[i].text)});
    line_of_call.push_back(i);
  }
  summary.called = calls.size();
  RunnerOptions runner;
  runner.retry = options.retry;
  runner.threads = options.threads;
  runner.progress = progress;
  runner.progress_label = "scores";
  runner.already_done = summary.from_journal;
  const std::vector<EndpointSlots> endpoints = {{endpoint.name, endpoint.base_url, endpoint.api_key,
                                                 endpoint.ca_file, endpoint.max_concurrency, endpoint.timeout_seconds,
                                                 endpoint.max_retries}};
  run_calls(endpoints, calls, runner, [&](std::size_t c, const CallOutcome& outcome) {
    const ResponseLine& line = lines[line_of_call[c]];
    Result r;
    r.attempts = outcome.attempts;
    r.error = outcome.error;
    if (outcome.ok) {
      const std::optional<double> x = read_reward(endpoint, outcome.body, r.error);
      r.ok = x.has_value();
      r.score = x.value_or(0.0);
    }
    rapidjson::StringBuffer buffer;
    Writer w(buffer);
    w.StartObject();
    put(w, "query", line.query);
    put(w, "candidate", line.model);
    put(w, "reward", endpoint.name);
    w.Key("ok");
    w.Bool(r.ok);
    if (r.ok) {
      w.Key("score");
      w.Double(r.score);
    } else {
      w.Key("status");
      w.Int(outcome.status);
      put(w, "error", r.error);
    }
    w.Key("attempts");
    w.Int(r.attempts);
    w.EndObject();
    journal.append(buffer.GetString());
    results[{line.query, line.model}] = r;
  });
  journal.sync();

  for (const ResponseLine& line : lines) {
    const Result& r = results.at({line.query, line.model});
    if (!r.ok) {
      summary.failed.push_back(fmt::format("query {} model {} after {} attempts: {}", line.query, line.model,
                                           r.attempts, r.error));
    }
  }
  if (!summary.failed.empty()) return summary;  // nothing is written until every score is in

  std::string out_lines;
  for (ResponseLine& line : lines) {
    auto& allocator = line.json.GetAllocator();
    auto rewards = line.json.FindMember("rewards");
    if (rewards == line.json.MemberEnd()) {
      line.json.AddMember("rewards", rapidjson::Value(rapidjson::kObjectType), allocator);
      rewards = line.json.FindMember("rewards");
    }
    if (!rewards->value.IsObject()) rewards->value.SetObject();
    rewards->value.RemoveMember(endpoint.name.c_str());
    rewards->value.AddMember(rapidjson::Value(endpoint.name.c_str(), allocator),
                             rapidjson::Value(results.at({line.query, line.model}).score), allocator);
    out_lines += serialise(line.json);
    out_lines += '\n';
  }
  const fs::path out(options.out_dir);
  if (manifest.IsObject()) {
    auto& allocator = manifest.GetAllocator();
    auto rms = manifest.FindMember("reward_models");
    if (rms == manifest.MemberEnd()) {
      manifest.AddMember("reward_models", rapidjson::Value(rapidjson::kArrayType), allocator);
      rms = manifest.FindMember("reward_models");
    }
    if (!reward_in_manifest) {
      rapidjson::Value rm(rapidjson::kObjectType);
      rm.AddMember("name", rapidjson::Value(endpoint.name.c_str(), allocator), allocator);
      rm.AddMember("parameters", *options.reward_parameters, allocator);
      rms->value.PushBack(rm, allocator);
    }
    write_file_atomically((out / "manifest.json").string(), serialise(manifest) + "\n");
  }
  for (const char* other : {"collect.json"}) {
    if (fs::exists(in / other) && fs::absolute(in) != fs::absolute(out)) {
      write_file_atomically((out / other).string(), read_text(in / other));
    }
  }
  if (fs::absolute(in) != fs::absolute(out)) {
    write_file_atomically((out / "queries.jsonl").string(), queries.bytes);
  }
  write_file_atomically((out / responses_name).string(), out_lines);
  return summary;
}

}  // namespace zooter::live
