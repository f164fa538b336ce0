// The router network: a multinomial linear model over hashed features, optionally with one
// small ReLU hidden layer, ending in a softmax over the candidates.
//
//   linear:  logits = W^T x + b                      W: dimension x outputs
//   hidden:  h = relu(W1^T x + b1), logits = W2^T h + b2
//
// All parameters live in one flat float vector, laid out as
//   [first layer: dimension rows of `width` floats][tail: b1 (width), then, with a hidden
//   layer, W2 (hidden rows of `outputs`) and b2 (outputs)]
// where width = hidden ? hidden : outputs. The first layer is touched only at the rows of a
// query's non-zero features, so the trainer updates it row-sparsely; the small tail is dense.
// This class holds the weights and the maths of one example; batching, optimisation and
// parallelism are trainer.h's.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "adapters/router/featuriser.h"

namespace zooter::adapters::router {

struct ModelShape {
  std::uint32_t dimension = 1u << 18;  // input features (hash buckets)
  std::uint32_t outputs = 2;           // candidates
  std::uint32_t hidden = 0;            // 0: no hidden layer

  [[nodiscard]] std::size_t width() const { return hidden > 0 ? hidden : outputs; }
  [[nodiscard]] std::size_t first_layer_size() const { return std::size_t{dimension} * width(); }
  [[nodiscard]] std::size_t tail_size() const {
    return width() + (hidden > 0 ? std::size_t{hidden} * outputs + outputs : 0);
  }
  [[nodiscard]] std::size_t parameter_count() const { return first_layer_size() + tail_size(); }

  friend bool operator==(const ModelShape&, const ModelShape&) = default;
};

inline constexpr std::uint32_t kMaxHidden = 4096;

// What the outputs are trained as: a distribution (KL divergence to a target distribution,
// the Zooter router) or scores (half the squared error to target scores, the mlp router).
enum class Loss { kKl, kSquaredError };

// Per-example scratch of forward and backward passes; one per worker, never shared.
struct Activations {
  std::vector<float> pre;     // first-layer pre-activations (width)
  std::vector<float> hidden;  // relu(pre), with a hidden layer
  std::vector<float> logits;  // outputs
  std::vector<float> probs;   // softmax(logits)
  std::vector<float> delta;   // d loss / d pre: the first-layer row gradient is x_j * delta
};

class LinearModel {
 public:
  // Zero weights (linear), or seeded random first and second layers (hidden): a uniform draw
  // keyed by (seed, parameter index), so initialisation is the same for any thread count.
  // Throws UsageError when outputs < 2, hidden > kMaxHidden or dimension is 0.
  LinearModel(ModelShape shape, std::uint64_t seed);
  // Adopts given parameters; throws InputError(""...) unless their count fits the shape.
  LinearModel(ModelShape shape, std::vector<float> parameters);

  [[nodiscard]] const ModelShape& shape() const { return shape_; }
  [[nodiscard]] std::span<const float> parameters() const { return parameters_; }
  [[nodiscard]] std::span<float> parameters() { return parameters_; }
  [[nodiscard]] std::span<const float> first_row(std::uint32_t feature) const {
    return {parameters_.data() + std::size_t{feature} * shape_.width(), shape_.width()};
  }

  [[nodiscard]] std::size_t parameter_count() const { return shape_.parameter_count(); }
  // Multiply-adds counted as 2 FLOPs: the first layer costs 2 x nonzeros x width, the second
  // 2 x hidden x outputs, plus ~5 per output for the softmax (exp counted as one).
  [[nodiscard]] double flops_per_query(double mean_nonzeros) const;

  // Asks the memory system for the first-layer rows of `features` (indices < dimension; repeats
  // are harmless): the rows are scattered over a model far larger than the caches, and asking
  // for all of them before using any lets many be fetched at once.
  void prefetch_rows(std::span<const std::uint32_t> features) const;

  // Fills a.logits and a.probs (and a.pre, a.hidden). Feature indices must be < dimension.
  // Prefetches x's rows first.
  void forward(SparseView x, Activations& a) const;
  // forward() without the softmax and without prefetching: fills a.logits (and a.pre,
  // a.hidden), not a.probs.
  void forward_logits(SparseView x, Activations& a) const;
  // The candidate with the largest logit (ties: the lowest index). No softmax needed, and no
  // prefetching: a caller routing many texts asks for x's rows as early as it can (Router does
  // while it builds x), and asking again here cost a twentieth of routing.
  [[nodiscard]] std::size_t route(SparseView x, Activations& a) const;

  // One example of the KL loss KL(target || softmax(logits)) = sum_c t_c log(t_c / p_c), after
  // forward(x, a). Returns the loss; writes a.delta (scaled by `scale`, e.g. 1 / batch size)
  // and adds scale x the gradient of the tail parameters to `tail_gradient` (tail_size()).
  // `target` is a probability distribution over outputs.
  // With Loss::kSquaredError the loss is sum_c (logit_c - target_c)^2 / 2 and `target` any
  // scores.
  double backward(std::span<const float> target, float scale, Activations& a,
                  std::span<float> tail_gradient, Loss loss = Loss::kKl) const;

  // The loss alone (for validation): forward plus the loss term.
  [[nodiscard]] double loss(SparseView x, std::span<const float> target, Activations& a,
                            Loss kind = Loss::kKl) const;

 private:
  void check_shape() const;

  ModelShape shape_;
  std::vector<float> parameters_;
};

}  // namespace zooter::adapters::router
