// The exact sign test, the paired bootstrap p-value and Holm's adjustment
// (harness/stats/significance.h) against binomial sums and adjustments worked out by hand.
#include "harness/stats/significance.h"

#include <gtest/gtest.h>

#include <cmath>

namespace zooter::stats {
namespace {

TEST(StatsSignTest, MatchesHandComputedBinomialSums) {
  // p = 2 * sum_{j <= min(w, l)} C(n, j) / 2^n, capped at 1.
  struct Row { std::size_t wins, losses; double p; };
  const Row rows[] = {
      {9, 1, 2.0 * (1 + 10) / 1024},                            // 0.021484375
      {1, 9, 2.0 * (1 + 10) / 1024},                            // symmetric
      {10, 0, 2.0 / 1024},
      {0, 3, 2.0 / 8},
      {15, 5, 2.0 * (1 + 20 + 190 + 1140 + 4845 + 15504) / 1048576},  // 0.0413894653...
      {12, 3, 2.0 * (1 + 15 + 105 + 455) / 32768},              // 0.03515625
      {6, 4, 2.0 * (1 + 10 + 45 + 120 + 210) / 1024},           // 0.75390625
      {5, 5, 1.0},                                              // 2 * P(X <= 5) > 1: capped
      {0, 0, 1.0},                                              // nothing to compare
  };
  for (const Row& row : rows) {
    SCOPED_TRACE(testing::Message() << row.wins << " vs " << row.losses);
    EXPECT_NEAR(sign_test_p(row.wins, row.losses), row.p, 1e-14 * row.p);
  }
}

TEST(StatsSignTest, StaysExactForLargeCounts) {
  // n = 15,000: no term may underflow. Compare with the normal approximation with continuity
  // correction, accurate to well under 1% at this n: z = (|w - n/2| - 1/2) / sqrt(n / 4).
  const double n = 15000.0, wins = 7400.0;
  const double z = (std::abs(wins - n / 2) - 0.5) / std::sqrt(n / 4);
  const double approx = std::erfc(z / std::sqrt(2.0));
  const double exact = sign_test_p(7400, 7600);
  EXPECT_NEAR(exact, approx, 0.005 * approx);
  EXPECT_EQ(sign_test_p(7600, 7400), exact);
  // Far in the tail the p-value is tiny but positive.
  const double tail = sign_test_p(9000, 6000);
  EXPECT_GT(tail, 0.0);
  EXPECT_LT(tail, 1e-100);
}

TEST(StatsHolm, MatchesHandAdjustment) {
  // p = {0.01, 0.04, 0.03, 0.005}, m = 4. Sorted: 0.005 (x4 = 0.02), 0.01 (x3 = 0.03),
  // 0.03 (x2 = 0.06), 0.04 (x1 = 0.04 -> running max 0.06). In input order:
  // {0.03, 0.06, 0.06, 0.02}.
  const std::vector<double> p = {0.01, 0.04, 0.03, 0.005};
  const std::vector<double> adjusted = holm(p);
  const double expected[] = {0.03, 0.06, 0.06, 0.02};
  ASSERT_EQ(adjusted.size(), 4u);
  for (std::size_t i = 0; i < 4; ++i) EXPECT_DOUBLE_EQ(adjusted[i], expected[i]);
}

TEST(StatsHolm, CapsAtOneAndKeepsTiesInInputOrder) {
  // {0.5, 0.2, 0.2}: sorted 0.2 (x3 = 0.6), 0.2 (x2 = 0.4 -> 0.6), 0.5 (x1 = 0.5 -> 0.6).
  const std::vector<double> adjusted = holm(std::vector<double>{0.5, 0.2, 0.2});
  EXPECT_DOUBLE_EQ(adjusted[0], 0.6);
  EXPECT_DOUBLE_EQ(adjusted[1], 0.6);
  EXPECT_DOUBLE_EQ(adjusted[2], 0.6);
  const std::vector<double> capped = holm(std::vector<double>{0.4, 0.9});
  EXPECT_EQ(capped[0], 0.8);
  EXPECT_EQ(capped[1], 0.9);
  EXPECT_EQ(holm(std::vector<double>{0.7, 0.6})[1], 1.0);  // 2 x 0.6 capped at 1
  EXPECT_TRUE(holm(std::vector<double>{}).empty());
}

TEST(StatsPairedBootstrapP, CountsBothTailsAndTies) {
  // {-1, 1, 2, 3}: one replicate <= 0, three >= 0: 2 * 1/4.
  EXPECT_EQ(paired_bootstrap_p(std::vector<double>{-1, 1, 2, 3}), 0.5);
  // A zero counts on both sides: {0, 1, 2, 3}: 2 * 1/4.
  EXPECT_EQ(paired_bootstrap_p(std::vector<double>{0, 1, 2, 3}), 0.5);
  EXPECT_EQ(paired_bootstrap_p(std::vector<double>{0, 0, 0}), 1.0);
  EXPECT_EQ(paired_bootstrap_p(std::vector<double>{0.1, 0.2}), 0.0);
  EXPECT_EQ(paired_bootstrap_p(std::vector<double>{-0.1, 0.2}), 1.0);
}

}  // namespace
}  // namespace zooter::stats
