// Reads responses.jsonl (docs/bundle-format.md) into the dense Bundle::responses matrices.
//
// This file holds most of a bundle's bytes, so lines are parsed with RapidJSON's SAX reader
// (no DOM) in situ, numbers arrive as text and are converted with std::from_chars, which
// rounds correctly (RapidJSON's fast path may be one ulp off, and its exact mode is slow).
#include <rapidjson/error/en.h>
#include <rapidjson/reader.h>

#include <fmt/format.h>

#include <charconv>
#include <cmath>
#include <limits>
#include <vector>

#include "harness/bundle.h"
#include "harness/bundle_readers.h"
#include "harness/jsonl_lines.h"

namespace zooter {
namespace {

enum class Field { kNone, kQuery, kModel, kGold, kOutputTokens, kCost, kText, kRewards, kMeta };
constexpr const char* kFieldNames[] = {"", "query", "model", "gold", "output_tokens",
                                       "cost", "text", "rewards", "meta"};
constexpr const char* kKnownFields =
    "query, model, gold, output_tokens, cost, text, rewards, meta";

Field field_of(std::string_view key) {
  switch (key.size()) {
    case 4:
      if (key == "gold") return Field::kGold;
      if (key == "cost") return Field::kCost;
      if (key == "text") return Field::kText;
      if (key == "meta") return Field::kMeta;
      break;
    case 5:
      if (key == "query") return Field::kQuery;
      if (key == "model") return Field::kModel;
      break;
    case 7:
      if (key == "rewards") return Field::kRewards;
      break;
    case 13:
      if (key == "output_tokens") return Field::kOutputTokens;
      break;
  }
  return Field::kNone;
}

// The fields of one response line, gathered by the SAX handler, with any problems found.
struct ResponseLine {
  std::string_view query, model, text;
  double gold = 0.0, cost = 0.0;
  std::uint64_t output_tokens = 0;
  unsigned seen = 0;  // bit per Field
  bool rewards_object = false;
  std::vector<double> rewards;
  std::vector<char> reward_seen;
  std::vector<std::string> problems;

  [[nodiscard]] bool has(Field f) const { return (seen >> static_cast<unsigned>(f)) & 1U; }
};

class ResponseHandler : public rapidjson::BaseReaderHandler<rapidjson::UTF8<>, ResponseHandler> {
 public:
  ResponseHandler(const Manifest& manifest, ResponseLine& line) : manifest_(manifest), line_(line) {}

  bool StartObject() {
    if (depth_ == 0) return ++depth_, true;
    if (skip_depth_ == 0 && depth_ == 1 && field_ == Field::kRewards) {
      line_.rewards_object = true;
      return ++depth_, true;
    }
    return start_skipped("an object");
  }
  bool EndObject(rapidjson::SizeType) { return end_nested(); }
  bool StartArray() {
    if (depth_ == 0) return not_object();
    return start_skipped("an array");
  }
  bool EndArray(rapidjson::SizeType) { return end_nested(); }

  bool Key(const char* s, rapidjson::SizeType length, bool) {
    if (skip_depth_ != 0) return true;
    const std::string_view key(s, length);
    if (depth_ == 2) {
      reward_ = -1;
      reward_name_ = key;
      if (auto k = manifest_.find_reward_model(key)) {
        reward_ = static_cast<int>(*k);
        if (line_.reward_seen[*k]) {
          problem(fmt::format("rewards: \"{}\" appears twice", key));
          reward_ = -1;
        }
      } else {
        problem(fmt::format("rewards: unknown reward model \"{}\" (not in manifest.json)", key));
      }
      return true;
    }
    field_ = field_of(key);
    if (field_ == Field::kNone) {
      problem(fmt::format("unknown field \"{}\" (known: {})", key, kKnownFields));
    } else if (line_.has(field_)) {
      problem(fmt::format("field \"{}\" appears twice", key));
      field_ = Field::kNone;
    } else {
      line_.seen |= 1U << static_cast<unsigned>(field_);
    }
    return true;
  }

  bool String(const char* s, rapidjson::SizeType length, bool) {
    if (depth_ == 0) return not_object();
    if (skip_depth_ != 0) return true;
    if (depth_ == 2) return reward_value_error();
    const std::string_view value(s, length);
    switch (field_) {
      case Field::kQuery: line_.query = value; break;
      case Field::kModel: line_.model = value; break;
      case Field::kText: line_.text = value; break;
      case Field::kNone: case Field::kMeta: break;
      default: type_error("a string");
    }
    return true;
  }

