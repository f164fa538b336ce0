// Trains a LinearModel on (features, target distribution) pairs by mini-batch gradient
// descent on the mean KL divergence, with a held-out validation set and early stopping.
//
// Deterministic: the trained weights are bit-identical for any thread count and a given seed.
// Shuffles and the validation split are keyed counter-based draws; per-example work runs in
// fixed blocks of examples; the tail gradient is folded block by block in order; and the
// sparse first-layer gradient is summed row by row in example order, rows split into a fixed
// number of shards that threads take whole. Nothing here knows about bundles or rewards
// (training_set.h builds the inputs).
#pragma once

#include <cstdint>
#include <iosfwd>
#include <span>
#include <vector>

#include "adapters/router/featuriser.h"
#include "adapters/router/labels.h"
#include "adapters/router/linear_model.h"
#include "adapters/router/optimiser.h"
#include "adapters/router/progress_bar.h"
#include "harness/default_seed.h"

namespace zooter {
class RunContext;
}

namespace zooter::adapters::router {

struct TrainerConfig {
  OptimiserConfig optimiser;
  std::uint32_t epochs = 5;
  std::uint32_t batch_size = 64;
  double validation_fraction = 0.05;  // of the examples, drawn by key; 0 = no validation
  std::uint32_t patience = 2;         // epochs without validation gain before stopping; 0 = never
  std::uint64_t seed = kDefaultSeed;  // `zooter train` and the adapters' seed= default alike
  Loss loss = Loss::kKl;  // kSquaredError: labels are scores to regress, not distributions
};

// Throws UsageError for out-of-range settings (epochs 1..10000, batch 1..65536, learning rate
// > 0, l2 >= 0, validation fraction in [0, 0.5]).
void validate(const TrainerConfig& config);

struct TrainingSummary {
  std::size_t training_examples = 0;
  std::size_t validation_examples = 0;
  std::uint32_t epochs_run = 0;
  std::uint32_t best_epoch = 0;  // 1-based epoch whose weights were kept
  bool stopped_early = false;
  double training_loss = 0.0;    // mean KL over the last epoch's batches
  double validation_loss = 0.0;  // mean KL of the kept weights; NaN without validation
};

// Trains `model` in place on rows of `features` with targets `labels` (one row per feature row,
// labels.columns == model outputs, each row a distribution). `keys[r]` identifies example r
// for the validation draw (e.g. its query index in the bundle), so the same example is held
// out whatever order the rows come in; empty keys mean the row numbers. With validation, the
// weights of the epoch with the lowest validation loss are kept. Progress goes to `progress`
// (progress_bar.h; the default is silent).
[[nodiscard]] TrainingSummary train(LinearModel& model, const SparseRows& features,
                                    const LabelMatrix& labels, std::span<const std::uint64_t> keys,
                                    const TrainerConfig& config, const RunContext& run,
                                    ProgressSink progress = {});

// The rows held out for validation: those whose key draws below the fraction, unless that
// leaves no row on either side (then none). In increasing row order.
[[nodiscard]] std::vector<std::uint32_t> validation_rows(std::span<const std::uint64_t> keys,
                                                         std::size_t rows, double fraction,
                                                         std::uint64_t seed);

// Mean KL loss of `model` over `rows`, summed in fixed blocks; NaN when `rows` is empty.
[[nodiscard]] double mean_loss(const LinearModel& model, const SparseRows& features,
                               const LabelMatrix& labels, std::span<const std::uint32_t> rows,
                               const RunContext& run, Loss loss = Loss::kKl);

}  // namespace zooter::adapters::router
