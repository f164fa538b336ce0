// The general parser of a responses.jsonl line: RapidJSON's SAX reader (no DOM) in situ, with
// numbers passed on as text and converted with std::from_chars, which rounds correctly
// (RapidJSON's fast path may be one ulp off, and its exact mode is slow).
#include "harness/response_line.h"

#include <rapidjson/error/en.h>
#include <rapidjson/reader.h>

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstring>
#include <limits>

#include "harness/bundle.h"

namespace zooter {

const char* name_of(ResponseField field) {
  static constexpr const char* kNames[] = {"", "query", "model", "gold", "output_tokens",
                                           "cost", "text", "rewards", "meta"};
  return kNames[static_cast<int>(field)];
}

ResponseField response_field_of(std::string_view key) {
  // Sizes first, then fixed-size compares the compiler inlines.
  auto is = [&]<std::size_t N>(const char (&name)[N]) {
    return std::memcmp(key.data(), name, N - 1) == 0;
  };
  switch (key.size()) {
    case 4:
      if (is("gold")) return ResponseField::kGold;
      if (is("cost")) return ResponseField::kCost;
      if (is("text")) return ResponseField::kText;
      if (is("meta")) return ResponseField::kMeta;
      break;
    case 5:
      if (is("query")) return ResponseField::kQuery;
      if (is("model")) return ResponseField::kModel;
      break;
    case 7:
      if (is("rewards")) return ResponseField::kRewards;
      break;
    case 13:
      if (is("output_tokens")) return ResponseField::kOutputTokens;
      break;
  }
  return ResponseField::kNone;
}

void ResponseLine::reset(std::size_t reward_models) {
  query = model = text = {};
  gold = cost = 0.0;
  output_tokens = 0;
  seen = 0;
  if (rewards.size() == reward_models) {  // the usual case: no reallocation, no call to assign
    std::fill(rewards.begin(), rewards.end(), 0.0);
    std::fill(reward_seen.begin(), reward_seen.end(), 0);
  } else {
    rewards.assign(reward_models, 0.0);
    reward_seen.assign(reward_models, 0);
  }
  problems.clear();
}

int find_reward_key(const Manifest& manifest, std::string_view key, std::size_t expected) {
  const std::vector<RewardModel>& rms = manifest.reward_models;
  if (expected < rms.size() && rms[expected].name == key) return static_cast<int>(expected);
  const auto found = manifest.find_reward_model(key);
  return found ? static_cast<int>(*found) : -1;
}

namespace {

constexpr const char* kKnownFields =
    "query, model, gold, output_tokens, cost, text, rewards, meta";

class ResponseHandler : public rapidjson::BaseReaderHandler<rapidjson::UTF8<>, ResponseHandler> {
 public:
  ResponseHandler(const Manifest& manifest, ResponseLine& line) : manifest_(manifest), line_(line) {}

  bool StartObject() {
    if (depth_ == 0) return ++depth_, true;
    if (skip_depth_ == 0 && depth_ == 1 && field_ == ResponseField::kRewards) return ++depth_, true;
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
      reward_name_ = key;
      reward_ = find_reward_key(manifest_, key, next_reward_);
      if (reward_ >= 0) {
        next_reward_ = static_cast<std::size_t>(reward_) + 1;
        if (line_.reward_seen[static_cast<std::size_t>(reward_)]) {
          problem(fmt::format("rewards: \"{}\" appears twice", key));
          reward_ = -1;
        }
      } else {
        problem(fmt::format("rewards: unknown reward model \"{}\" (not in manifest.json)", key));
      }
      return true;
    }
    field_ = response_field_of(key);
    if (field_ == ResponseField::kNone) {
      problem(fmt::format("unknown field \"{}\" (known: {})", key, kKnownFields));
    } else if (line_.has(field_)) {
      problem(fmt::format("field \"{}\" appears twice", key));
      field_ = ResponseField::kNone;
    } else {
      line_.mark(field_);
    }
    return true;
  }

