#include "adapters/router/linear_model.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <string>

#include "harness/error.h"
#include "harness/random.h"

namespace zooter::adapters::router {
namespace {

constexpr std::uint64_t kInitStream = 0x524f555445520001ULL;  // "ROUTER" + 1

// Uniform in [-limit, limit), keyed by parameter index.
float uniform_weight(std::uint64_t seed, std::size_t index, double limit) {
  return static_cast<float>((2.0 * random::uniform01(seed, kInitStream, index) - 1.0) * limit);
}

}  // namespace

LinearModel::LinearModel(ModelShape shape, std::uint64_t seed) : shape_(shape), parameters_() {
  check_shape();
  parameters_.assign(shape_.parameter_count(), 0.0f);
  if (shape_.hidden == 0) return;  // the linear model is convex: zeros are a fine start
  // With unit-norm inputs and i.i.d. first-layer weights of variance v, each pre-activation
  // has variance v whatever the number of features: v = 1 keeps ReLUs in their working range.
  const double first_limit = std::sqrt(3.0);
  const std::size_t first = shape_.first_layer_size();
  for (std::size_t i = 0; i < first; ++i) parameters_[i] = uniform_weight(seed, i, first_limit);
  // He initialisation for the layer after the ReLU: variance 2 / hidden.
  const double second_limit = std::sqrt(3.0 * 2.0 / shape_.hidden);
  const std::size_t w2 = first + shape_.hidden;
  const std::size_t w2_size = std::size_t{shape_.hidden} * shape_.outputs;
  for (std::size_t i = w2; i < w2 + w2_size; ++i)
    parameters_[i] = uniform_weight(seed, i, second_limit);
}

LinearModel::LinearModel(ModelShape shape, std::vector<float> parameters)
    : shape_(shape), parameters_(std::move(parameters)) {
  check_shape();
  if (parameters_.size() != shape_.parameter_count()) {
    throw InputError("router model: " + std::to_string(parameters_.size()) +
                     " parameters given, the shape needs " +
                     std::to_string(shape_.parameter_count()));
  }
}

void LinearModel::check_shape() const {
  if (shape_.dimension == 0) throw UsageError("router model: the feature dimension is 0");
  if (shape_.outputs < 2) {
    throw UsageError("router model: needs at least 2 candidates, got " +
                     std::to_string(shape_.outputs));
  }
  if (shape_.hidden > kMaxHidden) {
    throw UsageError("router model: hidden must be at most " + std::to_string(kMaxHidden) +
                     ", got " + std::to_string(shape_.hidden));
  }
}

double LinearModel::flops_per_query(double mean_nonzeros) const {
  const double width = static_cast<double>(shape_.width());
  double flops = 2.0 * mean_nonzeros * width + width;  // first layer plus its bias
  if (shape_.hidden > 0) {
    flops += width;  // ReLU
    flops += 2.0 * shape_.hidden * shape_.outputs + shape_.outputs;
  }
  return flops + 5.0 * shape_.outputs;  // softmax: max, subtract, exp, sum, divide
}

namespace {

// pre[k] += sum_i x_i row_i[k] for a first layer `Width` wide, known at compile time: the sums
// stay in registers instead of going through memory on every feature (the compiler cannot
// tell `pre` from the weights). Each pre[k] adds the same products in the same order as the
// generic loop, so the result is bit for bit the same.
template <std::size_t Width>
void accumulate_rows(const float* weights, SparseView x, float* pre) {
  std::array<float, Width> sum;
  std::copy_n(pre, Width, sum.begin());
  for (std::size_t i = 0; i < x.size(); ++i) {
    const float v = x.value[i];
    const float* row = weights + std::size_t{x.index[i]} * Width;
    for (std::size_t k = 0; k < Width; ++k) sum[k] += v * row[k];
  }
  std::copy_n(sum.begin(), Width, pre);
}

void accumulate_rows(const float* weights, std::size_t width, SparseView x, float* pre) {
  switch (width) {
    case 2: return accumulate_rows<2>(weights, x, pre);
    case 3: return accumulate_rows<3>(weights, x, pre);
    case 4: return accumulate_rows<4>(weights, x, pre);
    case 5: return accumulate_rows<5>(weights, x, pre);
    case 6: return accumulate_rows<6>(weights, x, pre);
    case 7: return accumulate_rows<7>(weights, x, pre);
    case 8: return accumulate_rows<8>(weights, x, pre);
    default: break;
  }
  for (std::size_t i = 0; i < x.size(); ++i) {
    const float v = x.value[i];
    const float* row = weights + std::size_t{x.index[i]} * width;
    for (std::size_t k = 0; k < width; ++k) pre[k] += v * row[k];
  }
}

}  // namespace

void LinearModel::prefetch_rows(std::span<const std::uint32_t> features) const {
  const std::size_t width = shape_.width();
  for (const std::uint32_t f : features) {
    const float* row = parameters_.data() + std::size_t{f} * width;
    __builtin_prefetch(row);
    __builtin_prefetch(row + width - 1);
  }
}

void LinearModel::forward_logits(SparseView x, Activations& a) const {
  const std::size_t width = shape_.width(), outputs = shape_.outputs;
  const float* tail = parameters_.data() + shape_.first_layer_size();
  a.pre.assign(tail, tail + width);
  accumulate_rows(parameters_.data(), width, x, a.pre.data());
  if (shape_.hidden > 0) {
    a.hidden.resize(width);
    for (std::size_t k = 0; k < width; ++k) a.hidden[k] = std::max(a.pre[k], 0.0f);
    const float* w2 = tail + width;
    const float* b2 = w2 + width * outputs;
    a.logits.assign(b2, b2 + outputs);
    for (std::size_t k = 0; k < width; ++k) {
      const float h = a.hidden[k];
      if (h == 0.0f) continue;
      for (std::size_t o = 0; o < outputs; ++o) a.logits[o] += h * w2[k * outputs + o];
    }
  } else {
    a.logits = a.pre;
  }
}

void LinearModel::forward(SparseView x, Activations& a) const {
  prefetch_rows(x.index);
  forward_logits(x, a);
  const std::size_t outputs = shape_.outputs;
  const float max = *std::max_element(a.logits.begin(), a.logits.end());
  a.probs.resize(outputs);
  float sum = 0.0f;
  for (std::size_t o = 0; o < outputs; ++o) {
    a.probs[o] = std::exp(a.logits[o] - max);
    sum += a.probs[o];
  }
  for (float& p : a.probs) p /= sum;
}

std::size_t LinearModel::route(SparseView x, Activations& a) const {
  forward_logits(x, a);
  return static_cast<std::size_t>(std::max_element(a.logits.begin(), a.logits.end()) -
                                  a.logits.begin());
}

namespace {

// sum_c t_c (log t_c - log p_c) with log p from the logits (log-softmax, no log of a rounded
// probability) and 0 log 0 = 0.
double kl_term(std::span<const float> target, const std::vector<float>& logits) {
  const float max = *std::max_element(logits.begin(), logits.end());
  double sum = 0.0;
  for (float l : logits) sum += std::exp(static_cast<double>(l) - max);
  const double log_z = max + std::log(sum);
  double loss = 0.0;
  for (std::size_t c = 0; c < target.size(); ++c) {
    const double t = target[c];
    if (t > 0.0) loss += t * (std::log(t) - (static_cast<double>(logits[c]) - log_z));
  }
  return loss;
}

double squared_error_term(std::span<const float> target, const std::vector<float>& logits) {
  double loss = 0.0;
  for (std::size_t c = 0; c < target.size(); ++c) {
    const double d = static_cast<double>(logits[c]) - target[c];
    loss += 0.5 * d * d;
  }
  return loss;
}

}  // namespace

double LinearModel::backward(std::span<const float> target, float scale, Activations& a,
                             std::span<float> tail_gradient, Loss kind) const {
  const std::size_t width = shape_.width(), outputs = shape_.outputs;
  ZOOTER_CHECK(target.size() == outputs && tail_gradient.size() == shape_.tail_size());
  // d KL / d logits = p - t for a target that sums to one; d SE / d logits = logits - t.
  std::vector<float>& dlogits = a.logits;  // reused: the loss is taken before overwriting
  const bool kl = kind == Loss::kKl;
  const double loss = kl ? kl_term(target, a.logits) : squared_error_term(target, a.logits);
  for (std::size_t o = 0; o < outputs; ++o) {
    dlogits[o] = scale * ((kl ? a.probs[o] : a.logits[o]) - target[o]);
  }
  a.delta.resize(width);
  if (shape_.hidden == 0) {
    for (std::size_t o = 0; o < outputs; ++o) {
      a.delta[o] = dlogits[o];
      tail_gradient[o] += dlogits[o];
    }
    return loss;
  }
  const float* w2 = parameters_.data() + shape_.first_layer_size() + width;
  float* g_b1 = tail_gradient.data();
  float* g_w2 = g_b1 + width;
  float* g_b2 = g_w2 + width * outputs;
  for (std::size_t o = 0; o < outputs; ++o) g_b2[o] += dlogits[o];
  for (std::size_t k = 0; k < width; ++k) {
    const float h = a.hidden[k];
    float dh = 0.0f;
    for (std::size_t o = 0; o < outputs; ++o) {
      g_w2[k * outputs + o] += h * dlogits[o];
      dh += w2[k * outputs + o] * dlogits[o];
    }
    a.delta[k] = a.pre[k] > 0.0f ? dh : 0.0f;
    g_b1[k] += a.delta[k];
  }
  return loss;
}

double LinearModel::loss(SparseView x, std::span<const float> target, Activations& a,
                         Loss kind) const {
  forward(x, a);
  return kind == Loss::kKl ? kl_term(target, a.logits) : squared_error_term(target, a.logits);
}

}  // namespace zooter::adapters::router
