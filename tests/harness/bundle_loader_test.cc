// load_bundle: examples/tiny loads with the values worked out by hand below, and every class of
// bad input is rejected with its exact "path:line: message" (docs/bundle-format.md, "Errors the
// loader reports"). Each bad bundle is a copy of examples/tiny with one file rewritten.
#include "harness/bundle_loader.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <ostream>
#include <string>
#include <vector>

#include "harness/bundle.h"
#include "harness/error.h"
#include "tests/harness/load_error.h"
#include "tests/helpers.h"

namespace zooter {
namespace {

using ::testing::HasSubstr;

// The excerpt printed under a problem: the line's first 80 bytes, then "..." when cut. The
// lines used here have no control characters (those are tested in problem_list_test.cc).
std::string excerpt(const std::string& line) {
  return line.size() > 80 ? line.substr(0, 80) + "..." : line;
}

// One problem as the loader prints it.
std::string problem(const std::string& path, std::size_t line, const std::string& message,
                    const std::string& bad_line) {
  return path + ":" + std::to_string(line) + ": " + message + "\n  | " + excerpt(bad_line);
}

using test::load_error;

class BundleLoaderTest : public ::testing::Test {
 protected:
  test::TempDir tmp_;
  const std::string dir_ = test::copy_tiny_bundle(tmp_);
  const std::string manifest_ = dir_ + "/manifest.json";
  const std::string queries_ = dir_ + "/queries.jsonl";
  const std::string responses_ = dir_ + "/responses.jsonl";
};

// Model columns in manifest order; responses.jsonl lists gamma first, then alpha, then beta.
constexpr std::size_t kAlpha = 0, kBeta = 1, kGamma = 2;
// Queries in file order: t1 t2 h1 h2 c1 c2 m1 m2 m3.
constexpr std::size_t kT1 = 0, kH1 = 2, kC2 = 5, kM2 = 7;

TEST_F(BundleLoaderTest, TinyLoads) {
  const Bundle b = load_bundle(test::tiny_bundle_dir());
  EXPECT_EQ(b.manifest.suite, "tiny");
  EXPECT_EQ(b.query_count(), 9u);
  EXPECT_EQ(b.model_count(), 3u);
  ASSERT_EQ(b.manifest.models[kAlpha].name, "alpha");
  ASSERT_EQ(b.manifest.models[kBeta].name, "beta");
  ASSERT_EQ(b.manifest.models[kGamma].name, "gamma");
  EXPECT_EQ(b.manifest.subsets.size(), 3u);
  EXPECT_EQ(b.manifest.groups.size(), 2u);
  EXPECT_EQ(b.manifest.reward_models.size(), 1u);

  // Tags get ids in order of first appearance; c2 is tagged naming (new) then cooking (t1's).
  EXPECT_EQ(b.tag_names, (std::vector<std::string>{"cooking", "arithmetic", "household", "poetry",
                                                   "naming", "algebra", "calculus"}));
  const auto c2_tags = b.queries.tags(kC2);
  EXPECT_EQ(std::vector<std::uint32_t>(c2_tags.begin(), c2_tags.end()),
            (std::vector<std::uint32_t>{4, 0}));
  EXPECT_EQ(b.queries.id[kM2], "m2");
  EXPECT_EQ(b.queries.split[kT1], *b.manifest.find_split("train"));
  EXPECT_EQ(b.queries.subset[kM2], *b.manifest.find_subset("exam/math"));
  EXPECT_EQ(b.queries.input_tokens[kM2], 10u);

  // Cells are in manifest model order, whatever the order of responses.jsonl.
  EXPECT_EQ(b.gold(kM2, kBeta), 1.0);
  EXPECT_EQ(b.gold(kM2, kAlpha), 0.0);
  EXPECT_EQ(b.gold(kM2, kGamma), 0.0);
  EXPECT_EQ(b.gold(kT1, kAlpha), 1.0);  // gamma's t1 (the file's first line) is 0.5
  EXPECT_EQ(b.gold(kT1, kGamma), 0.5);
  EXPECT_EQ(b.gold(kH1, kBeta), 0.5);
  EXPECT_EQ(b.reward(0, kM2, kBeta), 3.0);
  EXPECT_EQ(b.reward(0, kT1, kGamma), 0.9);
  EXPECT_EQ(b.responses.output_tokens[b.responses.cell(kH1, kAlpha)], 20u);
  EXPECT_EQ(b.responses.output_tokens[b.responses.cell(kH1, kGamma)], 40u);

  // Dollars: alpha from prices, 10 x 0.2/1e6 + 20 x 0.4/1e6 = 1e-5; beta 10 x 0.1/1e6 +
  // 30 x 0.1/1e6 = 4e-6; gamma has no prices but a per-response cost of 0.001.
  for (std::size_t q = 0; q < b.query_count(); ++q) {
    SCOPED_TRACE(b.queries.id[q]);
    EXPECT_DOUBLE_EQ(b.responses.dollars[b.responses.cell(q, kAlpha)], 1e-5);
    EXPECT_DOUBLE_EQ(b.responses.dollars[b.responses.cell(q, kBeta)], 4e-6);
    EXPECT_DOUBLE_EQ(b.responses.dollars[b.responses.cell(q, kGamma)], 0.001);
  }

  EXPECT_TRUE(b.responses.text.empty());  // texts are kept only when asked for
  EXPECT_EQ(b.content_hash.size(), 32u);
  EXPECT_EQ(load_bundle(test::tiny_bundle_dir()).content_hash, b.content_hash);
}

TEST_F(BundleLoaderTest, TextsKeptWhenAsked) {
  LoadOptions options;
  options.with_text = true;
  const Bundle b = load_bundle(test::tiny_bundle_dir(), options);
  EXPECT_EQ(b.responses.text[b.responses.cell(kT1, kGamma)], "gamma's answer to t1");
  EXPECT_EQ(b.responses.text[b.responses.cell(kM2, kBeta)], "beta's answer to m2");
  EXPECT_EQ(b.queries.text[kM2], "solve 2x + 3 = 11");
}

TEST_F(BundleLoaderTest, MetaFieldIsIgnored) {
  test::replace_line(queries_, 3,
                     R"({"id": "h1", "subset": "chat/helpful", "split": "test", "input_tokens": 10, )"
                     R"("meta": {"source": "x"}})");
  test::replace_line(responses_, 3,
                     R"({"query": "h1", "model": "gamma", "gold": 0, "output_tokens": 40, )"
                     R"("rewards": {"judge-rm": 0.5}, "meta": [1, 2]})");
  const Bundle b = load_bundle(dir_);
  EXPECT_EQ(b.query_count(), 9u);
  EXPECT_EQ(b.gold(kH1, kGamma), 0.0);
}

// ---- One bad line: the whole error is that line's one problem and its excerpt. ----

struct BadLine {
  const char* name;
  const char* file;     // queries.jsonl or responses.jsonl
  std::size_t line;     // the line replaced (1-based)
  const char* text;     // its new content
  const char* message;  // expected after "path:line: "
};

// Queries: line 3 is h1 (chat/helpful, test), line 4 is h2.
// Responses: line 12 is (h1, alpha), gold 1, 20 output tokens, judge-rm reward 2.
const BadLine kBadLines[] = {
    {"UnknownSubset", "queries.jsonl", 3,
     R"({"id": "h1", "subset": "chat/nosuch", "split": "test", "input_tokens": 10})",
     R"(unknown subset "chat/nosuch" (not in manifest.json))"},
    {"UnknownSplit", "queries.jsonl", 3,
     R"({"id": "h1", "subset": "chat/helpful", "split": "dev", "input_tokens": 10})",
     R"(unknown split "dev" (not in manifest.json))"},
    {"DuplicateQueryId", "queries.jsonl", 4,
     R"({"id": "h1", "subset": "chat/helpful", "split": "test", "input_tokens": 10})",
     R"(duplicate query id "h1")"},
    {"QueryMissingField", "queries.jsonl", 3,
     R"({"id": "h1", "subset": "chat/helpful", "input_tokens": 10})", R"(missing field "split")"},
    {"QueryIdEmpty", "queries.jsonl", 3,
     R"({"id": "", "subset": "chat/helpful", "split": "test", "input_tokens": 10})",
     "id: expected a non-empty string"},
    {"InputTokensNegative", "queries.jsonl", 3,
     R"({"id": "h1", "subset": "chat/helpful", "split": "test", "input_tokens": -1})",
     "input_tokens: expected a non-negative integer"},
    {"InputTokensFractional", "queries.jsonl", 3,
     R"({"id": "h1", "subset": "chat/helpful", "split": "test", "input_tokens": 2.5})",
     "input_tokens: expected a non-negative integer"},
    {"InputTokensString", "queries.jsonl", 3,
     R"({"id": "h1", "subset": "chat/helpful", "split": "test", "input_tokens": "10"})",
     "input_tokens: expected a non-negative integer"},
    {"InputTokensOver32Bits", "queries.jsonl", 3,
     R"({"id": "h1", "subset": "chat/helpful", "split": "test", "input_tokens": 4294967296})",
     "input_tokens: expected a non-negative integer"},
    {"TagsNotArray", "queries.jsonl", 3,
     R"({"id": "h1", "subset": "chat/helpful", "split": "test", "tags": "cooking", "input_tokens": 10})",
     "tags: expected an array of strings"},
    {"TagEmpty", "queries.jsonl", 3,
     R"({"id": "h1", "subset": "chat/helpful", "split": "test", "tags": [""], "input_tokens": 10})",
     "tags: expected non-empty strings"},
    {"QueryTextNotString", "queries.jsonl", 3,
     R"({"id": "h1", "subset": "chat/helpful", "split": "test", "text": 7, "input_tokens": 10})",
     "text: expected a string"},
    {"QueryUnknownField", "queries.jsonl", 3,
     R"({"id": "h1", "subset": "chat/helpful", "split": "test", "lang": "en", "input_tokens": 10})",
     R"(unknown field "lang" (known: id, subset, split, text, tags, input_tokens, meta))"},
    {"QueryFieldRepeated", "queries.jsonl", 3,
     R"({"id": "h1", "id": "h1", "subset": "chat/helpful", "split": "test", "input_tokens": 10})",
     R"(field "id" appears twice)"},
    // The string never closes; RapidJSON reports the position just past the last byte.
    {"TruncatedLine", "queries.jsonl", 3, R"({"id": "q1", "sub)",
     "column 18: invalid JSON: Missing a closing quotation mark in string."},
    {"TrailingGarbage", "queries.jsonl", 3,
     R"({"id": "h1", "subset": "chat/helpful", "split": "test", "input_tokens": 10} x)",
     "column 77: invalid JSON: The document root must not be followed by other values."},
    {"NotAnObject", "queries.jsonl", 3, R"(["h1", "chat/helpful"])", "expected a JSON object"},

