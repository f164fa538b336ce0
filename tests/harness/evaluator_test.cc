// Every metric of docs/metrics.md on examples/tiny, with the expected numbers worked out by
// hand from the bundle's gold scores (see the table in each test).
#include "tests/support/test_paths.h"
#include "harness/evaluator.h"

#include <gtest/gtest.h>

#include "adapters/adapter.h"
#include "harness/bundle.h"
#include "harness/bundle_loader.h"
#include "pipeline/run_pipeline.h"
#include "harness/run_context.h"

namespace zooter {
namespace {

// Gold scores of the 7 test queries (alpha, beta, gamma):
//   helpful  h1 (1, .5, 0)   h2 (0, 1, 1)
//   creative c1 (.5, 0, 1)   c2 (1, 0, .5)
//   math     m1 (1, 0, 1)    m2 (0, 1, 0)    m3 (1, 0, 0)
// judge-rm picks: h1 alpha, h2 alpha (tie 0.3/0.3: first candidate), c1 gamma, c2 gamma,
// m1 gamma, m2 beta, m3 gamma.
class TinyEvaluation : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    bundle_ = new Bundle(load_bundle(zooter::test::test_data("/../examples/tiny")));
    const RunContext ctx(2);
    report_ = new reports::Report(pipeline::run_evaluation(*bundle_, {}, ctx));
  }
  static void TearDownTestSuite() {
    delete report_;
    delete bundle_;
  }
  static const AdapterResult& adapter(const std::string& name) {
    for (const AdapterResult& a : report_->evaluation.adapters) {
      if (a.name == name) return a;
    }
    throw std::runtime_error("no adapter " + name);
  }
  static Bundle* bundle_;
  static reports::Report* report_;
};
Bundle* TinyEvaluation::bundle_ = nullptr;
reports::Report* TinyEvaluation::report_ = nullptr;

TEST_F(TinyEvaluation, SubsetsAndGroupsInManifestOrder) {
  const Evaluation& ev = report_->evaluation;
  ASSERT_EQ(ev.subsets.size(), 3u);
  EXPECT_EQ(ev.subsets[0].queries, 2u);
  EXPECT_EQ(ev.subsets[2].queries, 3u);
  ASSERT_EQ(ev.groups.size(), 2u);
  EXPECT_EQ(ev.queries, 7u);
  EXPECT_EQ(ev.split, "test");
}

TEST_F(TinyEvaluation, SubsetScores) {
  struct Row { const char* adapter; double helpful, creative, math; };
  const Row rows[] = {
      {"single@alpha", (1 + 0) / 2.0, (0.5 + 1) / 2.0, (1 + 0 + 1) / 3.0},
      {"single@beta", (0.5 + 1) / 2.0, 0.0, 1 / 3.0},
      {"single@gamma", (0 + 1) / 2.0, (1 + 0.5) / 2.0, 1 / 3.0},
      {"best-single", 0.5, 0.75, 1 / 3.0},  // gamma: best on the train split
      // random: the mean over candidates per query, then over queries.
      {"random", (1.5 / 3 + 2.0 / 3) / 2, (1.5 / 3 + 1.5 / 3) / 2, (2.0 / 3 + 1.0 / 3 + 1.0 / 3) / 3},
      {"oracle", 1.0, 1.0, 1.0},
      {"rmr@judge-rm", (1 + 0) / 2.0, (1 + 0.5) / 2.0, (1 + 1 + 0) / 3.0},
  };
  for (const Row& row : rows) {
    SCOPED_TRACE(row.adapter);
    const AdapterResult& a = adapter(row.adapter);
    EXPECT_DOUBLE_EQ(a.subset_score[0], row.helpful);
    EXPECT_DOUBLE_EQ(a.subset_score[1], row.creative);
    EXPECT_DOUBLE_EQ(a.subset_score[2], row.math);
  }
}

TEST_F(TinyEvaluation, RanksMtrAndUplift) {
  // Candidate scores: helpful (.5, .75, .5), creative (.75, 0, .75), math (2/3, 1/3, 1/3).
  // rank = 1 + candidates strictly better; ties share the best rank.
  struct Row { const char* adapter; int h, c, m; double chat_mtr, exam_mtr, mtr, uplift; };
  const Row rows[] = {
      {"single@alpha", 2, 1, 1, 1.5, 1, 4 / 3.0, 2 / 3.0},
      {"single@beta", 1, 3, 2, 2.0, 2, 2.0, 1 / 3.0},
      {"single@gamma", 2, 1, 2, 1.5, 2, 5 / 3.0, 1 / 3.0},
      {"random", 2, 3, 2, 2.5, 2, 7 / 3.0, 0.0},
      {"oracle", 1, 1, 1, 1.0, 1, 1.0, 1.0},
      {"rmr@judge-rm", 2, 1, 1, 1.5, 1, 4 / 3.0, 2 / 3.0},  // ties alpha exactly on math
  };
  for (const Row& row : rows) {
    SCOPED_TRACE(row.adapter);
    const AdapterResult& a = adapter(row.adapter);
    EXPECT_EQ(a.subset_rank[0], row.h);
    EXPECT_EQ(a.subset_rank[1], row.c);
    EXPECT_EQ(a.subset_rank[2], row.m);
    EXPECT_DOUBLE_EQ(a.group_mtr[0], row.chat_mtr);
    EXPECT_DOUBLE_EQ(a.group_mtr[1], row.exam_mtr);
    EXPECT_DOUBLE_EQ(a.mtr, row.mtr);
    EXPECT_DOUBLE_EQ(a.uplift, row.uplift);
  }
}

