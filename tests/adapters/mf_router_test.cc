// The mf router: on the topic bundle with a planted rank-2 score matrix (topic vectors times
// candidate vectors) it must recover each topic's argmax; training is the same for any thread
// count; bad options and diverged training are usage errors; FLOPs per query by hand on four
// training texts.
#include <gtest/gtest.h>

#include "adapters/adapter.h"
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

// Rank 2: topics t0 = (1, 0), t1 = (0, 1), t2 = (0.7, 0.7); candidates c0 = (1, 0.2),
// c1 = (0.2, 1), c2 = (0.8, 0.8). Scores t . c: topic 0 (1, .2, .8), topic 1 (.2, 1, .8),
// topic 2 (.84, .84, 1.12): argmax 0, 1, 2.
Bundle planted_bundle() {
  Bundle b = make_topic_bundle();
  const double topic[3][2] = {{1, 0}, {0, 1}, {0.7, 0.7}};
  const double cand[3][2] = {{1, 0.2}, {0.2, 1}, {0.8, 0.8}};
  for (std::size_t q = 0; q < b.query_count(); ++q) {
    const std::size_t t = q % 3;
    for (std::size_t m = 0; m < 3; ++m) {
      b.responses.gold[b.responses.cell(q, m)] = (topic[t][0] * cand[m][0] + topic[t][1] * cand[m][1]) / 1.2;
    }
  }
  return b;
}

std::vector<Decision> decide(const Bundle& b, const std::string& spec, int threads) {
  const std::vector<std::uint32_t> train = split_queries(b, 0), evaluated = split_queries(b, 1);
  const RunContext run(threads, 5);
  const AdapterContext context{b, evaluated, train, "test", "train", true, run};
  return make_adapter(AdapterSpec::parse(spec), context)->decide(evaluated, run);
}

TEST(MfRouter, RecoversThePlantedArgmax) {
  const Bundle b = planted_bundle();
  const std::vector<std::uint32_t> test = split_queries(b, 1);
  // 120 training queries: the default step (0.01, chosen on thousands) needs more epochs here.
  const std::vector<Decision> d = decide(b, "mf@dim=2,reward=gold,lr=0.2", 2);
  std::size_t right = 0;
  for (std::size_t i = 0; i < test.size(); ++i) right += d[i].answer == static_cast<int>(test[i] % 3);
  EXPECT_EQ(right, test.size());
}

TEST(MfRouter, SameForAnyThreadCount) {
  const Bundle b = planted_bundle();
  const std::vector<Decision> one = decide(b, "mf@dim=4,reward=gold", 1);
  const std::vector<Decision> two = decide(b, "mf@dim=4,reward=gold", 2);
  for (std::size_t i = 0; i < one.size(); ++i) EXPECT_EQ(one[i].answer, two[i].answer);
}

TEST(MfRouter, CountsFlopsOfProjectionAndDotProducts) {
  const Bundle b = four_training_texts();
  // F = 2.5, D = 4, M = 3: project 2 x 2.5 x 4 = 20, predict 3 x 2 x 4 = 24, argmax 2 x 3 = 6
  // (featurising is not counted).
  EXPECT_DOUBLE_EQ(build_adapter(b, "mf@dim=4,reward=gold")->router_flops_per_query(), 50.0);
  // D = 1: 5 + 6 + 6.
  EXPECT_DOUBLE_EQ(build_adapter(b, "mf@dim=1,reward=gold")->router_flops_per_query(), 17.0);
}

// A step far too large for scores in [0, 1] makes the weights overflow in the first epoch; a
// diverged model would send every query to the first candidate, so it must be an error.
TEST(MfRouter, DivergedTrainingIsAUsageError) {
  const Bundle b = planted_bundle();
  try {
    (void)decide(b, "mf@dim=2,reward=gold,lr=1000", 1);
    FAIL() << "expected a UsageError";
  } catch (const UsageError& e) {
    EXPECT_STREQ(e.what(),
                 "adapter \"mf@dim=2,lr=1000,reward=gold\": training diverged in epoch 1 of 10 (its "
                 "weights are no longer finite); lr 1000 is too large for these scores: try a smaller lr=");
  }
}

TEST(MfRouter, BadSpecs) {
  const Bundle b = planted_bundle();
  EXPECT_THROW((void)decide(b, "mf@dim=0", 1), UsageError);
  EXPECT_THROW((void)decide(b, "mf@dim=2,lr=0", 1), UsageError);
  EXPECT_THROW((void)decide(b, "mf@dim=2,reward=nosuch", 1), InputError);
  EXPECT_THROW((void)decide(b, "mf@dim=2,folds=3", 1), UsageError);
}

}  // namespace
}  // namespace zooter::adapters
