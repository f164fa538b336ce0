// scan_plain_response_line: it reads the plain lines writers produce, declines everything else,
// and on every line it accepts gives exactly what ResponseLineParser (RapidJSON) gives, with no
// problem. The last is checked on tables of tricky values and on every single-byte mutation of
// a few plain lines, so a line the scanner wrongly accepts shows up as a difference.
#include "harness/plain_response_scanner.h"

#include <gtest/gtest.h>

#include <bit>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "harness/bundle.h"
#include "harness/response_line.h"

namespace zooter {
namespace {

Manifest two_reward_models() {
  Manifest m;
  m.reward_models = {{"judge-rm", 7e9}, {"other-rm", 1e9}};
  return m;
}

// A ResponseLine by value (strings copied, doubles as bits: -0 differs from 0).
struct Snapshot {
  std::string query, model, text;
  std::uint64_t gold = 0, cost = 0, output_tokens = 0;
  unsigned seen = 0;
  std::vector<std::uint64_t> rewards;
  std::vector<char> reward_seen;
  std::vector<std::string> problems;

  bool operator==(const Snapshot&) const = default;
};

void PrintTo(const Snapshot& s, std::ostream* os) {
  *os << "{query=" << s.query << " model=" << s.model << " text=" << s.text
      << " gold=" << std::bit_cast<double>(s.gold) << " cost=" << std::bit_cast<double>(s.cost)
      << " output_tokens=" << s.output_tokens << " seen=" << s.seen << " rewards=";
  for (std::size_t k = 0; k < s.rewards.size(); ++k) {
    *os << (s.reward_seen[k] ? "" : "unseen:") << std::bit_cast<double>(s.rewards[k]) << ",";
  }
  *os << " problems=" << s.problems.size() << "}";
}

Snapshot snapshot(const ResponseLine& line) {
  Snapshot s{std::string(line.query), std::string(line.model), std::string(line.text),
             std::bit_cast<std::uint64_t>(line.gold), std::bit_cast<std::uint64_t>(line.cost),
             line.output_tokens, line.seen, {}, line.reward_seen, line.problems};
  for (double r : line.rewards) s.rewards.push_back(std::bit_cast<std::uint64_t>(r));
  return s;
}

class PlainResponseScannerTest : public ::testing::Test {
 protected:
  // The scanner's result, or nullopt when it declines.
  std::optional<Snapshot> plain(const std::string& text) const {
    ResponseLine line;
    line.reset(manifest_.reward_models.size());
    if (!scan_plain_response_line(text, manifest_, line)) return std::nullopt;
    return snapshot(line);
  }

  // RapidJSON's result: "" and the values when the line is an object, else the error.
  std::pair<std::string, Snapshot> general(const std::string& text) {
    std::string bytes = text;  // rewritten in place, and must outlive the views
    ResponseLine line;
    line.reset(manifest_.reward_models.size());
    std::string error = parser_.parse(bytes.data(), line);
    return {error, error.empty() ? snapshot(line) : Snapshot{}};
  }

  // Whether the scanner accepts `text`; when it does, a test failure unless RapidJSON agrees.
  bool accepted_and_agrees(const std::string& text) {
    const std::optional<Snapshot> quick = plain(text);
    if (!quick) return false;
    const auto [error, full] = general(text);
    EXPECT_EQ(error, "") << "accepted: " << text;
    EXPECT_TRUE(full.problems.empty()) << "accepted: " << text << "\n  but: " << full.problems[0];
    EXPECT_EQ(*quick, full) << "accepted: " << text;
    return true;
  }