    {"UnknownModel", "responses.jsonl", 12,
     R"({"query": "h1", "model": "delta", "gold": 1, "output_tokens": 20, "rewards": {"judge-rm": 2}})",
     R"(unknown model "delta" (not in manifest.json))"},
    {"UnknownQuery", "responses.jsonl", 12,
     R"({"query": "zz", "model": "alpha", "gold": 1, "output_tokens": 20, "rewards": {"judge-rm": 2}})",
     R"(unknown query "zz" (not in queries.jsonl))"},
    {"UnknownRewardModel", "responses.jsonl", 12,
     R"({"query": "h1", "model": "alpha", "gold": 1, "output_tokens": 20, )"
     R"("rewards": {"judge-rm": 2, "other-rm": 1}})",
     R"(rewards: unknown reward model "other-rm" (not in manifest.json))"},
    {"RewardsMissing", "responses.jsonl", 12,
     R"({"query": "h1", "model": "alpha", "gold": 1, "output_tokens": 20})",
     R"(missing field "rewards" (the manifest declares reward models))"},
    {"RewardMissing", "responses.jsonl", 12,
     R"({"query": "h1", "model": "alpha", "gold": 1, "output_tokens": 20, "rewards": {}})",
     R"(rewards: missing "judge-rm")"},
    {"RewardRepeated", "responses.jsonl", 12,
     R"({"query": "h1", "model": "alpha", "gold": 1, "output_tokens": 20, )"
     R"("rewards": {"judge-rm": 2, "judge-rm": 3}})",
     R"(rewards: "judge-rm" appears twice)"},
    {"RewardNotNumber", "responses.jsonl", 12,
     R"({"query": "h1", "model": "alpha", "gold": 1, "output_tokens": 20, "rewards": {"judge-rm": "high"}})",
     "rewards.judge-rm: expected a finite number"},
    {"RewardsNotObject", "responses.jsonl", 12,
     R"({"query": "h1", "model": "alpha", "gold": 1, "output_tokens": 20, "rewards": [2]})",
     "rewards: expected an object of reward-model scores, got an array"},
    // Without kParseNanAndInfFlag RapidJSON has no NaN literal: invalid JSON at the 'N'.
    {"GoldNaN", "responses.jsonl", 12,
     R"({"query": "h1", "model": "alpha", "gold": NaN, "output_tokens": 20, "rewards": {"judge-rm": 2}})",
     "column 43: invalid JSON: Invalid value."},
    // 1e400 overflows a double: RapidJSON refuses it at the number's first byte (column 43).
    {"GoldInfinite", "responses.jsonl", 12,
     R"({"query": "h1", "model": "alpha", "gold": 1e400, "output_tokens": 20, "rewards": {"judge-rm": 2}})",
     "column 43: invalid JSON: Number too big to be stored in double."},
    // 1.8e308 passes RapidJSON's exponent check but is above the largest double.
    {"GoldOverflowsDouble", "responses.jsonl", 12,
     R"({"query": "h1", "model": "alpha", "gold": 1.8e308, "output_tokens": 20, "rewards": {"judge-rm": 2}})",
     "gold: 1.8e308 is not a finite number"},
    {"RewardOverflowsDouble", "responses.jsonl", 12,
     R"({"query": "h1", "model": "alpha", "gold": 1, "output_tokens": 20, "rewards": {"judge-rm": -1.8e308}})",
     "rewards.judge-rm: expected a finite number"},
    {"GoldString", "responses.jsonl", 12,
     R"({"query": "h1", "model": "alpha", "gold": "1", "output_tokens": 20, "rewards": {"judge-rm": 2}})",
     "gold: expected a number, got a string"},
    {"GoldAboveScale", "responses.jsonl", 12,
     R"({"query": "h1", "model": "alpha", "gold": 1.5, "output_tokens": 20, "rewards": {"judge-rm": 2}})",
     R"(gold: 1.5 is outside the scale [0, 1] of subset "chat/helpful")"},
    {"GoldBelowScale", "responses.jsonl", 12,
     R"({"query": "h1", "model": "alpha", "gold": -0.25, "output_tokens": 20, "rewards": {"judge-rm": 2}})",
     R"(gold: -0.25 is outside the scale [0, 1] of subset "chat/helpful")"},
    {"GoldMissing", "responses.jsonl", 12,
     R"({"query": "h1", "model": "alpha", "output_tokens": 20, "rewards": {"judge-rm": 2}})",
     R"(missing field "gold")"},
    {"OutputTokensNegative", "responses.jsonl", 12,
     R"({"query": "h1", "model": "alpha", "gold": 1, "output_tokens": -20, "rewards": {"judge-rm": 2}})",
     "output_tokens: expected a non-negative integer"},
    {"OutputTokensFractional", "responses.jsonl", 12,
     R"({"query": "h1", "model": "alpha", "gold": 1, "output_tokens": 20.5, "rewards": {"judge-rm": 2}})",
     "output_tokens: expected a non-negative integer"},
    {"QueryNotString", "responses.jsonl", 12,
     R"({"query": 3, "model": "alpha", "gold": 1, "output_tokens": 20, "rewards": {"judge-rm": 2}})",
     "query: expected a string, got a number"},
    {"CostNotNumber", "responses.jsonl", 12,
     R"({"query": "h1", "model": "alpha", "gold": 1, "output_tokens": 20, "cost": "free", )"
     R"("rewards": {"judge-rm": 2}})",
     "cost: expected a number, got a string"},
    {"CostNegative", "responses.jsonl", 12,
     R"({"query": "h1", "model": "alpha", "gold": 1, "output_tokens": 20, "cost": -1, )"
     R"("rewards": {"judge-rm": 2}})",
     "cost: expected a finite number >= 0"},
    {"ResponseUnknownField", "responses.jsonl", 12,
     R"({"query": "h1", "model": "alpha", "gold": 1, "score": 1, "output_tokens": 20, )"
     R"("rewards": {"judge-rm": 2}})",
     R"(unknown field "score" (known: query, model, gold, output_tokens, cost, text, rewards, meta))"},
    // The keys inside an unknown field's value are not read as fields.
    {"ResponseUnknownObjectField", "responses.jsonl", 12,
     R"({"query": "h1", "model": "alpha", "extra": {"gold": 5}, "gold": 1, "output_tokens": 20, )"
     R"("rewards": {"judge-rm": 2}})",
     R"(unknown field "extra" (known: query, model, gold, output_tokens, cost, text, rewards, meta))"},
    {"ResponseNotAnObject", "responses.jsonl", 12, R"(["h1", "alpha", 1])", "expected a JSON object"},
    {"ResponseTruncated", "responses.jsonl", 12, R"({"query": "h1", "model": "alpha", "gold": 1,)",
     "column 45: invalid JSON: Missing a name for object member."},
    {"ResponseFieldRepeated", "responses.jsonl", 12,
     R"({"query": "h1", "model": "alpha", "gold": 1, "gold": 0, "output_tokens": 20, )"
     R"("rewards": {"judge-rm": 2}})",
     R"(field "gold" appears twice)"},
};

void PrintTo(const BadLine& c, std::ostream* os) { *os << c.name; }

class BadLineTest : public BundleLoaderTest, public ::testing::WithParamInterface<BadLine> {};

TEST_P(BadLineTest, ReportsPathLineMessageAndExcerpt) {
  const BadLine& c = GetParam();
  const std::string path = dir_ + "/" + c.file;
  test::replace_line(path, c.line, c.text);
  EXPECT_EQ(load_error(dir_), problem(path, c.line, c.message, c.text));
}

INSTANTIATE_TEST_SUITE_P(BundleLoader, BadLineTest, ::testing::ValuesIn(kBadLines),
                         [](const ::testing::TestParamInfo<BadLine>& info) {
                           return std::string(info.param.name);
                         });

// ---- Problems that concern more than one line, or the file as a whole. ----

TEST_F(BundleLoaderTest, DuplicateResponseNamesFirstLine) {
  const std::string again =
      R"({"query": "h1", "model": "alpha", "gold": 0, "output_tokens": 20, "rewards": {"judge-rm": 2}})";
  test::write_file(responses_, test::read_file(responses_) + again + "\n");  // line 28
  EXPECT_EQ(load_error(dir_),
            problem(responses_, 28,
                    R"(duplicate response for query "h1" and model "alpha" (first at line 12))",
                    again));
}

TEST_F(BundleLoaderTest, MissingCellsNameQueryAndModel) {
  std::vector<std::string> lines = test::split_lines(test::read_file(responses_));
  lines.erase(lines.begin() + 11);  // line 12, (h1, alpha)
  lines.erase(lines.begin() + 2);   // line 3, (h1, gamma)
  test::write_file(responses_, test::join_lines(lines));
  // Whole-file problems have no line number; they come in cell order (query, then model).
  EXPECT_EQ(load_error(dir_), responses_ + R"(: missing response for query "h1" and model "alpha")"
                                  "\n" +
                                  responses_ +
                                  R"(: missing response for query "h1" and model "gamma")");
}

TEST_F(BundleLoaderTest, EmptyLineInTheMiddle) {
  std::vector<std::string> lines = test::split_lines(test::read_file(queries_));
  lines.insert(lines.begin() + 4, "");
  test::write_file(queries_, test::join_lines(lines));
  EXPECT_EQ(load_error(dir_), queries_ + ":5: empty line");
}

TEST_F(BundleLoaderTest, BlankLineIsAnEmptyLine) {
  std::vector<std::string> lines = test::split_lines(test::read_file(responses_));
  lines.insert(lines.begin() + 9, " \t ");
  test::write_file(responses_, test::join_lines(lines));
  EXPECT_EQ(load_error(dir_), responses_ + ":10: empty line\n  |  \\x09 ");
}

// A NUL byte is not JSON: what follows it on the line must not be ignored silently.
TEST_F(BundleLoaderTest, NulByteAfterAnObjectIsAProblem) {
  const std::string good = R"({"id": "h1", "subset": "chat/helpful", "split": "test", "input_tokens": 10})";
  test::replace_line(queries_, 3, good + std::string(1, '\0') + R"({"id": "h9"})");
  EXPECT_THAT(load_error(dir_), ::testing::StartsWith(queries_ + ":3: "));
}

TEST_F(BundleLoaderTest, EmptyQueriesFile) {
  test::write_file(queries_, "");
  EXPECT_EQ(load_error(dir_), queries_ + ": file is empty");
}

TEST_F(BundleLoaderTest, EmptyResponsesFile) {
  test::write_file(responses_, "");
  EXPECT_EQ(load_error(dir_), responses_ + ": file is empty");
}

TEST_F(BundleLoaderTest, EmptyManifest) {
  test::write_file(manifest_, "");
  EXPECT_EQ(load_error(dir_), manifest_ + ": file is empty");
}

TEST_F(BundleLoaderTest, ByteOrderMarkRejected) {
  const std::string bom = "\xEF\xBB\xBF";
  const std::string original = test::read_file(queries_);
  test::write_file(queries_, bom + original);
  // One problem, on line 1 only: the rest of the file is fine.
  EXPECT_EQ(load_error(dir_),
            problem(queries_, 1, "starts with a UTF-8 byte-order mark; save the file without it",
                    bom + test::split_lines(original)[0]));
}

TEST_F(BundleLoaderTest, ByteOrderMarkRejectedInManifest) {
  test::write_file(manifest_, "\xEF\xBB\xBF" + test::read_file(manifest_));
  EXPECT_EQ(load_error(dir_),
            manifest_ + ":1: starts with a UTF-8 byte-order mark; save the file without it");
}

TEST_F(BundleLoaderTest, OverLongLineSkippedAndLineNumbersKept) {
  // Every line of examples/tiny is under 150 bytes; line 3 gets a 300-byte text.
  test::replace_line(queries_, 3,
                     R"({"id": "h1", "subset": "chat/helpful", "split": "test", "text": ")" +
                         std::string(300, 'x') + R"(", "input_tokens": 10})");
  const std::string bad5 =
      R"({"id": "c1", "subset": "chat/nosuch", "split": "test", "input_tokens": 10})";
  test::replace_line(queries_, 5, bad5);
  LoadOptions options;
  options.max_line_bytes = 200;
  EXPECT_EQ(load_error(dir_, options),
            queries_ + ":3: line longer than 200 bytes; not parsed\n" +
                problem(queries_, 5, R"(unknown subset "chat/nosuch" (not in manifest.json))", bad5));
}

