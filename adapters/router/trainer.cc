#include "adapters/router/trainer.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include "adapters/router/progress_bar.h"
#include "harness/error.h"
#include "harness/parallel.h"
#include "harness/random.h"

namespace zooter::adapters::router {
namespace {

constexpr std::uint64_t kShuffleStream = 0x524f555445520002ULL;
constexpr std::uint64_t kValidationStream = 0x524f555445520003ULL;

// Fixed decompositions (never derived from the thread count): examples of a mini-batch are
// run in blocks of kExamplesPerBlock, and first-layer rows are split into kRowShards ranges.
constexpr std::size_t kExamplesPerBlock = 8;
constexpr std::size_t kRowShards = 16;

// One mini-batch step of gradient descent, with the buffers reused from step to step.
class Stepper {
 public:
  Stepper(LinearModel& model, const SparseRows& features, const std::vector<float>& targets,
          const OptimiserConfig& config, Loss loss, const RunContext& run)
      : model_(model),
        features_(features),
        targets_(targets),
        run_(run),
        loss_(loss),
        optimiser_(config, model.parameter_count()),
        slot_(model.shape().dimension, 0),
        touched_(kRowShards),
        shard_gradient_(kRowShards) {}

  // Returns the summed loss of the batch's examples before the update.
  double step(std::span<const std::uint32_t> batch) {
    const ModelShape& shape = model_.shape();
    const std::size_t n = batch.size(), width = shape.width(), tail = shape.tail_size();
    const float scale = 1.0f / static_cast<float>(n);
    const std::size_t blocks = (n + kExamplesPerBlock - 1) / kExamplesPerBlock;
    deltas_.resize(n * width);
    losses_.resize(n);
    tail_partial_.assign(blocks * tail, 0.0f);
    parallel_blocks(
        run_, n,
        [&](std::size_t begin, std::size_t end) {
          Activations a;
          const std::span<float> partial(tail_partial_.data() + begin / kExamplesPerBlock * tail,
                                         tail);
          for (std::size_t i = begin; i < end; ++i) {
            model_.forward(features_.row(batch[i]), a);
            losses_[i] = model_.backward(target(batch[i]), scale, a, partial, loss_);
            std::copy(a.delta.begin(), a.delta.end(), deltas_.begin() + i * width);
          }
        },
        kExamplesPerBlock);
    tail_gradient_.assign(tail, 0.0f);
    for (std::size_t b = 0; b < blocks; ++b) {
      for (std::size_t k = 0; k < tail; ++k) tail_gradient_[k] += tail_partial_[b * tail + k];
    }

    optimiser_.begin_step();
    ++step_;
    parallel_blocks(
        run_, kRowShards,
        [&](std::size_t begin, std::size_t end) {
          for (std::size_t s = begin; s < end; ++s) update_shard(s, batch);
        },
        1);
    update_tail();
    double loss = 0.0;
    for (double l : losses_) loss += l;
    return loss;
  }

 private:
  std::span<const float> target(std::uint32_t row) const {
    const std::size_t outputs = model_.shape().outputs;
    return {targets_.data() + std::size_t{row} * outputs, outputs};
  }

  // Sums the gradient of every first-layer row of shard s in example order, then updates
  // those rows. Each row's sum has the same order whatever thread runs the shard.
  void update_shard(std::size_t s, std::span<const std::uint32_t> batch) {
    const std::size_t width = model_.shape().width();
    const std::uint64_t dimension = model_.shape().dimension;
    const auto lo = static_cast<std::uint32_t>(dimension * s / kRowShards);
    const auto hi = static_cast<std::uint32_t>(dimension * (s + 1) / kRowShards);
    const std::uint64_t stamp = std::uint64_t{step_} << 32;
    std::vector<std::uint32_t>& touched = touched_[s];
    std::vector<float>& gradient = shard_gradient_[s];
    touched.clear();
    gradient.clear();
    // Each example's features inside the shard: a sorted range found by binary search.
    auto range_of = [&](std::size_t i) {
      const SparseView x = features_.row(batch[i]);
      const auto first = std::lower_bound(x.index.begin(), x.index.end(), lo);
      return std::pair(first, std::lower_bound(first, x.index.end(), hi));
    };
    auto next = range_of(0);
    for (std::size_t i = 0; i < batch.size(); ++i) {
      const SparseView x = features_.row(batch[i]);
      const auto [first, last] = next;
      // The row slots are scattered: fetch the next example's while this one is summed.
      if (i + 1 < batch.size()) {
        next = range_of(i + 1);
        for (auto it = next.first; it != next.second; ++it) __builtin_prefetch(&slot_[*it]);
      }
      const float* delta = deltas_.data() + i * width;
      for (auto it = first; it != last; ++it) {
        const std::uint32_t j = *it;
        const float v = x.value[static_cast<std::size_t>(it - x.index.begin())];
        if ((slot_[j] & ~kSlotMask) != stamp) {  // first touch this step: a new slot
          slot_[j] = stamp | touched.size();
          touched.push_back(j);
          gradient.resize(gradient.size() + width);
          float* g = gradient.data() + gradient.size() - width;
          for (std::size_t k = 0; k < width; ++k) g[k] = v * delta[k];
        } else {
          float* g = gradient.data() + (slot_[j] & kSlotMask) * width;
          for (std::size_t k = 0; k < width; ++k) g[k] += v * delta[k];
        }
      }
    }
    // Rows are scattered over a model far larger than the caches: fetch them well ahead.
    constexpr std::size_t kAhead = 16;
    const std::span<float> weights = model_.parameters();
    for (std::size_t t = 0; t < touched.size(); ++t) {
      if (t + kAhead < touched.size()) {
        const std::size_t ahead = std::size_t{touched[t + kAhead]} * width;
        optimiser_.prefetch(ahead, width);
        __builtin_prefetch(weights.data() + ahead, 1);
      }
      const std::size_t at = std::size_t{touched[t]} * width;
      optimiser_.update(weights.subspan(at, width), {gradient.data() + t * width, width}, at, true);
    }
  }