  bool RawNumber(const char* s, rapidjson::SizeType length, bool) {
    if (depth_ == 0) return not_object();
    if (skip_depth_ != 0) return true;
    const char* end = s + length;
    if (depth_ == 2) {
      if (reward_ < 0) return true;
      double v = 0.0;
      const auto [ptr, ec] = std::from_chars(s, end, v);
      if (ec != std::errc() || ptr != end || !std::isfinite(v)) return reward_value_error();
      line_.rewards[static_cast<std::size_t>(reward_)] = v;
      line_.reward_seen[static_cast<std::size_t>(reward_)] = 1;
      return true;
    }
    switch (field_) {
      case Field::kGold:
      case Field::kCost: {
        double v = 0.0;
        const auto [ptr, ec] = std::from_chars(s, end, v);
        if (ec != std::errc() || ptr != end || !std::isfinite(v)) {
          problem(fmt::format("{}: {} is not a finite number", kFieldNames[static_cast<int>(field_)],
                              std::string_view(s, length)));
        } else {
          (field_ == Field::kGold ? line_.gold : line_.cost) = v;
        }
        break;
      }
      case Field::kOutputTokens: {
        std::uint64_t v = 0;
        const auto [ptr, ec] = std::from_chars(s, end, v);
        if (ec != std::errc() || ptr != end || v > std::numeric_limits<std::uint32_t>::max()) {
          problem("output_tokens: expected a non-negative integer");
        } else {
          line_.output_tokens = v;
        }
        break;
      }
      case Field::kNone: case Field::kMeta: break;
      default: type_error("a number");
    }
    return true;
  }

  bool Null() { return scalar("null"); }
  bool Bool(bool) { return scalar("true or false"); }

  [[nodiscard]] bool top_level_was_object() const { return top_level_ok_; }

 private:
  bool not_object() {
    top_level_ok_ = false;
    return false;  // stops the parse; the caller reports "expected a JSON object"
  }
  bool scalar(const char* what) {
    if (depth_ == 0) return not_object();
    if (skip_depth_ != 0) return true;
    if (depth_ == 2) return reward_value_error();
    if (field_ != Field::kNone && field_ != Field::kMeta) type_error(what);
    return true;
  }
  bool start_skipped(const char* what) {
    if (skip_depth_ == 0) {
      if (depth_ == 2) {
        reward_value_error();
      } else if (field_ != Field::kNone && field_ != Field::kMeta) {
        type_error(what);
      }
      skip_depth_ = depth_;
    }
    return ++depth_, true;
  }
  bool end_nested() {
    --depth_;
    if (depth_ == skip_depth_) skip_depth_ = 0;
    return true;
  }
  bool reward_value_error() {
    if (reward_ >= 0) problem(fmt::format("rewards.{}: expected a finite number", reward_name_));
    reward_ = -1;
    return true;
  }
  void type_error(const char* got) {
    const char* name = kFieldNames[static_cast<int>(field_)];
    const char* expected = field_ == Field::kQuery || field_ == Field::kModel || field_ == Field::kText
                               ? "a string"
                           : field_ == Field::kRewards ? "an object of reward-model scores"
                           : field_ == Field::kOutputTokens ? "a non-negative integer"
                                                            : "a number";
    problem(fmt::format("{}: expected {}, got {}", name, expected, got));
  }
  void problem(std::string message) { line_.problems.push_back(std::move(message)); }

