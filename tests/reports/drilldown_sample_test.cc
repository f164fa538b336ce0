// The drill-down's sample: everything when small, else the most disagreed-on queries plus an
// even spread per subset, worked out by hand on ten queries with small limits.
#include "reports/drilldown_sample.h"

#include <gtest/gtest.h>

#include <vector>

namespace zooter::reports {
namespace {

using Positions = std::vector<std::size_t>;

TEST(DrilldownSample, SmallRunsKeepEveryQuery) {
  const std::vector<std::size_t> subset_of = {0, 1, 0, 1};
  const std::vector<Disagreement> disagreement(4);
  const DrilldownSample sample = sample_drilldown(subset_of, disagreement, 2, {.most_disagreeing = 2, .per_subset_total = 2});
  EXPECT_EQ(sample.positions, (Positions{0, 1, 2, 3}));
  EXPECT_EQ(sample.most_disagreeing, 0u);
  EXPECT_EQ(sample.per_subset, 0u);
}

TEST(DrilldownSample, MostDisagreedOnThenEvenlySpacedPerSubset) {
  // Subset 0: queries 0..5; subset 1: queries 6..9.
  const std::vector<std::size_t> subset_of = {0, 0, 0, 0, 0, 0, 1, 1, 1, 1};
  std::vector<Disagreement> disagreement(10, Disagreement{1, 0.0});
  disagreement[4] = {3, 0.1};  // most distinct answers
  disagreement[7] = {2, 0.5};  // second: 2 answers, the widest spread of those
  disagreement[1] = {2, 0.2};
  disagreement[9] = {2, 0.2};  // ties with 1 on both: the earlier query (1) wins
  const DrilldownSample sample =
      sample_drilldown(subset_of, disagreement, 2, {.most_disagreeing = 3, .per_subset_total = 4});
  // Top 3: 4, 7, 1. Per subset max(1, 4 / 2) = 2, evenly spaced: subset 0 takes positions
  // 0 and 3 of its six (queries 0, 3); subset 1 positions 0 and 2 of its four (queries 6, 8).
  EXPECT_EQ(sample.positions, (Positions{0, 1, 3, 4, 6, 7, 8}));
  EXPECT_EQ(sample.most_disagreeing, 3u);
  EXPECT_EQ(sample.per_subset, 2u);
}

TEST(DrilldownSample, ManySubsetsGetOneQueryEach) {
  const std::vector<std::size_t> subset_of = {0, 1, 2, 3, 0, 1, 2, 3};
  const std::vector<Disagreement> disagreement(8);
  const DrilldownSample sample =
      sample_drilldown(subset_of, disagreement, 4, {.most_disagreeing = 1, .per_subset_total = 2});
  // Top 1 among equals: query 0. Per subset max(1, 2 / 4) = 1: the first of each, 0..3.
  EXPECT_EQ(sample.positions, (Positions{0, 1, 2, 3}));
  EXPECT_EQ(sample.per_subset, 1u);
}

}  // namespace
}  // namespace zooter::reports
