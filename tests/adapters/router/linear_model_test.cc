#include "adapters/router/linear_model.h"

#include <gtest/gtest.h>

#include <cmath>

#include "harness/error.h"
#include "harness/random.h"

namespace zooter::adapters::router {
namespace {

SparseVector sample_input() {
  // Three features of a 7-bucket space, unit norm.
  SparseVector x;
  x.index = {1, 4, 6};
  x.value = {0.48f, 0.6f, 0.64f};  // 0.2304 + 0.36 + 0.4096 = 1
  return x;
}

// The full gradient: first-layer rows x_j * delta at the input's features, plus the tail.
std::vector<double> analytic_gradient(const LinearModel& model, const SparseVector& x,
                                      std::span<const float> target, Loss loss) {
  Activations a;
  model.forward(view(x), a);
  const ModelShape& s = model.shape();
  std::vector<float> tail(s.tail_size(), 0.0f);
  (void)model.backward(target, 1.0f, a, tail, loss);
  std::vector<double> g(s.parameter_count(), 0.0);
  for (std::size_t i = 0; i < x.size(); ++i) {
    for (std::size_t k = 0; k < s.width(); ++k) {
      g[x.index[i] * s.width() + k] += static_cast<double>(x.value[i]) * a.delta[k];
    }
  }
  for (std::size_t k = 0; k < tail.size(); ++k) g[s.first_layer_size() + k] = tail[k];
  return g;
}

void check_gradient(ModelShape shape, Loss loss = Loss::kKl) {
  LinearModel model(shape, 11);
  // Non-zero weights everywhere (the linear model starts at zero).
  for (std::size_t i = 0; i < model.parameter_count(); ++i) {
    model.parameters()[i] = static_cast<float>(random::uniform01(3, 0, i) - 0.5);
  }
  const SparseVector x = sample_input();
  // A distribution for KL; any scores for the squared error.
  const std::vector<float> target =
      loss == Loss::kKl ? std::vector<float>{0.2f, 0.5f, 0.3f} : std::vector<float>{0.9f, -0.4f, 2.0f};
  const std::vector<double> g = analytic_gradient(model, x, target, loss);
  Activations a;
  const double h = 1e-3;
  std::size_t checked = 0;
  for (std::size_t p = 0; p < model.parameter_count(); ++p) {
    const float saved = model.parameters()[p];
    model.parameters()[p] = static_cast<float>(saved + h);
    const double up = model.loss(view(x), target, a, loss);
    model.parameters()[p] = static_cast<float>(saved - h);
    const double down = model.loss(view(x), target, a, loss);
    model.parameters()[p] = saved;
    const double numeric = (up - down) / (2 * h);
    SCOPED_TRACE("parameter " + std::to_string(p));
    EXPECT_NEAR(g[p], numeric, 2e-3 * std::max(1.0, std::abs(numeric)));
    checked += g[p] != 0.0 ? 1 : 0;
  }
  EXPECT_GT(checked, shape.tail_size());  // first-layer rows of the input were exercised
}

TEST(LinearModel, ParameterCountAndFlops) {
  const LinearModel linear(ModelShape{10, 3, 0}, 0);
  EXPECT_EQ(linear.parameter_count(), 10u * 3 + 3);
  // 2 x 5 features x 3 + 3 (bias) + 5 x 3 (softmax).
  EXPECT_DOUBLE_EQ(linear.flops_per_query(5.0), 30 + 3 + 15);
  const LinearModel hidden(ModelShape{10, 3, 4}, 0);
  EXPECT_EQ(hidden.parameter_count(), 10u * 4 + 4 + 4 * 3 + 3);
  // 2 x 5 x 4 + 4 (bias) + 4 (ReLU) + 2 x 4 x 3 + 3 + 15.
  EXPECT_DOUBLE_EQ(hidden.flops_per_query(5.0), 40 + 4 + 4 + 24 + 3 + 15);
}

TEST(LinearModel, ZeroModelIsUniform) {
  const LinearModel model(ModelShape{7, 4, 0}, 0);
  Activations a;
  model.forward(view(sample_input()), a);
  for (float p : a.probs) EXPECT_FLOAT_EQ(p, 0.25f);
  EXPECT_EQ(model.route(view(sample_input()), a), 0u);  // ties go to the first candidate
}

TEST(LinearModel, GradientMatchesFiniteDifferencesLinear) { check_gradient(ModelShape{7, 3, 0}); }

TEST(LinearModel, GradientMatchesFiniteDifferencesHidden) { check_gradient(ModelShape{7, 3, 5}); }

TEST(LinearModel, SquaredErrorGradientMatchesFiniteDifferences) {
  check_gradient(ModelShape{7, 3, 0}, Loss::kSquaredError);
  check_gradient(ModelShape{7, 3, 5}, Loss::kSquaredError);
}

TEST(LinearModel, SquaredErrorLossByHand) {
  // A zero linear model predicts 0 for every output: loss (0.25 + 1 + 4) / 2 = 2.625.
  LinearModel model(ModelShape{7, 3, 0}, 1);
  Activations a;
  const std::vector<float> target = {0.5f, -1.0f, 2.0f};
  EXPECT_NEAR(model.loss(view(sample_input()), target, a, Loss::kSquaredError), 2.625, 1e-12);
}

TEST(LinearModel, LossIsKlDivergence) {
  // Zero model, 2 outputs: p = (1/2, 1/2); KL((1/4, 3/4) || p) = 1/4 ln(1/2) + 3/4 ln(3/2).
  const LinearModel model(ModelShape{7, 2, 0}, 0);
  Activations a;
  const std::vector<float> target = {0.25f, 0.75f};
  EXPECT_NEAR(model.loss(view(sample_input()), target, a),
              0.25 * std::log(0.5) + 0.75 * std::log(1.5), 1e-7);
}

TEST(LinearModel, RouteIsArgMax) {
  LinearModel model(ModelShape{7, 3, 0}, 0);
  // Feature 6 votes for candidate 2.
  model.parameters()[6 * 3 + 2] = 1.0f;
  Activations a;
  EXPECT_EQ(model.route(view(sample_input()), a), 2u);
}

TEST(LinearModel, LogitsAreBiasPlusWeightedRowsForEveryWidth) {
  // Widths 2..8 take a fixed-width accumulation, 9 and 10 the generic loop: every one must
  // give, bit for bit, bias_k + sum_i x_i w[i][k] added feature by feature in float.
  for (std::uint32_t outputs = 2; outputs <= 10; ++outputs) {
    LinearModel model(ModelShape{7, outputs, 0}, 0);
    std::span<float> p = model.parameters();
    for (std::size_t j = 0; j < p.size(); ++j) p[j] = 0.125f * static_cast<float>(j % 13) - 0.5f;
    const SparseVector x = sample_input();
    Activations a;
    model.forward_logits(view(x), a);
    ASSERT_EQ(a.logits.size(), outputs);
    for (std::uint32_t k = 0; k < outputs; ++k) {
      float expected = p[7 * outputs + k];  // the bias follows the 7 x outputs first layer
      for (std::size_t i = 0; i < x.size(); ++i) expected += x.value[i] * p[x.index[i] * outputs + k];
      EXPECT_EQ(a.logits[k], expected) << "outputs " << outputs << ", logit " << k;
    }
    Activations b;
    model.forward(view(x), b);
    EXPECT_EQ(b.logits, a.logits);
  }
}

TEST(LinearModel, RejectsBadShapes) {
  EXPECT_THROW(LinearModel(ModelShape{7, 1, 0}, 0), UsageError);
  EXPECT_THROW(LinearModel(ModelShape{0, 3, 0}, 0), UsageError);
  EXPECT_THROW(LinearModel(ModelShape{7, 3, kMaxHidden + 1}, 0), UsageError);
  EXPECT_THROW(LinearModel(ModelShape{7, 3, 0}, std::vector<float>(5)), InputError);
}

TEST(LinearModel, HiddenInitialisationIsSeeded) {
  const LinearModel a(ModelShape{50, 3, 8}, 1), b(ModelShape{50, 3, 8}, 1),
      c(ModelShape{50, 3, 8}, 2);
  EXPECT_TRUE(std::equal(a.parameters().begin(), a.parameters().end(), b.parameters().begin()));
  EXPECT_FALSE(std::equal(a.parameters().begin(), a.parameters().end(), c.parameters().begin()));
}

}  // namespace
}  // namespace zooter::adapters::router