  // The tail: biases are not decayed, the second layer's weights are.
  void update_tail() {
    const ModelShape& shape = model_.shape();
    const std::size_t base = shape.first_layer_size(), width = shape.width();
    const std::span<float> weights = model_.parameters();
    auto update = [&](std::size_t from, std::size_t count, bool decay) {
      optimiser_.update(weights.subspan(base + from, count), {tail_gradient_.data() + from, count},
                        base + from, decay);
    };
    update(0, width, false);  // b1 (or b)
    if (shape.hidden > 0) {
      const std::size_t w2 = std::size_t{shape.hidden} * shape.outputs;
      update(width, w2, true);
      update(width + w2, shape.outputs, false);
    }
  }

  LinearModel& model_;
  const SparseRows& features_;
  const std::vector<float>& targets_;
  const RunContext& run_;
  Loss loss_;
  Optimiser optimiser_;
  std::uint32_t step_ = 0;
  // Per first-layer row: (step << 32) | its slot in its shard's gradient, valid when the step
  // is the current one, so nothing needs clearing between steps. The gradient of a step is
  // kept compact per shard (touched rows only) rather than as a model-sized dense array.
  static constexpr std::uint64_t kSlotMask = 0xffffffffULL;
  std::vector<std::uint64_t> slot_;
  std::vector<std::vector<std::uint32_t>> touched_;  // per shard: rows touched this step
  std::vector<std::vector<float>> shard_gradient_;   // per shard: width floats per touched row
  std::vector<float> deltas_;                        // per example of the batch: width floats
  std::vector<double> losses_;
  std::vector<float> tail_partial_;  // per block of examples: tail gradient
  std::vector<float> tail_gradient_;
};

// Training rows in an order that depends only on (seed, epoch): Fisher-Yates with keyed draws.
std::vector<std::uint32_t> shuffled(std::vector<std::uint32_t> rows, std::uint64_t seed,
                                    std::uint32_t epoch) {
  for (std::size_t i = rows.size(); i > 1; --i) {
    const std::uint64_t key = (std::uint64_t{epoch} << 32) | (i - 1);
    const auto j = static_cast<std::size_t>(random::below(seed, kShuffleStream, key, i));
    std::swap(rows[i - 1], rows[j]);
  }
  return rows;
}

}  // namespace

void validate(const TrainerConfig& c) {
  auto fail = [](const std::string& what) { throw UsageError("router training: " + what); };
  if (c.epochs < 1 || c.epochs > 10000)
    fail(fmt::format("epochs must be in 1..10000, got {}", c.epochs));
  if (c.batch_size < 1 || c.batch_size > 65536) {
    fail(fmt::format("batch size must be in 1..65536, got {}", c.batch_size));
  }
  if (!(c.optimiser.learning_rate > 0.0) || !std::isfinite(c.optimiser.learning_rate)) {
    fail(fmt::format("learning rate must be positive, got {}", c.optimiser.learning_rate));
  }
  if (!(c.optimiser.l2 >= 0.0) || !std::isfinite(c.optimiser.l2)) {
    fail(fmt::format("l2 must be non-negative, got {}", c.optimiser.l2));
  }
  if (!(c.validation_fraction >= 0.0 && c.validation_fraction <= 0.5)) {
    fail(fmt::format("validation fraction must be in [0, 0.5], got {}", c.validation_fraction));
  }
}

std::vector<std::uint32_t> validation_rows(std::span<const std::uint64_t> keys, std::size_t rows,
                                           double fraction, std::uint64_t seed) {
  std::vector<std::uint32_t> out;
  if (fraction <= 0.0) return out;
  for (std::size_t r = 0; r < rows; ++r) {
    const std::uint64_t key = keys.empty() ? r : keys[r];
    if (random::uniform01(seed, kValidationStream, key) < fraction) {
      out.push_back(static_cast<std::uint32_t>(r));
    }
  }
  if (out.size() == rows) out.clear();  // nothing left to train on: no validation
  return out;
}

double mean_loss(const LinearModel& model, const SparseRows& features, const LabelMatrix& labels,
                 std::span<const std::uint32_t> rows, const RunContext& run, Loss loss) {
  if (rows.empty()) return std::numeric_limits<double>::quiet_NaN();
  const std::size_t outputs = labels.columns;
  const double total = parallel_sum(run, rows.size(), [&](std::size_t i) {
    Activations a;
    std::vector<float> target(outputs);
    const auto row = labels.row(rows[i]);
    for (std::size_t c = 0; c < outputs; ++c) target[c] = static_cast<float>(row[c]);
    return model.loss(features.row(rows[i]), target, a, loss);
  });
  return total / static_cast<double>(rows.size());
}

TrainingSummary train(LinearModel& model, const SparseRows& features, const LabelMatrix& labels,
                      std::span<const std::uint64_t> keys, const TrainerConfig& config,
                      const RunContext& run, ProgressSink progress) {
  validate(config);
  const std::size_t n = features.rows();
  ZOOTER_CHECK(labels.rows() == n && labels.columns == model.shape().outputs);
  ZOOTER_CHECK(keys.empty() || keys.size() == n);
  if (n == 0) throw InputError("router training: no training queries");

  const std::vector<std::uint32_t> held_out =
      validation_rows(keys, n, config.validation_fraction, config.seed);
  std::vector<std::uint32_t> training;
  training.reserve(n - held_out.size());
  for (std::size_t r = 0, h = 0; r < n; ++r) {
    if (h < held_out.size() && held_out[h] == r) {
      ++h;
    } else {
      training.push_back(static_cast<std::uint32_t>(r));
    }
  }
  const std::vector<float> targets(labels.values.begin(), labels.values.end());

  TrainingSummary summary;
  summary.training_examples = training.size();
  summary.validation_examples = held_out.size();
  summary.validation_loss = std::numeric_limits<double>::quiet_NaN();
  Stepper stepper(model, features, targets, config.optimiser, config.loss, run);
  std::vector<float> best_weights;
  std::uint32_t epochs_without_gain = 0;
  for (std::uint32_t epoch = 0; epoch < config.epochs; ++epoch) {
    const std::vector<std::uint32_t> order = shuffled(training, config.seed, epoch);
    ProgressBar bar(progress, fmt::format("epoch {}/{}", epoch + 1, config.epochs), order.size());
    double loss = 0.0;
    for (std::size_t b = 0; b < order.size(); b += config.batch_size) {
      const std::size_t e = std::min(order.size(), b + config.batch_size);
      loss += stepper.step(std::span(order).subspan(b, e - b));
      bar.update(e, fmt::format("loss {:.4f}", loss / static_cast<double>(e)));
    }
    summary.epochs_run = epoch + 1;
    summary.training_loss = loss / static_cast<double>(order.size());
    if (held_out.empty()) {
      summary.best_epoch = epoch + 1;
      bar.finish(fmt::format("loss {:.4f}", summary.training_loss));
      continue;
    }
    const double validation = mean_loss(model, features, labels, held_out, run, config.loss);
    bar.finish(fmt::format("loss {:.4f}  validation {:.4f}", summary.training_loss, validation));
    if (summary.best_epoch == 0 || validation < summary.validation_loss) {
      summary.validation_loss = validation;
      summary.best_epoch = epoch + 1;
      best_weights.assign(model.parameters().begin(), model.parameters().end());
      epochs_without_gain = 0;
    } else if (config.patience > 0 && ++epochs_without_gain >= config.patience) {
      summary.stopped_early = epoch + 1 < config.epochs;
      break;
    }
  }
  if (!best_weights.empty() && summary.best_epoch != summary.epochs_run) {
    std::copy(best_weights.begin(), best_weights.end(), model.parameters().begin());
  }
  return summary;
}

}  // namespace zooter::adapters::router
