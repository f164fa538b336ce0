// Adam and AdaGrad on a flat parameter vector, updated in slices.
//
// The trainer updates only the first-layer rows a mini-batch touched (plus the small dense
// tail), so each update names the slice it covers. Moments of untouched slices are left alone:
// "lazy" Adam, as used for sparse embeddings, where an untouched row neither moves nor decays.
// Distinct slices may be updated from different threads within one step.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace zooter::adapters::router {

enum class OptimiserKind { kAdam, kAdaGrad };

// "adam", "adagrad"; parse throws UsageError listing both.
[[nodiscard]] std::string optimiser_name(OptimiserKind kind);
[[nodiscard]] OptimiserKind parse_optimiser(const std::string& name);

struct OptimiserConfig {
  OptimiserKind kind = OptimiserKind::kAdam;
  double learning_rate = 0.01;
  double l2 = 1e-6;  // L2 penalty coefficient, applied to weights (not biases) as touched
  double beta1 = 0.9;
  double beta2 = 0.999;
  double epsilon = 1e-8;
};

class Optimiser {
 public:
  Optimiser(OptimiserConfig config, std::size_t parameter_count);

  // Starts step t + 1 (Adam's bias correction depends on the global step count).
  void begin_step();

  // Updates weights[i] with gradient[i] for i in the slice, where `offset` is the slice's
  // position in the full parameter vector. `decay`: add the L2 term l2 * w to the gradient.
  void update(std::span<float> weights, std::span<const float> gradient, std::size_t offset,
              bool decay);

  // Hints that the state of parameters [offset, offset + count) is needed soon.
  void prefetch(std::size_t offset, std::size_t count) const {
    const float* first = state_.data() + per_parameter_ * offset;
    const float* last = first + per_parameter_ * count - 1;
    __builtin_prefetch(first, 1);
    __builtin_prefetch(last, 1);  // a row's state may straddle two cache lines
  }

 private:
  OptimiserConfig config_;
  std::uint64_t step_ = 0;
  float step_size_ = 0.0f;    // Adam: learning rate with both bias corrections folded in
  float epsilon_hat_ = 0.0f;  // Adam: epsilon on the same scale
  // Per parameter, its state side by side: Adam's (m, v), or AdaGrad's sum of squares. The
  // sparse rows are scattered over a large model; keeping a row's whole state in one place
  // halves Adam's cache misses, which dominate training time.
  std::size_t per_parameter_;
  std::vector<float> state_;
};

}  // namespace zooter::adapters::router