TEST_F(TinyEvaluation, GroupAverages) {
  EXPECT_DOUBLE_EQ(adapter("single@alpha").group_average[0], (0.5 + 0.75) / 2);
  EXPECT_DOUBLE_EQ(adapter("single@beta").group_average[0], (0.75 + 0.0) / 2);
  EXPECT_DOUBLE_EQ(adapter("random").group_average[0], (7.0 / 12 + 0.5) / 2);
  EXPECT_DOUBLE_EQ(adapter("single@alpha").group_average[1], 2.0 / 3);  // exam: one subset
  EXPECT_TRUE(report_->groups[1].percent);
}

TEST_F(TinyEvaluation, WinRatesOverBestSingle) {
  // alpha vs gamma: h1 1>0 win, h2 0<1 loss; c1 .5<1 loss, c2 1>.5 win;
  // m1 1=1 tie, m2 0=0 tie, m3 1>0 win.
  const AdapterResult& alpha = adapter("single@alpha");
  EXPECT_DOUBLE_EQ(alpha.win_rate_vs_best_single[0], 0.5);
  EXPECT_DOUBLE_EQ(alpha.win_rate_vs_best_single[1], 0.5);
  EXPECT_DOUBLE_EQ(alpha.win_rate_vs_best_single[2], (0.5 + 0.5 + 1) / 3);
  // best-single against itself: every query a tie.
  EXPECT_DOUBLE_EQ(adapter("best-single").win_rate_vs_best_single[0], 0.5);
  // random vs gamma on h1: gamma has 0; alpha 1 wins, beta .5 wins, gamma 0 ties -> 2.5/3.
  // h2: gamma has 1; alpha 0 loses, beta 1 ties, gamma 1 ties -> 1/3. helpful = (2.5/3 + 1/3)/2.
  EXPECT_DOUBLE_EQ(adapter("random").win_rate_vs_best_single[0], (2.5 / 3 + 1.0 / 3) / 2);
}

TEST_F(TinyEvaluation, PairwiseWinRatesAreComplementary) {
  const Evaluation& ev = report_->evaluation;
  for (std::size_t a = 0; a < ev.adapters.size(); ++a) {
    for (std::size_t b = 0; b < ev.adapters.size(); ++b) {
      for (std::size_t s = 0; s < ev.subsets.size(); ++s) {
        EXPECT_DOUBLE_EQ(ev.win_rate[a][b][s] + ev.win_rate[b][a][s], 1.0);
      }
    }
  }
}

TEST_F(TinyEvaluation, Cost) {
  const double n = 7;
  // Every test query: 10 input tokens; output alpha 20, beta 30, gamma 40.
  // Generation FLOPs = 2 x parameters x (input + output) tokens.
  const double alpha = 2 * 13e9 * 30, beta = 2 * 7e9 * 40, gamma = 2 * 70e9 * 50;
  const AdapterResult& a = adapter("single@alpha");
  EXPECT_DOUBLE_EQ(a.cost.generations, n);
  EXPECT_DOUBLE_EQ(a.cost.generation_flops, n * alpha);
  EXPECT_DOUBLE_EQ(a.cost.ranker_flops, 0.0);
  ASSERT_TRUE(a.cost.dollars.has_value());
  EXPECT_NEAR(*a.cost.dollars, n * (10 * 0.2 + 20 * 0.4) / 1e6, 1e-15);

  const AdapterResult& rmr = adapter("rmr@judge-rm");
  EXPECT_DOUBLE_EQ(rmr.cost.generations, 3 * n);
  EXPECT_NEAR(rmr.cost.generation_flops, n * (alpha + beta + gamma), 1e3);
  EXPECT_DOUBLE_EQ(rmr.cost.ranker_calls, 3 * n);
  // judge-rm (7e9) reads each answer with its query: 30 + 40 + 50 tokens.
  EXPECT_NEAR(rmr.cost.ranker_flops, n * 2 * 7e9 * (30 + 40 + 50), 1e3);
  ASSERT_TRUE(rmr.cost.dollars.has_value());
  EXPECT_NEAR(*rmr.cost.dollars, n * (1e-5 + 4e-6 + 0.001), 1e-12);

  const AdapterResult& random = adapter("random");
  EXPECT_DOUBLE_EQ(random.cost.generations, n);
  EXPECT_NEAR(random.cost.generation_flops, n * (alpha + beta + gamma) / 3, 1e3);

  const AdapterResult& oracle = adapter("oracle");
  EXPECT_DOUBLE_EQ(oracle.cost.generations, 3 * n);
  EXPECT_DOUBLE_EQ(oracle.cost.ranker_calls, 0.0);
}