  const Manifest& manifest_;
  ResponseLine& line_;
  int depth_ = 0;
  int skip_depth_ = 0;  // when non-zero, inside a value being skipped that started at this depth
  Field field_ = Field::kNone;
  int reward_ = -1;
  std::string_view reward_name_;
  bool top_level_ok_ = true;
};

}  // namespace

void read_responses(const std::string& path, const LoadOptions& options, Bundle& bundle,
                    const QueryIndex& index, ContentHash& hash) {
  ProblemList problems(path, options.max_problems_per_file);
  const Manifest& m = bundle.manifest;
  Responses& r = bundle.responses;
  const std::size_t n_models = m.models.size();
  const std::size_t n_rewards = m.reward_models.size();
  const std::size_t n_cells = bundle.query_count() * n_models;
  const double nan = std::numeric_limits<double>::quiet_NaN();
  r.models = n_models;
  r.gold.assign(n_cells, nan);
  r.output_tokens.assign(n_cells, 0);
  r.dollars.assign(n_cells, nan);
  r.rewards.assign(n_rewards, std::vector<double>(n_cells, nan));
  if (options.with_text) r.text.assign(n_cells, std::string());
  std::vector<std::uint32_t> seen_at(n_cells, 0);  // line of the cell's response; 0 = none yet

  ResponseLine line;
  rapidjson::Reader reader;
  std::size_t last_model = 0;  // responses usually repeat models in order: try the next first
  std::size_t last_query = SIZE_MAX;
  for_each_jsonl_line(path, options, problems, hash, [&](const JsonlLine& jl) {
    line.query = line.model = line.text = {};
    line.seen = 0;
    line.rewards_object = false;
    line.rewards.assign(n_rewards, 0.0);
    line.reward_seen.assign(n_rewards, 0);
    line.problems.clear();
    ResponseHandler handler(m, line);
    rapidjson::InsituStringStream stream(jl.data);
    constexpr unsigned kFlags = rapidjson::kParseInsituFlag | rapidjson::kParseNumbersAsStringsFlag;
    reader.Parse<kFlags>(stream, handler);
    if (!handler.top_level_was_object()) {
      problems.add(jl.number, "expected a JSON object", jl.excerpt);
      return;
    }
    if (reader.HasParseError()) {
      problems.add(jl.number,
                   fmt::format("column {}: invalid JSON: {}", reader.GetErrorOffset() + 1,
                               rapidjson::GetParseError_En(reader.GetParseErrorCode())),
                   jl.excerpt);
      return;
    }
    auto problem = [&](const std::string& message) { problems.add(jl.number, message, jl.excerpt); };
    for (const std::string& p : line.problems) problem(p);
    bool ok = line.problems.empty();
    for (Field f : {Field::kQuery, Field::kModel, Field::kGold, Field::kOutputTokens}) {
      if (!line.has(f)) {
        problem(fmt::format("missing field \"{}\"", kFieldNames[static_cast<int>(f)]));
        ok = false;
      }
    }
    if (n_rewards > 0 && ok) {
      if (!line.has(Field::kRewards)) {
        problem("missing field \"rewards\" (the manifest declares reward models)");
        ok = false;
      } else {
        for (std::size_t k = 0; k < n_rewards; ++k) {
          if (!line.reward_seen[k]) {
            problem(fmt::format("rewards: missing \"{}\"", m.reward_models[k].name));
            ok = false;
            break;
          }
        }
      }
    }
    if (!ok) return;

    // Responses usually come grouped by query: try the previous line's query first.
    std::size_t q = last_query;
    if (q >= bundle.query_count() || bundle.queries.id[q] != line.query) {
      const auto found = index.find(line.query);
      if (found == index.end()) {
        problem(fmt::format("unknown query \"{}\" (not in queries.jsonl)", line.query));
        ok = false;
      } else {
        q = found->second;
      }
    }
    std::size_t model = n_models;
    if (last_model + 1 < n_models && m.models[last_model + 1].name == line.model) {
      model = last_model + 1;
    } else if (auto found = m.find_model(line.model)) {
      model = *found;
    } else {
      problem(fmt::format("unknown model \"{}\" (not in manifest.json)", line.model));
      ok = false;
    }
    if (line.has(Field::kCost) && line.cost < 0) {
      problem("cost: expected a finite number >= 0");
      ok = false;
    }
    if (!ok) return;
    last_model = model;
    last_query = q;
    const Subset& subset = m.subsets[bundle.queries.subset[q]];
    if (line.gold < subset.metric.min || line.gold > subset.metric.max) {
      problem(fmt::format("gold: {} is outside the scale [{}, {}] of subset \"{}\"", line.gold,
                          subset.metric.min, subset.metric.max, subset.id));
      return;
    }
    const std::size_t c = r.cell(q, model);
    if (seen_at[c] != 0) {
      problem(fmt::format("duplicate response for query \"{}\" and model \"{}\" (first at line {})",
                          bundle.queries.id[q], m.models[model].name, seen_at[c]));
      return;
    }
    seen_at[c] = static_cast<std::uint32_t>(jl.number);
    r.gold[c] = line.gold;
    r.output_tokens[c] = static_cast<std::uint32_t>(line.output_tokens);
    if (line.has(Field::kCost)) r.dollars[c] = line.cost;
    for (std::size_t k = 0; k < n_rewards; ++k) r.rewards[k][c] = line.rewards[k];
    if (options.with_text) r.text[c] = std::string(line.text);
  });
  if (problems.empty()) {
    for (std::size_t c = 0; c < n_cells; ++c) {
      if (seen_at[c] == 0) {
        problems.add(0, fmt::format("missing response for query \"{}\" and model \"{}\"",
                                    bundle.queries.id[c / n_models], m.models[c % n_models].name));
      }
    }
  }
  problems.throw_if_any();
}

}  // namespace zooter
