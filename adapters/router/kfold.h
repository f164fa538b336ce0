// K-fold cross-fitting for bundles without a train split: the evaluated queries are cut into
// k folds, a router is trained on the other k - 1 folds for each fold, and each query is routed
// by the router that never saw it.
//
// Folds are stratified by subset: within a subset, queries are ordered by a keyed draw
// (seed, query index) and dealt round-robin, the dealer carrying on from subset to subset, so
// every subset is spread as evenly as possible and fold sizes differ by at most one. The
// assignment depends only on the queries, their subsets, k and the seed.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

namespace zooter::adapters::router {

inline constexpr std::uint32_t kMaxFolds = 100;

class FoldPlan {
 public:
  // `queries` are bundle query indices; `subset_of` maps a bundle query index to its subset
  // (Queries::subset). Throws UsageError unless 2 <= k <= kMaxFolds, and InputError when
  // there are fewer queries than folds.
  FoldPlan(std::span<const std::uint32_t> queries, std::span<const std::uint32_t> subset_of,
           std::uint32_t k, std::uint64_t seed);

  [[nodiscard]] std::uint32_t folds() const { return folds_; }
  // The fold of queries[i].
  [[nodiscard]] std::uint32_t fold_at(std::size_t i) const { return fold_of_[i]; }
  // The queries held out in fold f (routed by its router), in the order given.
  [[nodiscard]] std::vector<std::uint32_t> held_out(std::uint32_t f) const;
  // The queries fold f's router trains on (all other folds), in the order given.
  [[nodiscard]] std::vector<std::uint32_t> training(std::uint32_t f) const;

 private:
  std::vector<std::uint32_t> queries_;
  std::vector<std::uint32_t> fold_of_;  // parallel to queries_
  std::uint32_t folds_;
};

}  // namespace zooter::adapters::router