TEST_F(TinyEvaluation, RoutingShares) {
  // rmr on math: m1 gamma, m2 beta, m3 gamma.
  const AdapterResult& rmr = adapter("rmr@judge-rm");
  EXPECT_DOUBLE_EQ(rmr.routing_share[2][0], 0.0);
  EXPECT_DOUBLE_EQ(rmr.routing_share[2][1], 1.0 / 3);
  EXPECT_DOUBLE_EQ(rmr.routing_share[2][2], 2.0 / 3);
  EXPECT_DOUBLE_EQ(adapter("random").routing_share[0][1], 1.0 / 3);
}

TEST_F(TinyEvaluation, BestSingleChosenOnTrainSplit) {
  // Train: t1 (helpful) alpha 1, beta 0, gamma .5; t2 (math) alpha 0, beta 1, gamma 1.
  // Mean normalised subset score: alpha .5, beta .5, gamma .75 -> gamma.
  const AdapterResult& best = adapter("best-single");
  ASSERT_EQ(best.notes.size(), 1u);
  EXPECT_EQ(best.notes[0], "best-single = gamma, chosen on the \"train\" split (2 queries)");
}

TEST(BestSingle, OnEvaluatedQueriesWhenAsked) {
  const Bundle bundle = load_bundle(zooter::test::test_data("/../examples/tiny"));
  const RunContext ctx(1);
  pipeline::RunSettings settings;
  settings.adapters = {"best-single@on=evaluated"};
  const reports::Report report = pipeline::run_evaluation(bundle, settings, ctx);
  // On the test queries: alpha (.5 + .75 + 2/3)/3 beats gamma (.5 + .75 + 1/3)/3.
  ASSERT_EQ(report.evaluation.adapters.size(), 1u);
  EXPECT_DOUBLE_EQ(report.evaluation.adapters[0].subset_score[2], 2.0 / 3);
  EXPECT_NE(report.evaluation.adapters[0].notes[0].find("best-single = alpha"), std::string::npos);
}

TEST(Evaluator, LowerIsBetterMetricFlipsRanksAndWins) {
  Bundle b;
  b.manifest.suite = "lower";
  b.manifest.splits = {{"test", true}};
  b.manifest.subsets = {{"errors", "errors", 0, {"error-rate", 0, 1, false}}};
  b.manifest.groups = {{"g", GroupDisplay::kRaw, {0}}};
  b.manifest.models = {{"a", 1e9, {}, {}}, {"b", 1e9, {}, {}}};
  b.queries.id = {"q1", "q2"};
  b.queries.text = {"", ""};
  b.queries.subset = {0, 0};
  b.queries.split = {0, 0};
  b.queries.input_tokens = {1, 1};
  b.queries.tag_offset = {0, 0, 0};
  b.responses.models = 2;
  b.responses.gold = {0.2, 0.4, 0.6, 0.4};  // q1: a .2 b .4; q2: a .6 b .4 -> a .4, b .4
  b.responses.output_tokens = {1, 1, 1, 1};
  b.responses.dollars.assign(4, 0.0);
  const RunContext ctx(1);
  const std::vector<std::uint32_t> queries = {0, 1};
  std::vector<AdapterRun> runs(2);
  runs[0] = {"single@a", "candidate", {}, 0, 0, {Decision::single(0), Decision::single(0)}};
  runs[1] = {"single@b", "candidate", {}, 0, 0, {Decision::single(1), Decision::single(1)}};
  const Evaluation ev = evaluate(b, queries, runs, std::nullopt, "test", ctx);
  EXPECT_DOUBLE_EQ(ev.adapters[0].subset_score[0], 0.4);
  EXPECT_EQ(ev.adapters[0].subset_rank[0], 1);  // tie
  // a wins q1 (.2 < .4 is better), loses q2.
  EXPECT_DOUBLE_EQ(ev.win_rate[0][1][0], 0.5);
  runs[1].decisions = {Decision::single(0), Decision::single(1)};  // q1 a .2, q2 b .4: mean .3
  const Evaluation mixed = evaluate(b, queries, runs, std::nullopt, "test", ctx);
  EXPECT_EQ(mixed.adapters[1].subset_rank[0], 1);
  EXPECT_EQ(mixed.adapters[0].subset_rank[0], 1);  // rank vs candidates only: a, b both .4
  EXPECT_DOUBLE_EQ(mixed.win_rate[1][0][0], (0.5 + 1.0) / 2);
}

}  // namespace
}  // namespace zooter