TEST_F(BundleLoaderTest, OverLongLineWithSmallLimit) {
  // With a 100-byte limit every line of tiny's queries.jsonl is too long.
  LoadOptions options;
  options.max_line_bytes = 100;
  const std::string error = load_error(dir_, options);
  EXPECT_THAT(error, HasSubstr(queries_ + ":1: line longer than 100 bytes; not parsed\n"));
  EXPECT_THAT(error, HasSubstr(queries_ + ":9: line longer than 100 bytes; not parsed"));
}

// An over-long last line without a newline must be rejected whole, even when the reader meets
// its end in a later block. The reader's first read is 1 MiB + max_line_bytes + 1 bytes; here
// the line's last bytes (after that read) are on their own a valid query, with responses.
TEST_F(BundleLoaderTest, OverLongFinalLineWithoutNewlineRejectedWhole) {
  constexpr std::size_t kMaxLine = 200;
  constexpr std::size_t kFirstRead = (std::size_t{1} << 20) + kMaxLine + 1;
  const std::string head = test::read_file(queries_);
  const std::string tail =
      R"({"id": "x9", "subset": "chat/helpful", "split": "test", "input_tokens": 1})";
  const std::string opening = R"({"id": "big", "text": ")";
  test::write_file(queries_, head + opening +
                                 std::string(kFirstRead - head.size() - opening.size(), 'x') + tail);
  ASSERT_EQ(test::read_file(queries_).size(), kFirstRead + tail.size());
  std::string more;
  for (const char* model : {"alpha", "beta", "gamma"}) {
    more += std::string(R"({"query": "x9", "model": ")") + model +
            R"(", "gold": 1, "output_tokens": 1, "rewards": {"judge-rm": 1}})" + "\n";
  }
  test::write_file(responses_, test::read_file(responses_) + more);
  LoadOptions options;
  options.max_line_bytes = kMaxLine;
  EXPECT_EQ(load_error(dir_, options), queries_ + ":10: line longer than 200 bytes; not parsed");
}

