#include "harness/bundle_loader.h"

#include <rapidjson/document.h>
#include <rapidjson/error/en.h>

#include <fmt/format.h>

#include <cmath>
#include <filesystem>
#include <limits>
#include <string_view>
#include <unordered_map>

#include "harness/bundle.h"
#include "harness/content_hash.h"
#include "harness/error.h"
#include "harness/line_reader.h"
#include "harness/manifest_loader.h"
#include "harness/problem_list.h"

namespace zooter {
namespace {

using rapidjson::Value;
using Document = rapidjson::GenericDocument<rapidjson::UTF8<>, rapidjson::MemoryPoolAllocator<>,
                                            rapidjson::MemoryPoolAllocator<>>;

// Calls on_object(line, object, problem) for every line of a JSONL file that parses as an
// object; every other line becomes a problem. `problem(message)` records one for the line.
template <typename OnObject>
void for_each_object(const std::string& path, const LoadOptions& options, ProblemList& problems,
                     ContentHash& hash, OnObject on_object) {
  LineReader reader(path, options.max_line_bytes);
  LineReader::Line line;
  std::size_t lines = 0;
  char value_buffer[16384];
  char parse_buffer[4096];
  while (reader.next(line)) {
    ++lines;
    if (line.too_long) {
      problems.add(line.number, "line longer than " + std::to_string(options.max_line_bytes) +
                                    " bytes; not parsed");
      continue;
    }
    hash.update(line.text);
    if (line.number == 1 && reader.starts_with_bom()) {
      problems.add(1, "starts with a UTF-8 byte-order mark; save the file without it", line.text);
      continue;
    }
    if (line.text.find_first_not_of(" \t") == std::string_view::npos) {
      problems.add(line.number, "empty line", line.text);
      continue;
    }
    const std::string excerpt = excerpt_of(line.text);  // before in-situ parsing rewrites it
    rapidjson::MemoryPoolAllocator<> value_alloc(value_buffer, sizeof value_buffer);
    rapidjson::MemoryPoolAllocator<> parse_alloc(parse_buffer, sizeof parse_buffer);
    Document doc(&value_alloc, sizeof parse_buffer, &parse_alloc);
    doc.ParseInsitu(line.data);
    if (doc.HasParseError()) {
      problems.add(line.number,
                   "column " + std::to_string(doc.GetErrorOffset() + 1) + ": invalid JSON: " +
                       rapidjson::GetParseError_En(doc.GetParseError()),
                   excerpt);
      continue;
    }
    if (!doc.IsObject()) {
      problems.add(line.number, "expected a JSON object", excerpt);
      continue;
    }
    auto problem = [&](const std::string& message) { problems.add(line.number, message, excerpt); };
    on_object(line.number, static_cast<const Value&>(doc), problem);
  }
  if (lines == 0) problems.add(0, "file is empty");
}

std::string_view view(const Value& v) { return {v.GetString(), v.GetStringLength()}; }

// A non-negative integer that fits 32 bits, or a problem.
template <typename Problem>
bool read_count(const Value& v, const char* field, std::uint32_t& out, Problem& problem) {
  if (!v.IsUint64() || v.GetUint64() > std::numeric_limits<std::uint32_t>::max()) {
    problem(std::string(field) + ": expected a non-negative integer");
    return false;
  }
  out = static_cast<std::uint32_t>(v.GetUint64());
  return true;
}

struct QueryIndex {
  std::unordered_map<std::string, std::uint32_t> by_id;
};

void load_queries(const std::string& path, const LoadOptions& options, Bundle& bundle,
                  QueryIndex& index, ContentHash& hash) {
  ProblemList problems(path, options.max_problems_per_file);
  const Manifest& m = bundle.manifest;
  Queries& q = bundle.queries;
  std::unordered_map<std::string, std::uint32_t> tag_ids;
  q.tag_offset.push_back(0);
  for_each_object(path, options, problems, hash,
                  [&](std::size_t, const Value& o, auto& problem) {
    const Value* id = nullptr;
    const Value* subset = nullptr;
    const Value* split = nullptr;
    const Value* text = nullptr;
    const Value* tags = nullptr;
    const Value* input_tokens = nullptr;
    bool ok = true;
    for (auto it = o.MemberBegin(); it != o.MemberEnd(); ++it) {
      const std::string_view k = view(it->name);
      const Value** slot = k == "id"             ? &id
                           : k == "subset"       ? &subset
                           : k == "split"        ? &split
                           : k == "text"         ? &text
                           : k == "tags"         ? &tags
                           : k == "input_tokens" ? &input_tokens
                           : k == "meta"         ? nullptr
                                                 : nullptr;
      if (k == "meta") continue;
      if (slot == nullptr) {
        problem("unknown field \"" + std::string(k) +
                "\" (known: id, subset, split, text, tags, input_tokens, meta)");
        ok = false;
      } else if (*slot != nullptr) {
        problem("field \"" + std::string(k) + "\" appears twice");
        ok = false;
      } else {
        *slot = &it->value;
      }
    }
    for (auto [field, value] : {std::pair{"id", id}, {"subset", subset}, {"split", split},
                                {"input_tokens", input_tokens}}) {
      if (value == nullptr) {
        problem(std::string("missing field \"") + field + "\"");
        ok = false;
      }
    }
    if (!ok) return;
    std::optional<std::size_t> subset_index, split_index;
    if (!id->IsString() || id->GetStringLength() == 0) {
      problem("id: expected a non-empty string");
      ok = false;
    }
    if (!subset->IsString()) {
      problem("subset: expected a string");
      ok = false;
    } else if (!(subset_index = m.find_subset(view(*subset)))) {
      problem("unknown subset \"" + std::string(view(*subset)) + "\" (not in manifest.json)");
      ok = false;
    }
    if (!split->IsString()) {
      problem("split: expected a string");
      ok = false;
    } else if (!(split_index = m.find_split(view(*split)))) {
      problem("unknown split \"" + std::string(view(*split)) + "\" (not in manifest.json)");
      ok = false;
    }
    if (text != nullptr && !text->IsString()) {
      problem("text: expected a string");
      ok = false;
    }
    std::uint32_t tokens = 0;
    ok = read_count(*input_tokens, "input_tokens", tokens, problem) && ok;
    if (tags != nullptr) {
      if (!tags->IsArray()) {
        problem("tags: expected an array of strings");
        ok = false;
      } else {
        for (const Value& t : tags->GetArray()) {
          if (!t.IsString() || t.GetStringLength() == 0) {
            problem("tags: expected non-empty strings");
            ok = false;
            break;
          }
        }
      }
    }
    if (!ok) return;
    const std::uint32_t next = static_cast<std::uint32_t>(q.id.size());
    auto [where, inserted] = index.by_id.try_emplace(std::string(view(*id)), next);
    if (!inserted) {
      problem("duplicate query id \"" + std::string(view(*id)) + "\"");
      return;
    }
    q.id.emplace_back(view(*id));
    q.text.emplace_back(text != nullptr ? view(*text) : std::string_view{});
    q.subset.push_back(static_cast<std::uint32_t>(*subset_index));
    q.split.push_back(static_cast<std::uint32_t>(*split_index));
    q.input_tokens.push_back(tokens);
    if (tags != nullptr) {
      for (const Value& t : tags->GetArray()) {
        auto [tag, fresh] = tag_ids.try_emplace(std::string(view(t)),
                                                static_cast<std::uint32_t>(bundle.tag_names.size()));
        if (fresh) bundle.tag_names.emplace_back(view(t));
        q.tag_ids.push_back(tag->second);
      }
    }
    q.tag_offset.push_back(static_cast<std::uint32_t>(q.tag_ids.size()));
  });
  problems.throw_if_any();
}

void load_responses(const std::string& path, const LoadOptions& options, Bundle& bundle,
                    const QueryIndex& index, ContentHash& hash) {
  ProblemList problems(path, options.max_problems_per_file);
  const Manifest& m = bundle.manifest;
  Responses& r = bundle.responses;
  const std::size_t n_models = m.models.size();
  const std::size_t n_cells = bundle.query_count() * n_models;
  const double nan = std::numeric_limits<double>::quiet_NaN();
  r.models = n_models;
  r.gold.assign(n_cells, nan);
  r.output_tokens.assign(n_cells, 0);
  r.dollars.assign(n_cells, nan);
  r.rewards.assign(m.reward_models.size(), std::vector<double>(n_cells, nan));
  if (options.with_text) r.text.assign(n_cells, std::string());
  std::vector<std::uint32_t> seen_at(n_cells, 0);  // line of the cell's response, 0 = not yet
  std::vector<double> cell_rewards(m.reward_models.size());
  std::vector<bool> reward_seen(m.reward_models.size());

  for_each_object(path, options, problems, hash,
                  [&](std::size_t line, const Value& o, auto& problem) {
    const Value* query = nullptr;
    const Value* model = nullptr;
    const Value* gold = nullptr;
    const Value* output_tokens = nullptr;
    const Value* cost = nullptr;
    const Value* text = nullptr;
    const Value* rewards = nullptr;
    bool ok = true;
    for (auto it = o.MemberBegin(); it != o.MemberEnd(); ++it) {
      const std::string_view k = view(it->name);
      if (k == "meta") continue;
      const Value** slot = k == "query"           ? &query
                           : k == "model"         ? &model
                           : k == "gold"          ? &gold
                           : k == "output_tokens" ? &output_tokens
                           : k == "cost"          ? &cost
                           : k == "text"          ? &text
                           : k == "rewards"       ? &rewards
                                                  : nullptr;
      if (slot == nullptr) {
        problem("unknown field \"" + std::string(k) +
                "\" (known: query, model, gold, output_tokens, cost, text, rewards, meta)");
        ok = false;
      } else if (*slot != nullptr) {
        problem("field \"" + std::string(k) + "\" appears twice");
        ok = false;
      } else {
        *slot = &it->value;
      }
    }
    for (auto [field, value] : {std::pair{"query", query}, {"model", model}, {"gold", gold},
                                {"output_tokens", output_tokens}}) {
      if (value == nullptr) {
        problem(std::string("missing field \"") + field + "\"");
        ok = false;
      }
    }
    if (!m.reward_models.empty() && rewards == nullptr && ok) {
      problem("missing field \"rewards\" (the manifest declares reward models)");
      ok = false;
    }
    if (!ok) return;
    std::size_t q = 0, mi = 0;
    if (!query->IsString()) {
      problem("query: expected a string");
      ok = false;
    } else if (auto it = index.by_id.find(std::string(view(*query))); it == index.by_id.end()) {
      problem("unknown query \"" + std::string(view(*query)) + "\" (not in queries.jsonl)");
      ok = false;
    } else {
      q = it->second;
    }
    if (!model->IsString()) {
      problem("model: expected a string");
      ok = false;
    } else if (auto found = m.find_model(view(*model)); !found) {
      problem("unknown model \"" + std::string(view(*model)) + "\" (not in manifest.json)");
      ok = false;
    } else {
      mi = *found;
    }
    double gold_score = nan;
    if (!gold->IsNumber()) {
      problem("gold: expected a number");
      ok = false;
    } else {
      gold_score = gold->GetDouble();
    }
    std::uint32_t tokens = 0;
    ok = read_count(*output_tokens, "output_tokens", tokens, problem) && ok;
    double dollars = nan;
    if (cost != nullptr) {
      if (!cost->IsNumber() || !std::isfinite(cost->GetDouble()) || cost->GetDouble() < 0) {
        problem("cost: expected a finite number >= 0");
        ok = false;
      } else {
        dollars = cost->GetDouble();
      }
    }
    if (text != nullptr && !text->IsString()) {
      problem("text: expected a string");
      ok = false;
    }
    if (rewards != nullptr) {
      if (!rewards->IsObject()) {
        problem("rewards: expected an object of reward-model scores");
        ok = false;
      } else {
        std::fill(reward_seen.begin(), reward_seen.end(), false);
        for (auto it = rewards->MemberBegin(); it != rewards->MemberEnd(); ++it) {
          const std::string name(view(it->name));
          auto k = m.find_reward_model(name);
          if (!k) {
            problem("rewards: unknown reward model \"" + name + "\" (not in manifest.json)");
            ok = false;
          } else if (reward_seen[*k]) {
            problem("rewards: \"" + name + "\" appears twice");
            ok = false;
          } else if (!it->value.IsNumber() || !std::isfinite(it->value.GetDouble())) {
            problem("rewards." + name + ": expected a finite number");
            ok = false;
          } else {
            reward_seen[*k] = true;
            cell_rewards[*k] = it->value.GetDouble();
          }
        }
        for (std::size_t k = 0; k < reward_seen.size() && ok; ++k) {
          if (!reward_seen[k]) {
            problem("rewards: missing \"" + m.reward_models[k].name + "\"");
            ok = false;
          }
        }
      }
    }
    if (!ok) return;
    const Metric& metric = m.subsets[bundle.queries.subset[q]].metric;
    if (!std::isfinite(gold_score)) {
      problem("gold: not a finite number");
      return;
    }
    if (gold_score < metric.min || gold_score > metric.max) {
      problem(fmt::format("gold: {} is outside the scale [{}, {}] of subset \"{}\"", gold_score,
                          metric.min, metric.max, m.subsets[bundle.queries.subset[q]].id));
      return;
    }
    const std::size_t c = r.cell(q, mi);
    if (seen_at[c] != 0) {
      problem("duplicate response for query \"" + bundle.queries.id[q] + "\" and model \"" +
              m.models[mi].name + "\" (first at line " + std::to_string(seen_at[c]) + ")");
      return;
    }
    seen_at[c] = static_cast<std::uint32_t>(line);
    r.gold[c] = gold_score;
    r.output_tokens[c] = tokens;
    r.dollars[c] = dollars;
    for (std::size_t k = 0; k < cell_rewards.size(); ++k) r.rewards[k][c] = cell_rewards[k];
    if (options.with_text && text != nullptr) r.text[c] = std::string(view(*text));
  });
  if (problems.empty()) {
    for (std::size_t c = 0; c < n_cells; ++c) {
      if (seen_at[c] == 0) {
        problems.add(0, "missing response for query \"" + bundle.queries.id[c / n_models] +
                            "\" and model \"" + m.models[c % n_models].name + "\"");
      }
    }
  }
  problems.throw_if_any();
}

// Fills dollars from prices where the data gave no per-response cost.
void price_responses(Bundle& bundle) {
  Responses& r = bundle.responses;
  for (std::size_t m = 0; m < bundle.model_count(); ++m) {
    const Model& model = bundle.manifest.models[m];
    if (!model.price_per_million_input || !model.price_per_million_output) continue;
    for (std::size_t q = 0; q < bundle.query_count(); ++q) {
      const std::size_t c = r.cell(q, m);
      if (std::isfinite(r.dollars[c])) continue;
      r.dollars[c] = bundle.queries.input_tokens[q] * *model.price_per_million_input / 1e6 +
                     r.output_tokens[c] * *model.price_per_million_output / 1e6;
    }
  }
}

}  // namespace

Bundle load_bundle(const std::string& dir, const LoadOptions& options) {
  const std::filesystem::path root(dir);
  if (!std::filesystem::is_directory(root)) {
    throw InputError(dir, 0, "not a directory (expected a bundle: manifest.json, queries.jsonl, responses.jsonl)");
  }
  Bundle bundle;
  ContentHash hash;
  const std::string manifest_path = (root / "manifest.json").string();
  std::string manifest_text;
  bundle.manifest = load_manifest(manifest_path, &manifest_text);
  hash.update(manifest_text);
  QueryIndex index;
  load_queries((root / "queries.jsonl").string(), options, bundle, index, hash);
  load_responses((root / "responses.jsonl").string(), options, bundle, index, hash);
  price_responses(bundle);
  bundle.content_hash = hash.hex();
  return bundle;
}

}  // namespace zooter
