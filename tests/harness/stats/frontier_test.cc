// The cost-quality frontier (harness/stats/frontier.h) on hand-drawn examples.
#include "harness/stats/frontier.h"

#include <gtest/gtest.h>

namespace zooter::stats {
namespace {

// Five points (cost, quality), drawn:
//
//   4 |             D
//     |                 E          A (0, 1)   B (1, 3)   C (2, 3.2)   D (3, 4)   E (4, 3.5)
//   3 |     B   C
//     |                            Pareto: A, B, C, D (E costs more than D and is worse).
//   1 | A                          Hull: A -> B -> D (C is under the chord B-D, 3.5 at cost
//     +---------------- cost         2), then flat at 4 to E's cost 4.
//
// Area over [0, 4]: A-B (1 + 3) / 2 x 1 = 2, B-D (3 + 4) / 2 x 2 = 7, flat 4 x 1 = 4: 13.
// AIQ = 13 / 4 = 3.25.
const std::vector<CostQuality> kDrawn = {{3, 4}, {0, 1}, {4, 3.5}, {2, 3.2}, {1, 3}};  // D A E C B

TEST(StatsFrontier, ParetoSetOfHandDrawnExample) {
  EXPECT_EQ(pareto_front(kDrawn), (std::vector<std::size_t>{1, 4, 3, 0}));  // A B C D by cost
}

TEST(StatsFrontier, ParetoKeepsIdenticalPointsAndDropsEqualCostWorse) {
  // Two identical optimal points both stay; at equal cost only the best quality can; equal
  // quality at a higher cost is dominated.
  const std::vector<CostQuality> points = {{1, 2}, {1, 2}, {1, 1}, {2, 2}, {3, 5}};
  EXPECT_EQ(pareto_front(points), (std::vector<std::size_t>{0, 1, 4}));
  EXPECT_TRUE(pareto_front(std::vector<CostQuality>{}).empty());
}

TEST(StatsFrontier, HullAndAiqOfHandDrawnExample) {
  const std::vector<CostQuality> hull = non_decreasing_hull(kDrawn);
  ASSERT_EQ(hull.size(), 4u);
  const double expected[][2] = {{0, 1}, {1, 3}, {3, 4}, {4, 4}};
  for (std::size_t i = 0; i < hull.size(); ++i) {
    EXPECT_EQ(hull[i].cost, expected[i][0]);
    EXPECT_EQ(hull[i].quality, expected[i][1]);
  }
  EXPECT_DOUBLE_EQ(area_under_hull(hull, 0, 4), 13.0);
  EXPECT_DOUBLE_EQ(aiq(kDrawn), 3.25);
  // A sub-range: [0.5, 2] = (2 + 3) / 2 x 0.5 + (3 + 3.5) / 2 x 1 = 1.25 + 3.25 = 4.5.
  EXPECT_DOUBLE_EQ(area_under_hull(hull, 0.5, 2), 4.5);
  EXPECT_DOUBLE_EQ(aiq(kDrawn, 0.5, 2), 3.0);
  // Beyond the points the hull stays flat: [0, 6] adds 2 x 4.
  EXPECT_DOUBLE_EQ(aiq(kDrawn, 0, 6), 21.0 / 6);
  EXPECT_DOUBLE_EQ(aiq(kDrawn, 2, 2), 3.5);  // the hull's value at one cost
}

TEST(StatsFrontier, HullOfDegenerateInputs) {
  // One point; several points at one cost; collinear points (the middle one is dropped).
  EXPECT_EQ(non_decreasing_hull(std::vector<CostQuality>{{2, 5}}).size(), 1u);
  EXPECT_DOUBLE_EQ(aiq(std::vector<CostQuality>{{2, 5}}), 5.0);
  const auto same_cost = non_decreasing_hull(std::vector<CostQuality>{{1, 2}, {1, 4}});
  ASSERT_EQ(same_cost.size(), 1u);
  EXPECT_EQ(same_cost[0].quality, 4.0);
  const auto collinear = non_decreasing_hull(std::vector<CostQuality>{{0, 0}, {1, 1}, {2, 2}});
  ASSERT_EQ(collinear.size(), 2u);
  EXPECT_DOUBLE_EQ(aiq(std::vector<CostQuality>{{0, 0}, {1, 1}, {2, 2}}), 1.0);
  // The cheapest point is the best: flat from there.
  const auto flat = non_decreasing_hull(std::vector<CostQuality>{{0, 3}, {1, 2}, {5, 1}});
  ASSERT_EQ(flat.size(), 2u);
  EXPECT_EQ(flat[1].cost, 5.0);
  EXPECT_EQ(flat[1].quality, 3.0);
}

// A hand-made router sweep between weak quality 0.25 and strong quality 0.75:
//   strong share  0 (anchor)  0.25   0.5    1 (anchor)
//   quality       0.25        0.5    0.625  0.75
//   PGR           0           0.5    0.75   1
// APGR = 0.25 x 0.25 + 0.25 x (0.5 + 0.75) / 2 + 0.5 x (0.75 + 1) / 2
//      = 0.0625 + 0.15625 + 0.4375 = 0.65625.
// CPT(20%) = 0.25 x 0.2 / 0.5 = 0.1; CPT(50%) = 0.25; CPT(80%) = 0.5 + 0.5 x 0.05 / 0.25 = 0.6.
const std::vector<CallQuality> kSweep = {{0.5, 0.625}, {0.25, 0.5}};

TEST(StatsRouteLlm, PgrApgrAndCptOfHandMadeCurve) {
  EXPECT_EQ(pgr(0.5, 0.25, 0.75), 0.5);
  EXPECT_FALSE(pgr(0.5, 0.4, 0.4).has_value());
  const auto curve = pgr_curve(kSweep, 0.25, 0.75);
  ASSERT_TRUE(curve.has_value());
  ASSERT_EQ(curve->size(), 4u);
  EXPECT_EQ((*curve)[0].strong_share, 0.0);
  EXPECT_EQ((*curve)[3].quality, 1.0);
  EXPECT_DOUBLE_EQ(*apgr(kSweep, 0.25, 0.75), 0.65625);
  EXPECT_DOUBLE_EQ(*cpt(kSweep, 0.25, 0.75, 0.2), 0.1);
  EXPECT_DOUBLE_EQ(*cpt(kSweep, 0.25, 0.75, 0.5), 0.25);
  EXPECT_DOUBLE_EQ(*cpt(kSweep, 0.25, 0.75, 0.8), 0.6);
  EXPECT_DOUBLE_EQ(*cpt(kSweep, 0.25, 0.75, 0.0), 0.0);
  EXPECT_FALSE(cpt(kSweep, 0.25, 0.75, 1.2).has_value());  // never reached
  EXPECT_FALSE(apgr(kSweep, 0.5, 0.5).has_value());
}

TEST(StatsRouteLlm, RandomRouterHasHalfApgrAndCptEqualToTarget) {
  // Routing a uniformly random share c to the strong model gives quality weak + c x gap:
  // PGR(c) = c, so APGR = 0.5 and CPT(x) = x.
  std::vector<CallQuality> sweep;
  for (int i = 0; i <= 10; ++i) sweep.push_back({i / 10.0, 0.2 + 0.6 * (i / 10.0)});
  EXPECT_NEAR(*apgr(sweep, 0.2, 0.8), 0.5, 1e-12);
  EXPECT_NEAR(*cpt(sweep, 0.2, 0.8, 0.5), 0.5, 1e-12);
  EXPECT_NEAR(*cpt(sweep, 0.2, 0.8, 0.8), 0.8, 1e-12);
}

}  // namespace
}  // namespace zooter::stats
