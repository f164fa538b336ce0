// The cost-quality frontier of a report, on a hand-made two-subset report whose every number
// is worked out in the comments: normalised quality, cost unit, Pareto flags, AIQ, strong-call
// shares, and a lambda sweep's APGR and CPT against a strong/weak pair.
#include <gtest/gtest.h>

#include "harness/error.h"
#include "reports/frontier_builder.h"

namespace zooter::reports {
namespace {

// Subsets: s0 scored 0..1 (higher better), s1 scored 0..10 (lower better); two queries each.
// Candidates: weak, strong.
AdapterResult adapter(const std::string& name, double s0, double s1, std::optional<double> dollars,
                      std::vector<std::vector<double>> shares) {
  AdapterResult a;
  a.name = name;
  a.kind = "candidate";
  a.subset_score = {s0, s1};
  a.routing_share = std::move(shares);
  a.cost.dollars = dollars;
  a.cost.generation_flops = 4e12;  // 1 TFLOP per query
  return a;
}

Report hand_made_report() {
  Report r;
  r.models = {"weak", "strong"};
  r.subsets = {{"s0", "s0", "acc", 0.0, 1.0, true, 2}, {"s1", "s1", "err", 0.0, 10.0, false, 2}};
  Evaluation& ev = r.evaluation;
  ev.queries = 4;
  // quality = (s0 + (1 - s1 / 10)) / 2; cost = dollars / 4 queries.
  ev.adapters.push_back(adapter("single@weak", 0.4, 6, 0.2, {{1, 0}, {1, 0}}));         // 0.40, 0.05
  ev.adapters.push_back(adapter("single@strong", 0.8, 2, 0.8, {{0, 1}, {0, 1}}));       // 0.80, 0.20
  ev.adapters.push_back(adapter("router", 0.7, 4, 0.4, {{0.5, 0.5}, {0, 1}}));          // 0.65, 0.10
  ev.adapters.push_back(adapter("oracle", 0.9, 1, 1.2, {{0.5, 0.5}, {0.5, 0.5}}));      // 0.90, 0.30
  ev.adapters.push_back(adapter("dominated", 0.3, 8, 0.6, {{1, 0}, {1, 0}}));           // 0.25, 0.15
  return r;
}

TEST(FrontierBuilder, NormalisedQualityFlipsLowerIsBetter) {
  const Report r = hand_made_report();
  EXPECT_DOUBLE_EQ(normalised_quality(r, r.evaluation.adapters[0]), 0.4);
  EXPECT_DOUBLE_EQ(normalised_quality(r, r.evaluation.adapters[2]), 0.65);
  EXPECT_DOUBLE_EQ(normalised_quality(r, r.evaluation.adapters[4]), 0.25);
}

TEST(FrontierBuilder, PointsParetoAndAiqInDollars) {
  const Report r = hand_made_report();
  const Frontier f = make_frontier(r, r.evaluation, {nullptr, {}, "strong", "weak", {}});
  EXPECT_EQ(f.cost_unit, "dollars");
  ASSERT_EQ(f.points.size(), 5u);
  EXPECT_DOUBLE_EQ(f.points[2].cost, 0.1);
  EXPECT_DOUBLE_EQ(f.points[2].quality, 0.65);
  // Router answers: s0 half strong, s1 all strong: (0.5 x 2 + 1 x 2) / 4 queries.
  EXPECT_DOUBLE_EQ(f.points[2].strong_share, 0.75);
  EXPECT_DOUBLE_EQ(f.points[1].strong_share, 1.0);
  const bool pareto[] = {true, true, true, true, false};
  for (std::size_t i = 0; i < 5; ++i) EXPECT_EQ(f.points[i].pareto, pareto[i]) << f.points[i].adapter;
  // Hull (0.05, .4) (0.1, .65) (0.2, .8) (0.3, .9): slopes 5, 1.5, 1, so every vertex stays.
  ASSERT_EQ(f.hull.size(), 4u);
  EXPECT_DOUBLE_EQ(f.hull[1].cost, 0.1);
  // Area: .05 x .525 + .1 x .725 + .1 x .85 = .18375 over a cost range of .25.
  EXPECT_NEAR(f.aiq, 0.735, 1e-12);
  EXPECT_TRUE(f.sweeps.empty());
}

// The oracle reads the evaluated gold: it stays on the plane (and on the Pareto front), but the
// headline hull and AIQ are the deployable adapters'; the AIQ with it is the reference line.
TEST(FrontierBuilder, ReferencesStayOffTheHeadlineAiq) {
  const Report r = hand_made_report();
  const Frontier f = make_frontier(r, r.evaluation, {nullptr, {}, "", "", {"oracle"}});
  ASSERT_EQ(f.points.size(), 5u);
  EXPECT_TRUE(f.points[3].reference);
  EXPECT_TRUE(f.points[3].pareto);
  EXPECT_FALSE(f.points[2].reference);
  EXPECT_EQ(reference_names(f), "oracle");
  // Hull (0.05, .4) (0.1, .65) (0.2, .8); area .05 x .525 + .1 x .725 = .09875 over .15.
  ASSERT_EQ(f.hull.size(), 3u);
  EXPECT_NEAR(f.aiq, 0.09875 / 0.15, 1e-12);
  ASSERT_TRUE(f.aiq_with_references.has_value());
  EXPECT_NEAR(*f.aiq_with_references, 0.735, 1e-12);  // every point, as without references
  // No reference in the run: no reference line.
  EXPECT_FALSE(make_frontier(r, r.evaluation, {}).aiq_with_references.has_value());
}

TEST(FrontierBuilder, TflopsWhenAnyAdapterLacksDollars) {
  Report r = hand_made_report();
  r.evaluation.adapters[3].cost.dollars.reset();
  r.evaluation.adapters[3].cost.generation_flops = 8e12;
  const Frontier f = make_frontier(r, r.evaluation, {});
  EXPECT_EQ(f.cost_unit, "TFLOPs");
  EXPECT_DOUBLE_EQ(f.points[0].cost, 1.0);
  EXPECT_DOUBLE_EQ(f.points[3].cost, 2.0);
  EXPECT_DOUBLE_EQ(f.points[0].strong_share, 0.0);  // no pair set
  EXPECT_TRUE(f.strong.empty());
}

TEST(FrontierBuilder, SweepWithStrongWeakPair) {
  const Report r = hand_made_report();
  Evaluation sweep;
  sweep.queries = 4;
  sweep.adapters.push_back(adapter("router@lambda=0", 0.7, 4, 0.4, {{0.5, 0.5}, {0, 1}}));  // .65, .1, .75
  sweep.adapters.push_back(adapter("router@lambda=1", 0.5, 5, 0.2, {{1, 0}, {0.5, 0.5}}));  // .50, .05, .25
  sweep.adapters.push_back(adapter("single@strong", 0.8, 2, 0.8, {{0, 1}, {0, 1}}));
  sweep.adapters.push_back(adapter("single@weak", 0.4, 6, 0.2, {{1, 0}, {1, 0}}));
  const Frontier f = make_frontier(r, r.evaluation, {&sweep, {{"router", {0.0, 1.0}, {0, 1}}}, "strong", "weak", {}});
  ASSERT_EQ(f.sweeps.size(), 1u);
  const Sweep& s = f.sweeps[0];
  EXPECT_EQ(s.adapter, "router");
  ASSERT_EQ(s.points.size(), 2u);
  EXPECT_DOUBLE_EQ(s.points[1].quality, 0.5);
  EXPECT_DOUBLE_EQ(s.points[1].strong_share, 0.25);
  EXPECT_TRUE(s.points[0].pareto && s.points[1].pareto);
  // Hull from (.05, .5) to (.1, .65): mean height .575.
  EXPECT_NEAR(s.aiq, 0.575, 1e-12);
  // PGR (quality - .4) / .4: .25 at share .25 and .625 at share .75; anchored at (0, 0), (1, 1).
  // APGR = .25 x .125 + .5 x .4375 + .25 x .8125 = .453125.
  ASSERT_TRUE(s.apgr.has_value());
  EXPECT_NEAR(*s.apgr, 0.453125, 1e-12);
  EXPECT_NEAR(*s.cpt20, 0.2, 1e-12);
  EXPECT_NEAR(*s.cpt50, 0.25 + 0.25 / 0.375 * 0.5, 1e-12);
  EXPECT_NEAR(*s.cpt80, 0.75 + 0.175 / 0.375 * 0.25, 1e-12);
}

TEST(FrontierBuilder, UnknownPairCandidateIsAUsageError) {
  const Report r = hand_made_report();
  EXPECT_THROW((void)make_frontier(r, r.evaluation, {nullptr, {}, "strong", "nobody", {}}), UsageError);
}

}  // namespace
}  // namespace zooter::reports