TEST_F(BundleLoaderTest, CrlfLineEndsAccepted) {
  const Bundle original = load_bundle(dir_);
  for (const std::string& path : {manifest_, queries_, responses_}) {
    test::write_file(path, test::join_lines(test::split_lines(test::read_file(path)), "\r\n"));
  }
  ASSERT_THAT(test::read_file(queries_), HasSubstr("\r\n"));
  const Bundle crlf = load_bundle(dir_);
  EXPECT_EQ(crlf.queries.id, original.queries.id);
  EXPECT_EQ(crlf.queries.text, original.queries.text);
  EXPECT_EQ(crlf.tag_names, original.tag_names);
  EXPECT_EQ(crlf.responses.gold, original.responses.gold);
  EXPECT_EQ(crlf.responses.dollars, original.responses.dollars);
  EXPECT_EQ(crlf.responses.rewards, original.responses.rewards);
}

// content_hash.h: "Lines are hashed without their line ends, so a CRLF copy of a bundle hashes
// like the original." The copy here converts all three files, manifest.json included.
TEST_F(BundleLoaderTest, CrlfCopyHashesLikeOriginal) {
  const std::string lf_hash = load_bundle(dir_).content_hash;
  for (const std::string& path : {manifest_, queries_, responses_}) {
    test::write_file(path, test::join_lines(test::split_lines(test::read_file(path)), "\r\n"));
  }
  EXPECT_EQ(load_bundle(dir_).content_hash, lf_hash);
}

