#include "harness/random.h"

#include <gtest/gtest.h>

#include <set>

namespace zooter::random {
namespace {

TEST(Random, SameKeySameNumber) {
  EXPECT_EQ(bits(7, 1, 42), bits(7, 1, 42));
  EXPECT_NE(bits(7, 1, 42), bits(7, 1, 43));
  EXPECT_NE(bits(7, 1, 42), bits(8, 1, 42));
  EXPECT_NE(bits(7, 1, 42), bits(7, 2, 42));
}

TEST(Random, Mix64KnownValue) {
  // SplitMix64's first output for state 0 is 0xe220a8397b1dcdaf (Steele et al. 2014).
  EXPECT_EQ(mix64(0), 0xe220a8397b1dcdafULL);
}

TEST(Random, UniformMeanAndRange) {
  double sum = 0.0;
  const int n = 100000;
  for (int i = 0; i < n; ++i) {
    const double u = uniform01(1, 2, i);
    ASSERT_GE(u, 0.0);
    ASSERT_LT(u, 1.0);
    sum += u;
  }
  EXPECT_NEAR(sum / n, 0.5, 0.005);  // sd of the mean is 0.0009
}

TEST(Random, BelowCoversRange) {
  std::set<std::uint64_t> seen;
  for (int i = 0; i < 1000; ++i) seen.insert(below(3, 4, i, 6));
  EXPECT_EQ(seen, (std::set<std::uint64_t>{0, 1, 2, 3, 4, 5}));
}

TEST(Random, NormalMoments) {
  double sum = 0.0, sq = 0.0;
  const int n = 100000;
  for (int i = 0; i < n; ++i) {
    const double z = normal(5, 6, i);
    sum += z;
    sq += z * z;
  }
  EXPECT_NEAR(sum / n, 0.0, 0.02);
  EXPECT_NEAR(sq / n, 1.0, 0.02);
}

}  // namespace
}  // namespace zooter::random
