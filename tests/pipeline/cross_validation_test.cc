// `zooter tune`'s cross-validation: grids expanded in a fixed order, scores worked on train
// folds only (a test poisons every test-split gold score with NaN and expects the very same
// scores), identical for any thread count, ties to the first setting, a diverged setting
// recorded and passed over.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "harness/error.h"
#include "harness/run_context.h"
#include "pipeline/cross_validation.h"
#include "tests/adapters/router/topic_bundle.h"

namespace zooter::pipeline {
namespace {

using adapters::router::testing::split_queries;

// Small settings of every learned adapter (and two baselines), so the test stays fast.
std::vector<std::string> every_learned_adapter() {
  std::vector<std::string> specs = expand_grid("knn@k=1|9,reward=gold,dim=4096");
  for (const char* spec : {"zooter@reward=gold,dim=4096,epochs=2", "mlp@hidden=4,reward=gold,dim=4096,epochs=2",
                           "mf@dim=4,reward=gold,epochs=2,buckets=4096", "sw-ranking@k=20,reward=gold",
                           "best-single", "random"}) {
    specs.emplace_back(spec);
  }
  return specs;
}

TEST(CrossValidation, ExpandGridIsTheProductInOrder) {
  const struct {
    std::string grid;
    std::vector<std::string> specs;
  } cases[] = {
      {"knn", {"knn"}},
      {"knn@k=5|10,reward=gold", {"knn@k=5,reward=gold", "knn@k=10,reward=gold"}},
      {"zooter@beta=0|0.3,hidden=0|32",
       {"zooter@beta=0,hidden=0", "zooter@beta=0,hidden=32", "zooter@beta=0.3,hidden=0", "zooter@beta=0.3,hidden=32"}},
      {"single@alpha|beta", {"single@alpha", "single@beta"}},
      {"knn|mf@reward=gold", {"knn@reward=gold", "mf@reward=gold"}},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.grid);
    EXPECT_EQ(expand_grid(c.grid), c.specs);
  }
}

TEST(CrossValidation, EmptyAlternativeIsAUsageError) {
  for (const auto& [grid, message] : std::vector<std::pair<std::string, std::string>>{
           {"knn@k=5||10", "grid \"knn@k=5||10\": an empty alternative in \"5||10\""},
           {"knn@k=|10", "grid \"knn@k=|10\": an empty alternative in \"|10\""},
       }) {
    try {
      (void)expand_grid(grid);
      ADD_FAILURE() << grid << " was accepted";
    } catch (const UsageError& e) {
      EXPECT_EQ(std::string(e.what()), message);
    }
  }
}

// Every test-split gold score is NaN: a score that read one would differ (or be NaN).
TEST(CrossValidation, NeverReadsTheEvaluatedSplitsGold) {
  const Bundle clean = adapters::router::testing::make_topic_bundle({.queries_per_topic = 30});
  Bundle poisoned = clean;
  for (std::size_t q = 0; q < poisoned.query_count(); ++q) {
    if (poisoned.queries.split[q] != 1) continue;  // "test"
    for (std::size_t m = 0; m < poisoned.model_count(); ++m) {
      poisoned.responses.gold[poisoned.responses.cell(q, m)] = std::numeric_limits<double>::quiet_NaN();
    }
  }
  const std::vector<std::uint32_t> train = split_queries(clean, 0);
  const std::vector<std::string> specs = every_learned_adapter();
  const RunContext ctx(1, 7);
  const std::vector<CvScore> a = cross_validate(clean, train, specs, {"train", 3}, ctx);
  const std::vector<CvScore> b = cross_validate(poisoned, train, specs, {"train", 3}, ctx);
  ASSERT_EQ(a.size(), specs.size());
  ASSERT_EQ(b.size(), specs.size());
  for (std::size_t i = 0; i < a.size(); ++i) {
    SCOPED_TRACE(a[i].spec);
    ASSERT_EQ(a[i].fold_scores.size(), 3u);
    EXPECT_TRUE(std::isfinite(b[i].mean));
    EXPECT_EQ(a[i].fold_scores, b[i].fold_scores);  // bit for bit
  }
}

TEST(CrossValidation, IdenticalForOneAndFourThreads) {
  const Bundle b = adapters::router::testing::make_topic_bundle({.queries_per_topic = 30});
  const std::vector<std::uint32_t> train = split_queries(b, 0);
  const std::vector<std::string> specs = every_learned_adapter();
  const std::vector<CvScore> one = cross_validate(b, train, specs, {"train", 3}, RunContext(1, 3));
  const std::vector<CvScore> four = cross_validate(b, train, specs, {"train", 3}, RunContext(4, 3));
  for (std::size_t i = 0; i < one.size(); ++i) EXPECT_EQ(one[i].fold_scores, four[i].fold_scores) << one[i].spec;
}

// Gold is 0.9 for a topic's expert and 0.3 otherwise, one topic per subset, metric 0..1: a
// single candidate scores (0.9 + 0.3 + 0.3) / 3 = 0.5 in every fold, the random baseline the
// same, the oracle 0.9. The oracle is chosen.
TEST(CrossValidation, ScoresWorkedByHand) {
  const Bundle b = adapters::router::testing::make_topic_bundle({.queries_per_topic = 30});
  const std::vector<std::uint32_t> train = split_queries(b, 0);
  const std::vector<std::string> specs = {"single@alpha", "random", "oracle"};
  const std::vector<CvScore> scores = cross_validate(b, train, specs, {"train", 4}, RunContext(1));
  ASSERT_EQ(scores.size(), 3u);
  const double expected[] = {0.5, 0.5, 0.9};
  for (std::size_t i = 0; i < 3; ++i) {
    SCOPED_TRACE(specs[i]);
    ASSERT_EQ(scores[i].fold_scores.size(), 4u);
    for (const double f : scores[i].fold_scores) EXPECT_NEAR(f, expected[i], 1e-12);
    EXPECT_NEAR(scores[i].mean, expected[i], 1e-12);
  }
  EXPECT_EQ(best_score(scores), 2u);
}

TEST(CrossValidation, BestScoreTakesTheHighestMeanAndTheFirstOnTies) {
  std::vector<CvScore> scores(3);
  scores[0].mean = 0.5;
  scores[1].mean = 0.7;
  scores[2].mean = 0.7;
  EXPECT_EQ(best_score(scores), 1u);
  EXPECT_EQ(best_score(std::vector<CvScore>{}), 0u);
}

// An mf step of 1000 overflows its weights in the first epoch of the first fold: that setting
// is recorded as failed (no fold scores, the reason naming the fold) and the grid's other
// settings are still scored; the failed one is never chosen.
TEST(CrossValidation, ADivergedSettingIsRecordedAndNeverChosen) {
  const Bundle b = adapters::router::testing::make_topic_bundle({.queries_per_topic = 30});
  const std::vector<std::uint32_t> train = split_queries(b, 0);
  const std::vector<std::string> specs = {"mf@dim=2,reward=gold,lr=1000", "single@alpha"};
  const std::vector<CvScore> scores = cross_validate(b, train, specs, {"train", 3}, RunContext(1));
  ASSERT_EQ(scores.size(), 2u);
  EXPECT_EQ(scores[0].failure,
            "fold 1: adapter \"mf@dim=2,lr=1000,reward=gold\": training diverged in epoch 1 of 10 (its weights "
            "are no longer finite); lr 1000 is too large for these scores: try a smaller lr=");
  EXPECT_TRUE(scores[0].fold_scores.empty());
  EXPECT_TRUE(scores[1].failure.empty());
  EXPECT_EQ(scores[1].fold_scores.size(), 3u);
  EXPECT_NEAR(scores[1].mean, 0.5, 1e-12);
  EXPECT_EQ(best_score(scores), 1u);
}

TEST(CrossValidation, EverySettingFailedIsAUsageError) {
  std::vector<CvScore> scores(2);
  scores[0].spec = "mf@lr=1000";
  scores[0].failure = "fold 1: diverged";
  scores[1].spec = "mf@lr=100";
  scores[1].failure = "fold 2: diverged";
  try {
    (void)best_score(scores);
    ADD_FAILURE() << "a failed setting was chosen";
  } catch (const UsageError& e) {
    EXPECT_EQ(std::string(e.what()), "every setting failed, so none can be chosen; the first: mf@lr=1000: fold 1: diverged");
  }
}

TEST(CrossValidation, TooFewTrainQueriesForTheFolds) {
  const Bundle b = adapters::router::testing::make_topic_bundle({.queries_per_topic = 1});
  const std::vector<std::uint32_t> train = split_queries(b, 0);  // 2 queries
  const std::vector<std::string> specs = {"random"};
  EXPECT_THROW((void)cross_validate(b, train, specs, {"train", 5}, RunContext(1)), InputError);
}

TEST(CrossValidation, SeedsIsAUsageError) {
  const Bundle b = adapters::router::testing::make_topic_bundle({.queries_per_topic = 10});
  const std::vector<std::uint32_t> train = split_queries(b, 0);
  const std::vector<std::string> specs = {"knn@k=3,seeds=2"};
  try {
    (void)cross_validate(b, train, specs, {"train", 5}, RunContext(1));
    ADD_FAILURE() << "seeds= was accepted";
  } catch (const UsageError& e) {
    EXPECT_EQ(std::string(e.what()),
              "adapter \"knn@k=3,seeds=2\": seeds= applies to zooter run, not to tune (tune scores every "
              "setting on --seed)");
  }
}

}  // namespace
}  // namespace zooter::pipeline