TEST_F(BundleLoaderTest, CrlfJsonlFilesHashLikeOriginal) {
  const std::string lf_hash = load_bundle(dir_).content_hash;
  for (const std::string& path : {queries_, responses_}) {
    test::write_file(path, test::join_lines(test::split_lines(test::read_file(path)), "\r\n"));
  }
  EXPECT_EQ(load_bundle(dir_).content_hash, lf_hash);
}

TEST_F(BundleLoaderTest, FinalLineWithoutNewlineAccepted) {
  const Bundle original = load_bundle(dir_);
  for (const std::string& path : {queries_, responses_}) {
    std::string text = test::read_file(path);
    ASSERT_EQ(text.back(), '\n');
    text.pop_back();
    test::write_file(path, text);
  }
  const Bundle trimmed = load_bundle(dir_);
  EXPECT_EQ(trimmed.query_count(), 9u);
  EXPECT_EQ(trimmed.queries.id.back(), "m3");
  EXPECT_EQ(trimmed.responses.gold, original.responses.gold);
  EXPECT_EQ(trimmed.content_hash, original.content_hash);
}

TEST_F(BundleLoaderTest, AllProblemsOfAFileReportedTogetherInLineOrder) {
  const std::string bad2 = R"({"id": "t2", "subset": "exam/nosuch", "split": "train", "input_tokens": 10})";
  const std::string bad5 = R"({"id": "c1", "subset": "chat/creative", "split": "dev", "input_tokens": 10})";
  const std::string bad8 = R"({"id": "m2", "subset": "exam/math", "split": "test", "input_tokens": "10"})";
  test::replace_line(queries_, 8, bad8);
  test::replace_line(queries_, 2, bad2);
  test::replace_line(queries_, 5, bad5);
  EXPECT_EQ(load_error(dir_),
            problem(queries_, 2, R"(unknown subset "exam/nosuch" (not in manifest.json))", bad2) +
                "\n" + problem(queries_, 5, R"(unknown split "dev" (not in manifest.json))", bad5) +
                "\n" + problem(queries_, 8, "input_tokens: expected a non-negative integer", bad8));
}

