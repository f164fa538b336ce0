// ProblemList and excerpt_of: how a file's problems are worded, limited, counted and excerpted.
#include "harness/problem_list.h"

#include <gtest/gtest.h>

#include <string>

#include "harness/error.h"

namespace zooter {
namespace {

// what() of the InputError throw_if_any throws; a test failure when it does not throw.
std::string thrown(const ProblemList& problems) {
  try {
    problems.throw_if_any();
  } catch (const InputError& e) {
    return e.what();
  }
  ADD_FAILURE() << "throw_if_any did not throw";
  return "";
}

TEST(ProblemList, EmptyDoesNotThrow) {
  const ProblemList problems("data/q.jsonl");
  EXPECT_TRUE(problems.empty());
  EXPECT_EQ(problems.count(), 0u);
  EXPECT_NO_THROW(problems.throw_if_any());
}

TEST(ProblemList, LineZeroMeansTheWholeFile) {
  ProblemList problems("data/q.jsonl");
  problems.add(0, "file is empty");
  EXPECT_EQ(problems.shown(), (std::vector<std::string>{"data/q.jsonl: file is empty"}));
  EXPECT_EQ(thrown(problems), "data/q.jsonl: file is empty");
}

TEST(ProblemList, LineAndExcerpt) {
  ProblemList problems("data/q.jsonl");
  problems.add(7, "unknown split \"dev\"", R"({"split": "dev"})");
  problems.add(9, "empty line", "");
  EXPECT_FALSE(problems.empty());
  EXPECT_EQ(problems.count(), 2u);
  EXPECT_EQ(thrown(problems),
            "data/q.jsonl:7: unknown split \"dev\"\n  | {\"split\": \"dev\"}\n"
            "data/q.jsonl:9: empty line");
}

TEST(ProblemList, KeepsTheOrderOfAdding) {
  ProblemList problems("f");
  problems.add(5, "b");
  problems.add(2, "a");
  EXPECT_EQ(thrown(problems), "f:5: b\nf:2: a");
}

TEST(ProblemList, LimitShowsTheFirstAndCountsTheRest) {
  ProblemList problems("data/r.jsonl", 2);
  for (std::size_t line = 1; line <= 5; ++line) problems.add(line, "bad");
  EXPECT_EQ(problems.count(), 5u);
  EXPECT_EQ(problems.shown().size(), 2u);
  EXPECT_EQ(thrown(problems),
            "data/r.jsonl:1: bad\ndata/r.jsonl:2: bad\n"
            "data/r.jsonl: 3 more problem(s) not shown (5 in all)");
}

TEST(ProblemList, ExactlyAtTheLimitHasNoCount) {
  ProblemList problems("f", 2);
  problems.add(1, "x");
  problems.add(2, "y");
  EXPECT_EQ(thrown(problems), "f:1: x\nf:2: y");
}

TEST(ProblemList, DefaultLimitIsTwenty) {
  ProblemList problems("f");
  for (std::size_t line = 1; line <= 21; ++line) problems.add(line, "bad");
  EXPECT_EQ(problems.shown().size(), 20u);
  const std::string what = thrown(problems);
  EXPECT_EQ(what.substr(what.rfind('\n') + 1), "f: 1 more problem(s) not shown (21 in all)");
}

TEST(ExcerptOf, ShortLineUnchanged) {
  EXPECT_EQ(excerpt_of(R"({"id": "q1"})"), R"({"id": "q1"})");
  EXPECT_EQ(excerpt_of(""), "");
}

TEST(ExcerptOf, FirstEightyBytes) {
  const std::string eighty(80, 'a');
  EXPECT_EQ(excerpt_of(eighty), eighty);
  EXPECT_EQ(excerpt_of(eighty + "b"), eighty + "...");
}

TEST(ExcerptOf, ControlCharactersMadeVisible) {
  EXPECT_EQ(excerpt_of(std::string("a\tb\rc\x1b" "d\x7f", 8)), "a\\x09b\\x0dc\\x1bd\\x7f");
  EXPECT_EQ(excerpt_of(std::string("x\0y", 3)), "x\\x00y");
}

TEST(ExcerptOf, Utf8BytesKept) {
  EXPECT_EQ(excerpt_of("caf\xC3\xA9"), "caf\xC3\xA9");
}

// A message holding an excerpt stays UTF-8 whatever the line held.
TEST(ExcerptOf, BytesThatAreNotUtf8MadeVisible) {
  EXPECT_EQ(excerpt_of("a\xFF" "b\xC3(\xED\xA0\x80\xC0\xAF" "caf\xC3"), "a\\xffb\\xc3(\\xed\\xa0\\x80\\xc0\\xafcaf\\xc3");
  // A character the cut would split is kept whole.
  const std::string seventy_nine(79, 'a');
  EXPECT_EQ(excerpt_of(seventy_nine + "\xE2\x82\xAC" + "b"), seventy_nine + "\xE2\x82\xAC...");
}

// The limit counts bytes of the line, not of the escaped excerpt.
TEST(ExcerptOf, LimitCountsLineBytes) {
  const std::string tabs(80, '\t');
  std::string expected;
  for (int i = 0; i < 80; ++i) expected += "\\x09";
  EXPECT_EQ(excerpt_of(tabs), expected);
  EXPECT_EQ(excerpt_of(tabs + "\t"), expected + "...");
}

}  // namespace
}  // namespace zooter
