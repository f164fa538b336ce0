#include "adapters/router/optimiser.h"

#include <cmath>

#include "harness/error.h"

namespace zooter::adapters::router {

std::string optimiser_name(OptimiserKind kind) {
  return kind == OptimiserKind::kAdaGrad ? "adagrad" : "adam";
}

OptimiserKind parse_optimiser(const std::string& name) {
  if (name == "adam") return OptimiserKind::kAdam;
  if (name == "adagrad") return OptimiserKind::kAdaGrad;
  throw UsageError("unknown optimiser \"" + name + "\" (known: adam, adagrad)");
}

Optimiser::Optimiser(OptimiserConfig config, std::size_t parameter_count)
    : config_(config),
      per_parameter_(config.kind == OptimiserKind::kAdam ? 2 : 1),
      state_(per_parameter_ * parameter_count, 0.0f) {}

void Optimiser::begin_step() {
  ++step_;
  if (config_.kind != OptimiserKind::kAdam) return;
  // Kingma & Ba's efficient form: alpha_t = lr sqrt(1 - beta2^t) / (1 - beta1^t), and
  // epsilon scaled alike, so the update needs no per-element bias correction.
  const double t = static_cast<double>(step_);
  const double c1 = 1.0 - std::pow(config_.beta1, t);
  const double c2 = std::sqrt(1.0 - std::pow(config_.beta2, t));
  step_size_ = static_cast<float>(config_.learning_rate * c2 / c1);
  epsilon_hat_ = static_cast<float>(config_.epsilon * c2);
}

void Optimiser::update(std::span<float> weights, std::span<const float> gradient,
                       std::size_t offset, bool decay) {
  ZOOTER_CHECK(weights.size() == gradient.size() &&
               per_parameter_ * (offset + weights.size()) <= state_.size());
  const float l2 = decay ? static_cast<float>(config_.l2) : 0.0f;
  float* state = state_.data() + per_parameter_ * offset;
  if (config_.kind == OptimiserKind::kAdam) {
    const float b1 = static_cast<float>(config_.beta1), b2 = static_cast<float>(config_.beta2);
    for (std::size_t i = 0; i < weights.size(); ++i) {
      const float g = gradient[i] + l2 * weights[i];
      float& m = state[2 * i];
      float& v = state[2 * i + 1];
      m = b1 * m + (1.0f - b1) * g;
      v = b2 * v + (1.0f - b2) * g * g;
      weights[i] -= step_size_ * m / (std::sqrt(v) + epsilon_hat_);
    }
    return;
  }
  const float lr = static_cast<float>(config_.learning_rate);
  const float eps = static_cast<float>(config_.epsilon);
  for (std::size_t i = 0; i < weights.size(); ++i) {
    const float g = gradient[i] + l2 * weights[i];
    state[i] += g * g;
    weights[i] -= lr * g / (std::sqrt(state[i]) + eps);
  }
}

}  // namespace zooter::adapters::router