  const Manifest manifest_ = two_reward_models();
  ResponseLineParser parser_{manifest_};
};

constexpr unsigned bit(ResponseField f) { return 1U << static_cast<unsigned>(f); }

TEST_F(PlainResponseScannerTest, ReadsAWritersLine) {
  const auto s = plain(R"({"query":"q7","model":"alpha","gold":0.5,"output_tokens":120,)"
                       R"("rewards":{"judge-rm":1.25,"other-rm":-2}})");
  ASSERT_TRUE(s);
  EXPECT_EQ(s->query, "q7");
  EXPECT_EQ(s->model, "alpha");
  EXPECT_EQ(std::bit_cast<double>(s->gold), 0.5);
  EXPECT_EQ(s->output_tokens, 120u);
  EXPECT_EQ(std::bit_cast<double>(s->rewards[0]), 1.25);
  EXPECT_EQ(std::bit_cast<double>(s->rewards[1]), -2.0);
  EXPECT_EQ(s->reward_seen, (std::vector<char>{1, 1}));
  EXPECT_EQ(s->seen, bit(ResponseField::kQuery) | bit(ResponseField::kModel) |
                         bit(ResponseField::kGold) | bit(ResponseField::kOutputTokens) |
                         bit(ResponseField::kRewards));
}

// Lines the scanner must take, so that ordinary files never need RapidJSON.
TEST_F(PlainResponseScannerTest, AcceptsPlainVariants) {
  const char* const lines[] = {
      // examples/tiny's style: blanks after colons and commas, cost and text
      R"({"query": "t1", "model": "gamma", "gold": 0.5, "output_tokens": 40, "cost": 0.001, )"
      R"("text": "gamma's answer to t1", "rewards": {"judge-rm": 0.9, "other-rm": 1}})",
      // any field order, reward models in any order, tabs and blanks around everything
      " \t{ \"rewards\" : { \"other-rm\" : 3 , \"judge-rm\" : 4 } , \"gold\" : 1 ,"
      " \"output_tokens\" : 0 , \"model\" : \"m\" , \"query\" : \"q\" } \t",
      // fields missing: the reader reports them, the scanner only reads
      R"({"query":"q1"})",
      "{}",
      R"({"rewards":{}})",
      // numbers: negative zero, negative exponents, long fractions, UTF-8 in strings
      R"({"gold":-0,"cost":1e-3,"output_tokens":4294967295,"rewards":{"judge-rm":2.5E-300}})",
      "{\"gold\":0.1000000000000000055511151231257827,\"text\":\"caf\xc3\xa9 \x7f\"}",
  };
  for (const char* line : lines) {
    SCOPED_TRACE(line);
    EXPECT_TRUE(accepted_and_agrees(line));
  }
}

// Lines outside the subset, each for a reason the header names; RapidJSON parses them.
TEST_F(PlainResponseScannerTest, DeclinesEverythingElse) {
  const char* const lines[] = {
      "",
      "   ",
      R"(["q1"])",
      R"("q1")",
      R"({"query":"q\u0031"})",         // an escape
      R"({"query":"a\"b"})",
      "{\"text\":\"tab\there\"}",        // a control byte
      R"({"meta":{"gold":5}})",          // meta may hold anything
      R"({"extra":1})",                  // unknown field
      R"({"gold":1,"gold":2})",          // repeated field
      R"({"rewards":{"judge-rm":1,"judge-rm":2}})",
      R"({"rewards":{"nosuch-rm":1}})",
      R"({"rewards":{"judge-rm":"1"}})",
      R"({"rewards":[1]})",
      R"({"gold":1e5})",                 // positive exponents
      R"({"gold":1E+5})",
      R"({"gold":0e400})",
      R"({"gold":01})",                  // not JSON numbers
      R"({"gold":1.})",
      R"({"gold":.5})",
      R"({"gold":-})",
      R"({"gold":+1})",
      R"({"gold":NaN})",
      R"({"gold":Infinity})",
      R"({"gold":1e-400})",              // from_chars: out of range
      R"({"gold":"1"})",                 // wrong types
      R"({"gold":null})",
      R"({"query":1})",
      R"({"output_tokens":2.5})",
      R"({"output_tokens":-1})",
      R"({"output_tokens":4294967296})",
      R"({"query":"q1",})",              // not JSON
      R"({"query":"q1"} x)",
      R"({"query":"q1")",
      "{\"query\":\"q1\"}\r",            // a CR (JSON white space) inside the line
      "{\"query\":\"q1\",\n\"model\":\"m\"}",
      "{\"query\":\"q\xff\"}",             // not UTF-8: RapidJSON names the byte
      "{\"model\":\"caf\xc3\"}",            // a sequence cut short
      "{\"text\":\"\xc0\xaf\"}",             // an overlong form
      "{\"text\":\"\xed\xa0\x80\"}",         // a UTF-16 surrogate
      "{\"rewards\":{\"judge-rm\xff\":1}}",
  };
  for (const char* line : lines) {
    SCOPED_TRACE(line);
    EXPECT_FALSE(plain(line));
  }
  // Numbers longer than 64 characters are left to RapidJSON, which limits integer digits.
  EXPECT_FALSE(plain(R"({"gold":0.)" + std::string(70, '3') + "}"));
  EXPECT_TRUE(plain(R"({"gold":0.)" + std::string(60, '3') + "}"));
}

