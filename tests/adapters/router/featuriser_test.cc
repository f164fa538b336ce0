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

// Expected values worked out by hand from the definition in featuriser.h (and checked with an
// independent implementation): they pin the hash that router files depend on.
TEST(Featuriser, FeatureKeysAreTheDocumentedHash) {
  // Up to 8 bytes: seed ^ length ^ the bytes, little-endian ('a' = 0x61, 0x61 ^ 1 = 0x60).
  EXPECT_EQ(feature_key(kUnigramSeed, ""), kUnigramSeed);
  EXPECT_EQ(feature_key(kUnigramSeed, "a"), kUnigramSeed ^ 0x60);
  EXPECT_EQ(feature_key(kUnigramSeed, "a"), 0x75a3c1f06d2e9b27ULL);
  EXPECT_EQ(feature_key(kUnigramSeed, "abcdefgh"), kUnigramSeed ^ 8 ^ 0x6867666564636261ULL);
  // Past 8 bytes, one multiply round per full chunk, then the rest.
  std::uint64_t h = (kUnigramSeed ^ 10 ^ 0x6867666564636261ULL) * kKeyMultiplier;
  h ^= h >> 32;
  EXPECT_EQ(feature_key(kUnigramSeed, "abcdefghij"), h ^ 0x6a69);
  EXPECT_EQ(feature_key(kUnigramSeed, "abcdefghij"), 0x5a97d38004e5eeb5ULL);
  EXPECT_EQ(bigram_key(1, 2), random::mix64(1) ^ 2 ^ kBigramSeed);
  EXPECT_EQ(bucket_of(0x5a97d38004e5eeb5ULL, 1000), multiply_shift(0x5a97d38004e5eeb5ULL, 1000));
  EXPECT_EQ(bucket_of(0x5a97d38004e5eeb5ULL, 1000), 609u);
}

TEST(Featuriser, BucketsOfEachKindOfFeature) {
  constexpr std::uint32_t kDim = 1u << 18;
  FeaturiserConfig words = unigrams_only(kDim);
  words.word_bigrams = true;
  // "ab" 28749, "cd" 142998, the bigram "ab cd" 43562.
  EXPECT_EQ(Featuriser(words)("ab cd").index, (std::vector<std::uint32_t>{28749, 43562, 142998}));
  EXPECT_EQ(bucket_of(bigram_key(feature_key(kUnigramSeed, "ab"), feature_key(kUnigramSeed, "cd")), kDim),
            43562u);
  FeaturiserConfig chars = unigrams_only(kDim);
  chars.word_unigrams = false;
  chars.char_ngram = 3;
  // "<ab" 160636 and "ab>" 37422: the ASCII path.
  EXPECT_EQ(Featuriser(chars)("ab").index, (std::vector<std::uint32_t>{37422, 160636}));
  EXPECT_EQ(bucket_of(feature_key(kCharGramSeed, "<ab"), kDim), 160636u);
  // "<né" and "né>", 4 bytes each: the code-point path.
  EXPECT_EQ(Featuriser(chars)("n\xc3\xa9").index, (std::vector<std::uint32_t>{40003, 164092}));
  EXPECT_EQ(bucket_of(feature_key(kCharGramSeed, "n\xc3\xa9>"), kDim), 40003u);
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
