// One line of responses.jsonl (docs/bundle-format.md), parsed: the values of its fields, which
// fields were present, and the problems found in them. Checks that need more than the line and
// the manifest (unknown query, gold scale, duplicates) are made by read_responses.
//
// Two parsers fill a ResponseLine: ResponseLineParser (RapidJSON's SAX reader, any line, with
// every message) and scan_plain_response_line (plain_response_scanner.h, a quick path for the
// plain lines that make up almost every file). Internal to harness/.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace zooter {

struct Manifest;

enum class ResponseField {
  kNone, kQuery, kModel, kGold, kOutputTokens, kCost, kText, kRewards, kMeta
};

// "query", "gold", ...; "" for kNone.
[[nodiscard]] const char* name_of(ResponseField field);
// The field a key names: kNone when unknown.
[[nodiscard]] ResponseField response_field_of(std::string_view key);

struct ResponseLine {
  std::string_view query, model, text;  // into the line's bytes
  double gold = 0.0, cost = 0.0;
  std::uint64_t output_tokens = 0;
  unsigned seen = 0;  // bit per ResponseField present
  std::vector<double> rewards;       // per manifest reward model
  std::vector<char> reward_seen;     // per manifest reward model
  std::vector<std::string> problems;  // in the order found

  // Empties the line for the next one; keeps the vectors' storage.
  void reset(std::size_t reward_models);
  [[nodiscard]] bool has(ResponseField f) const { return (seen >> static_cast<unsigned>(f)) & 1U; }
  void mark(ResponseField f) { seen |= 1U << static_cast<unsigned>(f); }
};

// The reward-model index a key names, trying `expected` first (keys usually follow the
// manifest's order); -1 when the manifest has no such reward model.
[[nodiscard]] int find_reward_key(const Manifest& manifest, std::string_view key,
                                  std::size_t expected);

// Parses any line with RapidJSON's SAX reader. Keeps the reader's stack between lines.
class ResponseLineParser {
 public:
  explicit ResponseLineParser(const Manifest& manifest);
  ~ResponseLineParser();
  ResponseLineParser(const ResponseLineParser&) = delete;
  ResponseLineParser& operator=(const ResponseLineParser&) = delete;

  // Parses `data` (NUL-terminated; rewritten in place) into `line`, which must be reset().
  // Returns "" when the line is a JSON object: its values are then in `line`, with the problems
  // found in them. Otherwise returns the line's one problem: "expected a JSON object" or
  // "column N: invalid JSON: ...", and `line` is unspecified.
  [[nodiscard]] std::string parse(char* data, ResponseLine& line);

 private:
  struct Reader;
  const Manifest& manifest_;
  std::unique_ptr<Reader> reader_;
};

}  // namespace zooter
