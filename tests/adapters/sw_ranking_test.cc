// Similarity-weighted ranking: the Bradley-Terry fit against hand-computed ratings, and the
// adapter routing the topic bundle's queries to their experts for any thread count, and its
// FLOPs per query by hand on four training texts.
#include <gtest/gtest.h>

#include "adapters/adapter.h"
#include "adapters/router/bradley_terry.h"
#include "harness/bundle.h"
#include "harness/error.h"
#include "harness/run_context.h"
#include "tests/adapters/router/topic_bundle.h"
#include "tests/adapters/router_fixture.h"

namespace zooter::adapters {
namespace {

using testing::build_adapter;
using testing::four_training_texts;

using router::testing::make_topic_bundle;
using router::testing::split_queries;

TEST(BradleyTerry, ReproducesAHandComputedFitOnThreeModels) {
  // A beats B 2:1, B beats C 2:1, A beats C 4:1. Ratings p = (4, 2, 1) / 7 satisfy every pair
  // exactly (4/6 = 2/3, 2/3, 4/5), so they are the maximum-likelihood fit.
  const std::vector<double> wins = {0, 2, 4,   //
                                    1, 0, 2,   //
                                    1, 1, 0};
  const std::vector<double> p = router::bradley_terry(wins, 3);
  ASSERT_EQ(p.size(), 3u);
  EXPECT_NEAR(p[0], 4.0 / 7.0, 1e-9);
  EXPECT_NEAR(p[1], 2.0 / 7.0, 1e-9);
  EXPECT_NEAR(p[2], 1.0 / 7.0, 1e-9);
}

TEST(BradleyTerry, EvenRecordsGiveEqualRatingsAndThePriorKeepsWinlessFinite) {
  const std::vector<double> even = {0, 3, 3, 3, 0, 3, 3, 3, 0};
  for (const double v : router::bradley_terry(even, 3)) EXPECT_NEAR(v, 1.0 / 3.0, 1e-12);
  // C never wins: without a prior its rating would go to 0; with one it stays positive.
  const std::vector<double> winless = {0, 1, 5, 1, 0, 5, 0, 0, 0};
  const std::vector<double> p = router::bradley_terry(winless, 3, 0.1);
  EXPECT_GT(p[2], 0.0);
  EXPECT_LT(p[2], p[0]);
  EXPECT_NEAR(p[0], p[1], 1e-9);
}

std::vector<Decision> decide(const Bundle& b, const std::string& spec, int threads) {
  const std::vector<std::uint32_t> train = split_queries(b, 0), evaluated = split_queries(b, 1);
  const RunContext run(threads, 5);
  const AdapterContext context{b, evaluated, train, "test", "train", true, run};
  return make_adapter(AdapterSpec::parse(spec), context)->decide(evaluated, run);
}

TEST(SwRanking, RoutesTopicsToTheirExpertForAnyThreadCount) {
  const Bundle b = make_topic_bundle();
  const std::vector<std::uint32_t> test = split_queries(b, 1);
  const std::vector<Decision> two = decide(b, "sw-ranking@k=20,reward=qwen-rm", 2);
  const std::vector<Decision> one = decide(b, "sw-ranking@k=20,reward=qwen-rm", 1);
  std::size_t right = 0;
  for (std::size_t i = 0; i < test.size(); ++i) {
    right += two[i].answer == static_cast<int>(test[i] % 3);
    EXPECT_EQ(one[i].answer, two[i].answer);
    EXPECT_EQ(two[i].router_calls, 1);
  }
  EXPECT_GE(right, test.size() * 9 / 10);
}

TEST(SwRanking, CountsFlopsOfSimilaritiesOutcomesAndTheFit) {
  const Bundle b = four_training_texts();
  // M = 3, k = 2: search 2 x 2.5 = 5 (as knn); weights 3 x 2 = 6;
  // outcomes 2 x 3 pairs = 6; Bradley-Terry 200 x (8 x 3 x 2 + 4 x 3) = 12000; argmax 6.
  EXPECT_DOUBLE_EQ(build_adapter(b, "sw-ranking@k=2,reward=gold")->router_flops_per_query(), 12023.0);
  // k = 200 keeps all 4 training rows: weights 12, outcomes 12.
  EXPECT_DOUBLE_EQ(build_adapter(b, "sw-ranking@reward=gold")->router_flops_per_query(), 12035.0);
}

TEST(SwRanking, BadSpecs) {
  const Bundle b = make_topic_bundle();
  EXPECT_THROW((void)decide(b, "sw-ranking@k=0", 1), UsageError);
  EXPECT_THROW((void)decide(b, "sw-ranking@gamma=-1", 1), UsageError);
  EXPECT_THROW((void)decide(b, "sw-ranking@reward=nosuch", 1), InputError);
}

}  // namespace
}  // namespace zooter::adapters