  bool String(const char* s, rapidjson::SizeType length, bool) {
    if (depth_ == 0) return not_object();
    if (skip_depth_ != 0) return true;
    if (depth_ == 2) return reward_value_error();
    const std::string_view value(s, length);
    switch (field_) {
      case ResponseField::kQuery: line_.query = value; break;
      case ResponseField::kModel: line_.model = value; break;
      case ResponseField::kText: line_.text = value; break;
      case ResponseField::kNone: case ResponseField::kMeta: break;
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
      case ResponseField::kGold:
      case ResponseField::kCost: {
        double v = 0.0;
        const auto [ptr, ec] = std::from_chars(s, end, v);
        if (ec != std::errc() || ptr != end || !std::isfinite(v)) {
          problem(fmt::format("{}: {} is not a finite number", name_of(field_),
                              std::string_view(s, length)));
        } else {
          (field_ == ResponseField::kGold ? line_.gold : line_.cost) = v;
        }
        break;
      }
      case ResponseField::kOutputTokens: {
        std::uint64_t v = 0;
        const auto [ptr, ec] = std::from_chars(s, end, v);
        if (ec != std::errc() || ptr != end || v > std::numeric_limits<std::uint32_t>::max()) {
          problem("output_tokens: expected a non-negative integer");
        } else {
          line_.output_tokens = v;
        }
        break;
      }
      case ResponseField::kNone: case ResponseField::kMeta: break;
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
    return false;  // stops the parse; parse() reports "expected a JSON object"
  }
  bool scalar(const char* what) {
    if (depth_ == 0) return not_object();
    if (skip_depth_ != 0) return true;
    if (depth_ == 2) return reward_value_error();
    if (field_ != ResponseField::kNone && field_ != ResponseField::kMeta) type_error(what);
    return true;
  }
  bool start_skipped(const char* what) {
    if (skip_depth_ == 0) {
      if (depth_ == 2) {
        reward_value_error();
      } else if (field_ != ResponseField::kNone && field_ != ResponseField::kMeta) {
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
    const ResponseField f = field_;
    const char* expected =
        f == ResponseField::kQuery || f == ResponseField::kModel || f == ResponseField::kText
            ? "a string"
        : f == ResponseField::kRewards      ? "an object of reward-model scores"
        : f == ResponseField::kOutputTokens ? "a non-negative integer"
                                            : "a number";
    problem(fmt::format("{}: expected {}, got {}", name_of(f), expected, got));
  }
  void problem(std::string message) { line_.problems.push_back(std::move(message)); }

  const Manifest& manifest_;
  ResponseLine& line_;
  int depth_ = 0;
  int skip_depth_ = 0;  // when non-zero, inside a value being skipped that started at this depth
  ResponseField field_ = ResponseField::kNone;
  int reward_ = -1;
  std::size_t next_reward_ = 0;  // the reward model expected as the next key
  std::string_view reward_name_;
  bool top_level_ok_ = true;
};

}  // namespace

struct ResponseLineParser::Reader {
  rapidjson::Reader reader;
};

ResponseLineParser::ResponseLineParser(const Manifest& manifest)
    : manifest_(manifest), reader_(std::make_unique<Reader>()) {}

ResponseLineParser::~ResponseLineParser() = default;

std::string ResponseLineParser::parse(char* data, ResponseLine& line) {
  ResponseHandler handler(manifest_, line);
  rapidjson::InsituStringStream stream(data);
  constexpr unsigned kFlags =
      rapidjson::kParseInsituFlag | rapidjson::kParseNumbersAsStringsFlag | rapidjson::kParseValidateEncodingFlag;
  rapidjson::Reader& reader = reader_->reader;
  reader.Parse<kFlags>(stream, handler);
  if (!handler.top_level_was_object()) return "expected a JSON object";
  if (reader.HasParseError()) {
    return fmt::format("column {}: invalid JSON: {}", reader.GetErrorOffset() + 1,
                       rapidjson::GetParseError_En(reader.GetParseErrorCode()));
  }
  return {};
}

}  // namespace zooter
