// Paired comparisons (harness/stats/paired_tests.h) on a hand-built bundle whose wins,
// losses, sign-test p-values, Holm adjustments and tallies are worked out below.
#include "harness/stats/paired_tests.h"

#include <gtest/gtest.h>

#include "harness/error.h"
#include "harness/run_context.h"
#include "harness/stats/replicates.h"
#include "harness/stats/sample_table.h"
#include "tests/harness/stats/stats_fixtures.h"

namespace zooter::stats {
namespace {

using test::HandQuery;

// Candidates m0 (adapter A = single@m0) and m1 (B = single@m1); a third run "also-m0" answers
// like A everywhere.
//   subset acc (group g0, 0/1 accuracy), 12 queries: A right and B wrong on 9, A wrong and
//     B right on 1, both right on 2: wins 9, losses 1, ties 2. Scores 11/12 vs 3/12.
//   subset mt (g0, 1..10 score), 5 queries: A 8, 9, 7, 6, 5 vs B 6, 6, 6, 5, 5: wins 4,
//     ties 1. Scores 7 vs 5.6.
//   subset err (g1, lower is better), 4 queries: A 0.5, 0.5, 0.1, 0.1 vs B 0.1, 0.1, 0.1,
//     0.1: losses 2, ties 2. Scores 0.3 vs 0.1: A worse.
// Sign test: acc 2 * 11/1024 = 0.021484375, mt 2/16 = 0.125, err 2/4 = 0.5.
// Holm over the 3 subsets: 0.0215 x 3 = 0.064453125, 0.125 x 2 = 0.25, 0.5 x 1 = 0.5.
// Pooled: g0 wins 13, losses 1: 2 * (1 + 14) / 16384; overall wins 13, losses 3:
// 2 * (1 + 16 + 120 + 560) / 65536 = 0.021270751953125.
Bundle comparison_bundle() {
  std::vector<HandQuery> q;
  for (int i = 0; i < 9; ++i) q.push_back({0, {1, 0}});
  q.push_back({0, {0, 1}});
  q.push_back({0, {1, 1}});
  q.push_back({0, {1, 1}});
  const double mt_a[] = {8, 9, 7, 6, 5}, mt_b[] = {6, 6, 6, 5, 5};
  for (int i = 0; i < 5; ++i) q.push_back({1, {mt_a[i], mt_b[i]}});
  const double err_a[] = {0.5, 0.5, 0.1, 0.1};
  for (double e : err_a) q.push_back({2, {e, 0.1}});
  return test::hand_bundle(
      {{"acc", "acc", 0, test::accuracy()},
       {"mt", "mt", 0, test::score10()},
       {"err", "err", 1, test::error_rate()}},
      {{"g0", GroupDisplay::kRaw, {0, 1}}, {"g1", GroupDisplay::kRaw, {2}}}, 2, q);
}

std::vector<AdapterRun> comparison_runs(std::size_t n) {
  AdapterRun also = test::single_run(0, n);
  also.name = "also-m0";
  return {test::single_run(0, n), test::single_run(1, n), also};
}

TEST(StatsPairedTests, CountsAndSignTestsMatchHandValues) {
  const Bundle bundle = comparison_bundle();
  const auto runs = comparison_runs(bundle.query_count());
  const RunContext ctx(2);
  const SampleTable table(bundle, test::all_queries(bundle), runs, ctx);
  const Replicates reps(table, 500, 11, ctx);
  const Comparison c = compare(table, reps, 0, 1, {0.1, TallyTest::kSignTest});

  struct Row {
    std::size_t wins, losses, ties;
    bool binary;
    double difference, sign_p, sign_p_holm;
  };
  const Row rows[] = {
      {9, 1, 2, true, 11.0 / 12 - 3.0 / 12, 0.021484375, 0.064453125},
      {4, 0, 1, false, 7.0 - 5.6, 0.125, 0.25},
      {0, 2, 2, false, 0.3 - 0.1, 0.5, 0.5},
  };
  ASSERT_EQ(c.subsets.size(), 3u);
  for (std::size_t s = 0; s < 3; ++s) {
    SCOPED_TRACE(s);
    const SubsetComparison& sc = c.subsets[s];
    EXPECT_EQ(sc.wins, rows[s].wins);
    EXPECT_EQ(sc.losses, rows[s].losses);
    EXPECT_EQ(sc.ties, rows[s].ties);
    EXPECT_EQ(sc.binary, rows[s].binary);
    EXPECT_NEAR(sc.difference, rows[s].difference, 1e-12);
    EXPECT_NEAR(sc.sign_p, rows[s].sign_p, 1e-15);
    EXPECT_NEAR(sc.sign_p_holm, rows[s].sign_p_holm, 1e-15);
  }
  // Tally by the sign test at alpha 0.1: better on acc (significantly: 0.064 < 0.1) and mt,
  // worse on err (not significantly).
  const SubsetTally& t = c.overall.tally;
  EXPECT_EQ(t.subsets, 3u);
  EXPECT_EQ(t.better, 2u);
  EXPECT_EQ(t.significantly_better, 1u);
  EXPECT_EQ(t.worse, 1u);
  EXPECT_EQ(t.significantly_worse, 0u);
  ASSERT_EQ(c.groups.size(), 2u);
  EXPECT_EQ(c.groups[0].tally.better, 2u);
  EXPECT_EQ(c.groups[1].tally.worse, 1u);
  EXPECT_EQ(c.groups[0].wins, 13u);
  EXPECT_EQ(c.groups[0].losses, 1u);
  EXPECT_NEAR(c.groups[0].sign_p, 2.0 * 15 / 16384, 1e-15);
  EXPECT_NEAR(c.overall.sign_p, 0.021270751953125, 1e-15);
  ASSERT_TRUE(c.groups[0].average_difference.has_value());
  EXPECT_NEAR(*c.groups[0].average_difference, ((11.0 - 3) / 12 + 1.4) / 2, 1e-12);
  EXPECT_FALSE(c.overall.average_difference.has_value());
  // Ranks among {m0, m1}: A is first on acc and mt, second on err (MTR 4/3); B the reverse
  // (MTR 5/3).
  EXPECT_NEAR(c.overall.mtr_difference, 4.0 / 3 - 5.0 / 3, 1e-12);
}

TEST(StatsPairedTests, BootstrapPValuesAtTheExtremes) {
  const Bundle bundle = comparison_bundle();
  const auto runs = comparison_runs(bundle.query_count());
  const RunContext ctx(2);
  const SampleTable table(bundle, test::all_queries(bundle), runs, ctx);
  const Replicates reps(table, 500, 11, ctx);

  // A against a copy of itself: every replicate difference is 0, so p = 1 everywhere and
  // nothing is better or worse.
  const Comparison same = compare(table, reps, 0, 2, {});
  for (const SubsetComparison& sc : same.subsets) {
    EXPECT_EQ(sc.bootstrap_p, 1.0);
    EXPECT_EQ(sc.sign_p, 1.0);
    EXPECT_EQ(sc.wins + sc.losses, 0u);
  }
  EXPECT_EQ(same.overall.tally.better + same.overall.tally.worse, 0u);
  EXPECT_EQ(same.overall.mtr_bootstrap_p, 1.0);

  // On err, A never beats B query by query, so no replicate difference is below 0: p is
  // 2 x the share of replicates drawing only ties, which is small but positive (4 draws
  // from 2 tied of 4: 1/16 per replicate).
  const Comparison c = compare(table, reps, 0, 1, {});
  EXPECT_GT(c.subsets[2].bootstrap_p, 0.0);
  EXPECT_LT(c.subsets[2].bootstrap_p, 0.3);
  // Bootstrap tally at alpha 0.05: a replicate with A not ahead needs, on acc, at least as
  // many draws of the one loss as of the nine wins, and on mt five draws of its one tie
  // (1/5^5): both survive Holm. err's ~2/16 does not.
  EXPECT_LE(c.subsets[0].bootstrap_p_holm, 0.01);
  EXPECT_LE(c.subsets[1].bootstrap_p_holm, 0.01);
  EXPECT_GT(c.subsets[2].bootstrap_p_holm, 0.05);
  EXPECT_EQ(c.overall.tally.better, 2u);
  EXPECT_EQ(c.overall.tally.significantly_better, 2u);
  EXPECT_EQ(c.overall.tally.worse, 1u);
  EXPECT_EQ(c.overall.tally.significantly_worse, 0u);
}

TEST(StatsPairedTests, BundleEntryPointIdenticalForOneAndFourThreads) {
  const Bundle bundle = comparison_bundle();
  const auto runs = comparison_runs(bundle.query_count());
  const std::vector<std::pair<std::size_t, std::size_t>> pairs = {{0, 1}, {1, 2}};
  const BootstrapOptions boot{300, 0.95, 5};
  const auto queries = test::all_queries(bundle);
  const auto one = compare(bundle, queries, runs, pairs, boot, {}, RunContext(1));
  const auto four = compare(bundle, queries, runs, pairs, boot, {}, RunContext(4));
  ASSERT_EQ(one.size(), 2u);
  for (std::size_t p = 0; p < 2; ++p) {
    EXPECT_EQ(one[p].a, pairs[p].first);
    for (std::size_t s = 0; s < 3; ++s) {
      EXPECT_EQ(one[p].subsets[s].bootstrap_p, four[p].subsets[s].bootstrap_p);
      EXPECT_EQ(one[p].subsets[s].bootstrap_p_holm, four[p].subsets[s].bootstrap_p_holm);
    }
    EXPECT_EQ(one[p].overall.mtr_bootstrap_p, four[p].overall.mtr_bootstrap_p);
  }
}

TEST(StatsPairedTests, RejectsInvalidAlpha) {
  const Bundle bundle = comparison_bundle();
  const auto runs = comparison_runs(bundle.query_count());
  const std::vector<std::pair<std::size_t, std::size_t>> pairs = {{0, 1}};
  const auto queries = test::all_queries(bundle);
  const RunContext ctx(1);
  EXPECT_THROW((void)compare(bundle, queries, runs, pairs, {}, {0.0}, ctx), UsageError);
  EXPECT_THROW((void)compare(bundle, queries, runs, pairs, {}, {1.5}, ctx), UsageError);
}

}  // namespace
}  // namespace zooter::stats