// Every value of a pool in every position of a plain line: accepted ones must agree.
TEST_F(PlainResponseScannerTest, AgreesOnTrickyValues) {
  const char* const values[] = {
      "0", "-0", "1", "1.0", "1e0", "1E+0", "1e-3", "0.5e-3", "5E-1", "1e400", "0e400", "0e+400",
      "0.0E+999",
      "1.8e308", "-1.8e308", "1e-400", "2e-308", "4.9e-324", "2.4703282292062327e-324",
      "1.7976931348623157e308", "179769313486231570000000000000000000000000000000000000000000",
      "01", "1.", ".5", "-", "NaN", "-Infinity", "4294967295", "4294967296",
      "18446744073709551615", "18446744073709551616", "-1", "2.5", "0.1000000000000000055511151231257827",
      "true", "null", "\"x\"", "\"\"", "\"q\\u0031\"", "[]", "{}", "{\"judge-rm\":1}",
      "{\"other-rm\":1,\"judge-rm\":2}", "{\"judge-rm\":1,\"judge-rm\":2}", "{\"judge-rm\":[1]}",
  };
  const char* const templates[] = {
      R"({"query":@,"model":"m","gold":1,"output_tokens":2,"rewards":{"judge-rm":1,"other-rm":2}})",
      R"({"query":"q","model":"m","gold":@,"output_tokens":2,"rewards":{"judge-rm":1,"other-rm":2}})",
      R"({"query":"q","model":"m","gold":1,"output_tokens":@,"rewards":{"judge-rm":1,"other-rm":2}})",
      R"({"query":"q","model":"m","gold":1,"output_tokens":2,"cost":@,"rewards":{"judge-rm":1}})",
      R"({"query":"q","model":"m","gold":1,"output_tokens":2,"rewards":{"judge-rm":@,"other-rm":2}})",
      R"({"query":"q","model":"m","gold":1,"output_tokens":2,"rewards":@})",
      R"({"query":"q","text":@})",
  };
  std::size_t accepted = 0;
  for (const char* tmpl : templates) {
    for (const char* v : values) {
      std::string line = tmpl;
      line.replace(line.find('@'), 1, v);
      SCOPED_TRACE(line);
      accepted += accepted_and_agrees(line);
    }
  }
  EXPECT_GT(accepted, 40u);  // the pool reaches the scanner's accepting paths
}

// Every deletion, truncation, and replacement or insertion of a byte from a set that matters
// to JSON, in a few plain lines: tens of thousands of nearly plain lines.
TEST_F(PlainResponseScannerTest, AgreesOnEverySingleByteMutation) {
  const std::string seeds[] = {
      R"({"query":"q7","model":"alpha","gold":0.5,"output_tokens":120,"rewards":{"judge-rm":1.25,"other-rm":-2}})",
      R"({"query": "t1", "model": "gamma", "gold": 0.25, "output_tokens": 40, "cost": 0.001, )"
      R"("text": "an answer", "rewards": {"judge-rm": 9e-1}})",
      R"({"rewards":{"other-rm":-0.0,"judge-rm":10},"gold":-1.5E-7,"output_tokens":0,"model":"b","query":"q"})",
  };
  const std::string bytes = std::string("\"\\,:{}[] \t\r\n0159-+.eExnu") + '\x01' + '\x7f' + '\xc3';
  std::size_t accepted = 0, tried = 0;
  auto check = [&](const std::string& line) {
    ++tried;
    accepted += accepted_and_agrees(line);
  };
  for (const std::string& seed : seeds) {
    ASSERT_TRUE(accepted_and_agrees(seed)) << seed;
    for (std::size_t i = 0; i <= seed.size(); ++i) {
      check(seed.substr(0, i));
      if (i < seed.size()) check(seed.substr(0, i) + seed.substr(i + 1));
      for (char c : bytes) {
        check(seed.substr(0, i) + c + seed.substr(i));
        if (i < seed.size()) {
          std::string replaced = seed;
          replaced[i] = c;
          check(replaced);
        }
      }
    }
    if (::testing::Test::HasFailure()) return;  // one seed's differences are enough to read
  }
  EXPECT_GT(tried, 10000u);
  EXPECT_GT(accepted, 1000u);
}

}  // namespace
}  // namespace zooter
