#include "adapters/router/optimiser.h"

#include <gtest/gtest.h>

#include <cmath>

#include "harness/error.h"

namespace zooter::adapters::router {
namespace {

TEST(RouterOptimiser, AdamFirstStepMovesByLearningRate) {
  // Step 1: m = 0.1 g, v = 0.001 g^2; bias-corrected m / sqrt(v) = sign(g) (up to epsilon),
  // so each weight moves by lr against its gradient's sign whatever the magnitude.
  OptimiserConfig c;
  c.learning_rate = 0.5;
  c.l2 = 0.0;
  Optimiser adam(c, 3);
  std::vector<float> w = {1.0f, 1.0f, 1.0f};
  const std::vector<float> g = {4.0f, -0.01f, 0.0f};
  adam.begin_step();
  adam.update(w, g, 0, true);
  EXPECT_NEAR(w[0], 0.5f, 1e-5);
  EXPECT_NEAR(w[1], 1.5f, 1e-4);
  EXPECT_EQ(w[2], 1.0f);
}

TEST(RouterOptimiser, AdamL2DecaysOnlyWhenAsked) {
  OptimiserConfig c;
  c.learning_rate = 0.1;
  c.l2 = 1.0;
  Optimiser adam(c, 2);
  std::vector<float> w = {2.0f, 2.0f};
  const std::vector<float> g = {0.0f, 0.0f};
  adam.begin_step();
  adam.update(std::span(w).first(1), std::span(g).first(1), 0, true);  // gradient 0 + 1 x 2
  adam.update(std::span(w).last(1), std::span(g).last(1), 1, false);
  EXPECT_NEAR(w[0], 1.9f, 1e-5);
  EXPECT_EQ(w[1], 2.0f);
}

TEST(RouterOptimiser, AdaGradAccumulatesSquares) {
  // Step 1: G = 9, w -= 0.3 x 3 / 3; step 2: G = 9 + 16, w -= 0.3 x 4 / 5.
  OptimiserConfig c;
  c.kind = OptimiserKind::kAdaGrad;
  c.learning_rate = 0.3;
  c.l2 = 0.0;
  c.epsilon = 0.0;
  Optimiser adagrad(c, 1);
  std::vector<float> w = {1.0f};
  adagrad.begin_step();
  adagrad.update(w, std::vector<float>{3.0f}, 0, true);
  EXPECT_NEAR(w[0], 0.7f, 1e-6);
  adagrad.begin_step();
  adagrad.update(w, std::vector<float>{4.0f}, 0, true);
  EXPECT_NEAR(w[0], 0.7f - 0.24f, 1e-6);
}

TEST(RouterOptimiser, Names) {
  EXPECT_EQ(parse_optimiser("adam"), OptimiserKind::kAdam);
  EXPECT_EQ(parse_optimiser(optimiser_name(OptimiserKind::kAdaGrad)), OptimiserKind::kAdaGrad);
  EXPECT_THROW((void)parse_optimiser("sgd"), UsageError);
}

}  // namespace
}  // namespace zooter::adapters::router