TEST_F(BundleLoaderTest, SeveralProblemsOnOneLine) {
  const std::string bad =
      R"({"id": "h1", "subset": "chat/nosuch", "split": "dev", "input_tokens": -1})";
  test::replace_line(queries_, 3, bad);
  EXPECT_EQ(load_error(dir_),
            problem(queries_, 3, R"(unknown subset "chat/nosuch" (not in manifest.json))", bad) +
                "\n" + problem(queries_, 3, R"(unknown split "dev" (not in manifest.json))", bad) +
                "\n" + problem(queries_, 3, "input_tokens: expected a non-negative integer", bad));
}

TEST_F(BundleLoaderTest, ProblemsBeyondTheLimitAreCounted) {
  std::vector<std::string> bad;
  for (std::size_t line = 1; line <= 5; ++line) {
    bad.push_back(R"({"id": "q)" + std::to_string(line) +
                  R"(", "subset": "chat/helpful", "split": "dev", "input_tokens": 10})");
    test::replace_line(queries_, line, bad.back());
  }
  LoadOptions options;
  options.max_problems_per_file = 2;
  const std::string message = R"(unknown split "dev" (not in manifest.json))";
  EXPECT_EQ(load_error(dir_, options),
            problem(queries_, 1, message, bad[0]) + "\n" + problem(queries_, 2, message, bad[1]) +
                "\n" + queries_ + ": 3 more problem(s) not shown (5 in all)");
}

TEST_F(BundleLoaderTest, OnlyTheFirstBadFileIsReported) {
  const std::string bad_query =
      R"({"id": "h1", "subset": "chat/helpful", "split": "dev", "input_tokens": 10})";
  test::replace_line(queries_, 3, bad_query);
  test::replace_line(responses_, 12, "not json");
  EXPECT_EQ(load_error(dir_),
            problem(queries_, 3, R"(unknown split "dev" (not in manifest.json))", bad_query));
}

// ---- manifest.json: problems are named by field path; invalid JSON by line and column. ----

TEST_F(BundleLoaderTest, ManifestInvalidJsonHasLineAndColumn) {
  test::replace_in_file(manifest_, "\"version\": 1,", "\"version\": 1");
  // Line 4 is `  "suite": "tiny",`: the missing comma is noticed at its first quote.
  EXPECT_EQ(load_error(dir_), manifest_ + ":4: column 3: invalid JSON: Missing a comma or '}' "
                                          "after an object member.");
}

TEST_F(BundleLoaderTest, ManifestMissingFieldNamedByPath) {
  test::replace_in_file(manifest_, R"("metric": {"name": "accuracy", )", R"("metric": {)");
  EXPECT_EQ(load_error(dir_), manifest_ + ": groups[1].subsets[0].metric.name: missing");
}

// A missing field is one problem; its stand-in value must not be checked again as a name.
TEST_F(BundleLoaderTest, ManifestMissingSuiteIsOneProblem) {
  test::replace_in_file(manifest_, R"("suite": "tiny",)", "");
  EXPECT_EQ(load_error(dir_), manifest_ + ": suite: missing");
}

TEST_F(BundleLoaderTest, ManifestDuplicateSubsetId) {
  test::replace_in_file(manifest_, R"("id": "chat/creative")", R"("id": "chat/helpful")");
  EXPECT_EQ(load_error(dir_), manifest_ + R"(: duplicate subset id "chat/helpful")");
}

TEST_F(BundleLoaderTest, ManifestMetricMinEqualToMax) {
  test::replace_in_file(manifest_, R"("name": "accuracy", "min": 0, "max": 1)",
                        R"("name": "accuracy", "min": 1, "max": 1)");
  EXPECT_EQ(load_error(dir_), manifest_ + ": groups[1].subsets[0].metric.min: must be below max");
}

