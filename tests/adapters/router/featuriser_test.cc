#include "adapters/router/featuriser.h"

#include <gtest/gtest.h>

#include <cmath>

#include "harness/error.h"
#include "harness/random.h"
#include "harness/run_context.h"

namespace zooter::adapters::router {
namespace {

FeaturiserConfig unigrams_only(std::uint32_t dimension = 1u << 18) {
  FeaturiserConfig c;
  c.dimension = dimension;
  c.word_bigrams = false;
  c.char_ngram = 0;
  return c;
}

double norm(const SparseVector& v) {
  double s = 0.0;
  for (float x : v.value) s += static_cast<double>(x) * x;
  return std::sqrt(s);
}

std::uint64_t multiply_shift(std::uint64_t h, std::uint64_t dimension) {
  return ((random::mix64(h) >> 32) * dimension) >> 32;
}

TEST(Featuriser, BucketIsFnv1aMix64MultiplyShift) {
  // FNV-1a 64 of "a" is 0xaf63dc4c8601ec8c, of "" the offset basis (published test vectors).
  EXPECT_EQ(bucket_of("a", 1000), multiply_shift(0xaf63dc4c8601ec8cULL, 1000));
  EXPECT_EQ(bucket_of("", 1u << 18), multiply_shift(14695981039346656037ULL, 1u << 18));
}

TEST(Featuriser, SortedUniqueUnitNorm) {
  const Featuriser f;
  const SparseVector v = f("How do I solve x^2 + 3x = 4? Explain, step by step.");
  ASSERT_GT(v.size(), 10u);
  for (std::size_t i = 1; i < v.size(); ++i) EXPECT_LT(v.index[i - 1], v.index[i]);
  for (float x : v.value) EXPECT_GT(x, 0.0f);
  EXPECT_NEAR(norm(v), 1.0, 1e-6);
}

TEST(Featuriser, SublinearTermFrequency) {
  // "a a b", unigrams only: tf(a) = 2 -> 1 + ln 2, tf(b) = 1 -> 1, then L2-normalised.
  const Featuriser f(unigrams_only());
  const SparseVector v = f("a a b");
  ASSERT_EQ(v.size(), 2u);
  const double wa = 1.0 + std::log(2.0), wb = 1.0, n = std::sqrt(wa * wa + wb * wb);
  const std::uint32_t a = f("a").index[0];
  const std::size_t ia = v.index[0] == a ? 0 : 1;
  EXPECT_NEAR(v.value[ia], wa / n, 1e-6);
  EXPECT_NEAR(v.value[1 - ia], wb / n, 1e-6);
}

TEST(Featuriser, LowerCasesAndSplitsPunctuation) {
  const Featuriser f;
  EXPECT_EQ(f("Hello World").index, f("hello world").index);
  EXPECT_NE(f("what?").index, f("what").index);
  // '?' is a word of its own: "what ?" tokenises like "what?".
  EXPECT_EQ(f("what ?").index, f("what?").index);
}

TEST(Featuriser, FeatureCountsByKind) {
  FeaturiserConfig c = unigrams_only();
  EXPECT_EQ(Featuriser(c)("ab cd").size(), 2u);
  c.word_bigrams = true;
  EXPECT_EQ(Featuriser(c)("ab cd").size(), 3u);  // ab, cd, ab_cd
  c = unigrams_only();
  c.word_unigrams = false;
  c.char_ngram = 3;
  EXPECT_EQ(Featuriser(c)("ab").size(), 2u);  // "<ab", "ab>"
  // Character n-grams count code points: "<né>" has 4, so 2 trigrams.
  EXPECT_EQ(Featuriser(c)("n\xc3\xa9").size(), 2u);
}

TEST(Featuriser, EmptyTextGivesEmptyVector) {
  const Featuriser f;
  EXPECT_EQ(f("").size(), 0u);
  EXPECT_EQ(f(" \t\n").size(), 0u);
}

TEST(Featuriser, IndicesStayBelowDimension) {
  const Featuriser f(FeaturiserConfig{7, true, true, 3});
  const SparseVector v = f("a longer text with several words in it");
  for (std::uint32_t i : v.index) EXPECT_LT(i, 7u);
}

TEST(Featuriser, RowsMatchSingleCallsForAnyThreadCount) {
  const Featuriser f;
  std::vector<std::string> texts;
  for (int i = 0; i < 700; ++i) texts.push_back("query number " + std::to_string(i) + " about x");
  const std::vector<std::string_view> views(texts.begin(), texts.end());
  const SparseRows one = f.rows(views, RunContext(1));
  const SparseRows four = f.rows(views, RunContext(4));
  EXPECT_EQ(one.offset, four.offset);
  EXPECT_EQ(one.index, four.index);
  EXPECT_EQ(one.value, four.value);
  ASSERT_EQ(one.rows(), texts.size());
  const SparseVector v = f(texts[123]);
  const SparseView row = one.row(123);
  EXPECT_EQ(std::vector<std::uint32_t>(row.index.begin(), row.index.end()), v.index);
}

TEST(Featuriser, RejectsBadConfig) {
  EXPECT_THROW(Featuriser(FeaturiserConfig{0, true, true, 3}), UsageError);
  EXPECT_THROW(Featuriser(FeaturiserConfig{16, true, true, 9}), UsageError);
  EXPECT_THROW(Featuriser(FeaturiserConfig{16, false, false, 0}), UsageError);
}

}  // namespace
}  // namespace zooter::adapters::router
