// train_router: a training whose weights overflow is a usage error (TrainingDiverged), not a
// router that sends every query to its first candidate.
#include "adapters/router/router.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "adapters/training_diverged.h"
#include "harness/run_context.h"
#include "tests/adapters/router/topic_bundle.h"

namespace zooter::adapters::router {
namespace {

RouterOptions options_with_lr(double lr) {
  RouterOptions o;
  o.reward = "qwen-rm";
  o.featuriser.dimension = 1u << 10;
  o.trainer.epochs = 2;
  o.trainer.seed = 5;
  o.trainer.optimiser.learning_rate = lr;
  return o;
}

TEST(TrainRouter, OverflowingWeightsAreADivergedTraining) {
  const Bundle b = testing::make_topic_bundle();
  const std::vector<std::uint32_t> train = testing::split_queries(b, 0);
  try {
    (void)train_router({b, train, true, "split train (120 queries)"}, options_with_lr(1e38), RunContext(1));
    ADD_FAILURE() << "a router with overflowed weights was returned";
  } catch (const TrainingDiverged& e) {
    EXPECT_EQ(std::string(e.what()),
              "zooter: training diverged after 2 epochs (its weights are no longer finite); lr 1e+38 "
              "is too large: try a smaller lr=");
  }
}

TEST(TrainRouter, AnOrdinaryStepTrainsAFiniteRouterThatRoutesByTopic) {
  const Bundle b = testing::make_topic_bundle();
  const std::vector<std::uint32_t> train = testing::split_queries(b, 0);
  const Router r = train_router({b, train, true, "split train (120 queries)"}, options_with_lr(0.05), RunContext(1));
  // qwen-rm rewards the candidate of the query's topic (topic_bundle.h): 0 maths, 1 code, 2 poetry.
  EXPECT_EQ(r.route("solve this integral equation"), 0u);
  EXPECT_EQ(r.route("debug the python function"), 1u);
  EXPECT_EQ(r.route("a sonnet about the moon"), 2u);
}

}  // namespace
}  // namespace zooter::adapters::router