TEST_F(BundleLoaderTest, ManifestMetricMinAboveMax) {
  test::replace_in_file(manifest_, R"("name": "accuracy", "min": 0, "max": 1)",
                        R"("name": "accuracy", "min": 2, "max": 1)");
  EXPECT_EQ(load_error(dir_), manifest_ + ": groups[1].subsets[0].metric.min: must be below max");
}

TEST_F(BundleLoaderTest, ManifestHalfPrices) {
  test::replace_in_file(manifest_, R"("price_per_million_input": 0.1, "price_per_million_output": 0.1)",
                        R"("price_per_million_input": 0.1)");
  EXPECT_EQ(load_error(dir_), manifest_ + ": models[1]: give both price_per_million_input and "
                                          "price_per_million_output, or neither");
}

TEST_F(BundleLoaderTest, ManifestWrongFormat) {
  test::replace_in_file(manifest_, R"("zooter-bundle")", R"("zooter-bundel")");
  EXPECT_EQ(load_error(dir_), manifest_ + R"(: format: expected "zooter-bundle", got "zooter-bundel")");
}

TEST_F(BundleLoaderTest, ManifestWrongVersion) {
  test::replace_in_file(manifest_, R"("version": 1,)", R"("version": 2,)");
  EXPECT_EQ(load_error(dir_), manifest_ + ": version: this zooter reads version 1, the file says 2");
}

// A mistyped version is one problem; it must not also claim "the file says 0".
TEST_F(BundleLoaderTest, ManifestVersionAsStringIsOneProblem) {
  test::replace_in_file(manifest_, R"("version": 1,)", R"("version": "1",)");
  EXPECT_EQ(load_error(dir_), manifest_ + ": version: expected a number");
}

TEST_F(BundleLoaderTest, ManifestProblemsReportedTogether) {
  test::replace_in_file(manifest_, R"("zooter-bundle")", R"("zooter-bundel")");
  test::replace_in_file(manifest_, R"("version": 1,)", R"("version": 2,)");
  test::replace_in_file(manifest_, R"("id": "chat/creative")", R"("id": "chat/helpful")");
  EXPECT_EQ(load_error(dir_),
            manifest_ + R"(: format: expected "zooter-bundle", got "zooter-bundel")" + "\n" +
                manifest_ + ": version: this zooter reads version 1, the file says 2\n" +
                manifest_ + R"(: duplicate subset id "chat/helpful")");
}

// ---- Missing files. ----

TEST_F(BundleLoaderTest, MissingBundleDirectory) {
  const std::string missing = tmp_.file("no-such-bundle");
  EXPECT_EQ(load_error(missing),
            missing + ": does not exist (expected a bundle: manifest.json, queries.jsonl, "
                      "responses.jsonl)");
}

TEST_F(BundleLoaderTest, MissingManifest) {
  std::filesystem::remove(manifest_);
  EXPECT_EQ(load_error(dir_), manifest_ + ": does not exist (is this a bundle directory?)");
}

// ---- Encoding: every string of every file is UTF-8 (a report must be UTF-8 too). ----

// The first line of an error (the problem; its excerpt follows on the next line).
std::string first_line(const std::string& message) { return message.substr(0, message.find('\n')); }

const std::string kNotUtf8 = "invalid JSON: Invalid encoding in string.";

TEST_F(BundleLoaderTest, ManifestStringsMustBeUtf8) {
  const std::string original = test::read_file(manifest_);
  struct Case {
    std::string from, to, where;
  };
  const Case cases[] = {
      {R"("suite": "tiny")", "\"suite\": \"ti\xffny\"", ":4: column 15: "},           // a byte never in UTF-8
      {R"({"name": "gamma")", "{\"name\": \"gam\xc3\x28ma\"", ":26: column 18: "},   // a bad continuation
      {R"("name": "helpful")", "\"name\": \"help\xed\xa0\x80\"", ":13: column 43: "},  // a surrogate
      {R"({"name": "train")", "{\"name\": \"tr\xc0\xaf" "ain\"", ":8: column 17: "},     // an overlong "/"
      {R"("judge-rm")", "\"judge-rm\xf4\x90\x80\x80\"", ":29: column 23: "},        // past U+10FFFF
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.to);
    test::write_file(manifest_, original);
    test::replace_in_file(manifest_, c.from, c.to);
    EXPECT_EQ(load_error(dir_), manifest_ + c.where + kNotUtf8);
  }
}

TEST_F(BundleLoaderTest, QueryStringsMustBeUtf8) {
  const std::string original = test::read_file(queries_);
  struct Case {
    std::string from, to, where;
  };
  const Case cases[] = {
      {R"("id": "h1")", "\"id\": \"h\xff" "1\"", ":3: column 10: "},
      {R"("subset": "chat/helpful", "split": "train")", "\"subset\": \"chat/\xc0\xaf\", \"split\": \"train\"",
       ":1: column 30: "},
      {R"("split": "train", "text": "what)", "\"split\": \"tr\xe2\x82\", \"text\": \"what", ":2: column 49: "},
      {R"("what is 17 times 23")", "\"what is \xed\xbf\xbf 17 times 23\"", ":2: column 72: "},
      {R"(["arithmetic"])", "[\"arith\xf8metic\"]", ":2: column 101: "},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.to);
    test::write_file(queries_, original);
    test::replace_in_file(queries_, c.from, c.to);
    EXPECT_EQ(first_line(load_error(dir_)), queries_ + c.where + kNotUtf8);
  }
}

