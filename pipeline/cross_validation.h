// Hyper-parameters chosen by k-fold cross-validation on the train split alone (`zooter tune`).
//
// Each setting of a grid is built k times as an ordinary adapter whose "evaluated" queries are
// one fold of the train split and whose train queries are the other folds, so every learned
// adapter is tuned the same way and through the same code a run uses. Only train queries are
// ever handed to an adapter or scored: the evaluated split (test) and its gold are not read.
// It is not a run: no report, no intervals; the chosen specs are written for `zooter run`.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace zooter {
struct Bundle;
class RunContext;
}  // namespace zooter

namespace zooter::pipeline {

// "knn@k=5|10,reward=gold" -> {"knn@k=5,reward=gold", "knn@k=10,reward=gold"}: every '|' in a
// name, key or value separates alternatives; the grid is their product, the first
// alternative varying slowest. A text without '|' is itself. Throws UsageError on an empty
// alternative ("k=5||10").
[[nodiscard]] std::vector<std::string> expand_grid(const std::string& text);

// One setting's cross-validated score: per fold, the mean over the fold's subsets of the mean
// gold score of the answers picked, normalised to 0..1 by the subset's metric scale (flipped
// when lower is better), as best-single ranks candidates.
struct CvScore {
  std::string spec;                 // canonical
  std::vector<double> fold_scores;  // fold order
  double mean = 0.0;                // over folds
  // Why the setting has no score, when its training diverged on a fold ("fold 2: adapter
  // ... diverged ..."); empty when it was scored. Such a setting is never chosen.
  std::string failure;
};

struct CvSettings {
  std::string train_split;  // its name, for the adapters' notes
  std::uint32_t folds = 5;
};

// Scores every spec by k-fold cross-validation over `train` (bundle query indices, whose gold
// may be learned from). Folds are stratified by subset (adapters/router/kfold.h) and keyed by
// the run's seed, the same for every spec, so scores are paired. Deterministic and identical
// for any thread count. Throws UsageError for a bad spec or k, InputError when the train split
// has fewer queries than folds. A setting whose training diverges (adapters::TrainingDiverged)
// is recorded with its `failure` and the others are still scored, as a grid search that meets
// one bad step size should.
[[nodiscard]] std::vector<CvScore> cross_validate(const Bundle& bundle, std::span<const std::uint32_t> train,
                                                  std::span<const std::string> specs, const CvSettings& settings,
                                                  const RunContext& ctx);

// The position of the best mean score among the scored settings (ties: the first), or 0 when
// `scores` is empty. Throws UsageError when every setting failed (naming the first failure).
[[nodiscard]] std::size_t best_score(std::span<const CvScore> scores);

}  // namespace zooter::pipeline
