#include "suites/paper_sim_rank_plan.h"

#include <gtest/gtest.h>

namespace zooter::suites {
namespace {

// Two subsets of one group with the same candidate means; the ranking may be planned up to 0.7.
// Rank 1's interval is [0.45, 0.7], rank 2's [0.40, 0.45]; the plan keeps 20% from either end:
// [0.50, 0.65] and [0.41, 0.44].
RankPlanSubsets two_subsets() {
  RankPlanSubsets in;
  in.group = {0, 0};
  in.candidate = {{0.1, 0.2, 0.3, 0.35, 0.4, 0.45}, {0.1, 0.2, 0.3, 0.35, 0.4, 0.45}};
  in.ceiling = {0.7, 0.7};
  in.average_tolerance = {0.02, 0.05, 0.10, 0.01};
  return in;
}

TEST(PaperSimRankPlan, FirstEverywhereAtTheLowEndOfRankOne) {
  RankingTargets t;
  t.group_average[0] = 0.5;
  t.group_mtr[0] = 1.0;
  t.mtr = 1.0;
  t.uplift = 1.0;
  const RankPlan plan = plan_ranking(two_subsets(), t);
  EXPECT_EQ(plan.rank, (std::vector<int>{1, 1}));
  ASSERT_EQ(plan.mean.size(), 2u);
  EXPECT_NEAR(plan.mean[0], 0.5, 1e-12);
  EXPECT_NEAR(plan.mean[1], 0.5, 1e-12);
}

// MTR 1.5 and %Uplift 0.5 need one first and one second place. The first subset moves first
// (subset order), to rank 2; one interpolation weight (0.5) then gives the average 0.5:
// 0.41 + 0.5 x 0.03 = 0.425 and 0.50 + 0.5 x 0.15 = 0.575.
TEST(PaperSimRankPlan, MixedRanksKeepTheGroupAverage) {
  RankingTargets t;
  t.group_average[0] = 0.5;
  t.group_mtr[0] = 1.5;
  t.mtr = 1.5;
  t.uplift = 0.5;
  const RankPlan plan = plan_ranking(two_subsets(), t);
  EXPECT_EQ(plan.rank, (std::vector<int>{2, 1}));
  ASSERT_EQ(plan.mean.size(), 2u);
  EXPECT_NEAR(plan.mean[0], 0.425, 1e-12);
  EXPECT_NEAR(plan.mean[1], 0.575, 1e-12);
}

}  // namespace
}  // namespace zooter::suites