// Plain lines (the quick scanner's) and lines only RapidJSON reads (with "meta") alike.
TEST_F(BundleLoaderTest, ResponseStringsMustBeUtf8) {
  const std::string original = test::read_file(responses_);
  struct Case {
    std::string from, to, where;
  };
  const Case cases[] = {
      {R"({"query": "t1", "model": "gamma")", "{\"query\": \"t\xff" "1\", \"model\": \"gamma\"", ":1: column 13: "},
      {R"({"query": "t2", "model": "gamma")", "{\"query\": \"t2\", \"model\": \"gam\xc3ma\"", ":2: column 30: "},
      {R"("gamma's answer to h1")", "\"gamma's \xc0\x80" "answer to h1\"", ":3: column 99: "},
      {R"("gamma's answer to t1")", "\"gamma's answer to t1\", \"meta\": {\"note\": \"\xff\"}", ":1: column 134: "},
      {R"({"judge-rm": 0.5})", "{\"judge\xed\xa0\x80-rm\": 0.5}", ":3: column 132: "},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.to);
    test::write_file(responses_, original);
    test::replace_in_file(responses_, c.from, c.to);
    EXPECT_EQ(first_line(load_error(dir_)), responses_ + c.where + kNotUtf8);
  }
}

// The excerpt under a problem shows bytes that are not UTF-8 as \xNN, so that the message
// itself is UTF-8.
TEST_F(BundleLoaderTest, ExcerptShowsBytesThatAreNotUtf8) {
  test::replace_in_file(queries_, R"("id": "h1")", "\"id\": \"h\xff" "1\xc3\xa9\"");
  const std::string error = load_error(dir_);
  EXPECT_EQ(error.substr(error.find('\n') + 1, 30), "  | {\"id\": \"h\\xff1\xc3\xa9\", \"subset");
}

// ---- Repeated keys: the DOM would keep the first and silently ignore the other. ----

TEST_F(BundleLoaderTest, ManifestRepeatedKeyIsAnError) {
  const std::string original = test::read_file(manifest_);
  test::replace_in_file(manifest_, R"("suite": "tiny",)", R"("suite": "tiny", "suite": "other",)");
  EXPECT_EQ(load_error(dir_), manifest_ + R"(:4: key "suite" appears twice in one object (which value is meant?))");
  test::write_file(manifest_, original);
  test::replace_in_file(manifest_, R"({"name": "gamma", "parameters": 70e9})",
                        R"({"name": "gamma", "parameters": 70e9, "parameters": 7e9})");
  EXPECT_EQ(load_error(dir_),
            manifest_ + R"(:26: key "parameters" appears twice in one object (which value is meant?))");
}

TEST_F(BundleLoaderTest, MissingResponsesFile) {
  std::filesystem::remove(responses_);
  EXPECT_EQ(load_error(dir_), responses_ + ": does not exist");
}

// ---- Names: every name can be written in an adapter spec. ----

// A name holding a character the spec syntax uses ('@' starts the arguments, ',' separates
// them, '=' splits key from value) could be imported and then never named: "single@al=pha"
// reads as an argument "al". Every name field, with every such character, is refused at load
// with its line and field path.
struct NameField {
  const char* path;    // the field's path in the error
  const char* kind;    // what check_name calls it
  const char* before;  // the field's text in examples/tiny/manifest.json
  const char* value;   // its value there
  std::size_t line;
};

constexpr NameField kNameFields[] = {
    {"suite", "suite", R"("suite": "tiny")", "tiny", 4},
    {"splits[0].name", "split", R"({"name": "train")", "train", 8},
    {"groups[0].name", "group", R"({"name": "chat")", "chat", 12},
    {"groups[0].subsets[0].id", "subset", R"({"id": "chat/helpful")", "chat/helpful", 13},
    {"models[0].name", "model", R"({"name": "alpha")", "alpha", 24},
    {"reward_models[0].name", "reward model", R"({"name": "judge-rm")", "judge-rm", 29},
};

TEST_F(BundleLoaderTest, NameWithSpecSyntaxRefusedWithLine) {
  for (const NameField& field : kNameFields) {
    for (const char* bad : {"=", ",", "@", " "}) {
      const test::TempDir tmp;
      const std::string dir = test::copy_tiny_bundle(tmp);
      const std::string name = std::string(field.value).insert(2, bad);
      std::string after = field.before;
      after.replace(after.rfind(field.value), std::string(field.value).size(), name);
      test::replace_in_file(dir + "/manifest.json", field.before, after);
      EXPECT_EQ(load_error(dir), dir + "/manifest.json:" + std::to_string(field.line) + ": " + field.path +
                                     ": " + field.kind + " name \"" + name +
                                     "\" contains whitespace, '@', ',' or '=' (an adapter spec could not "
                                     "name it)")
          << field.path << " with '" << bad << "'";
    }
  }
}

// The line is the file's even after escapes: a "\n" escape earlier in the file is no line end.
TEST_F(BundleLoaderTest, NameLineCountsTheFilesLinesNotEscapes) {
  test::replace_in_file(manifest_, R"("description": "Hand-written)", R"("description": "a\nb\nc Hand-written)");
  test::replace_in_file(manifest_, R"({"name": "gamma")", R"({"name": "gam=ma")");
  EXPECT_EQ(load_error(dir_), manifest_ + ":26: models[2].name: model name \"gam=ma\" contains whitespace, '@', "
                                          "',' or '=' (an adapter spec could not name it)");
}

}  // namespace
}  // namespace zooter
