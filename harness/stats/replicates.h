// Every adapter's reported statistics recomputed on each bootstrap replicate: subset scores,
// ranks against the candidate pool (recomputed from the candidates' resampled scores), group
// averages, group MTR, overall MTR and %Uplift. The one resampling pass that bootstrap
// intervals (bootstrap.h) and paired bootstrap tests (paired_tests.h) share.
//
// Not for: summarising the replicates (bootstrap.h does) or point estimates (the evaluator's).
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace zooter {
class RunContext;
}

namespace zooter::stats {

class SampleTable;

// One adapter's statistics in one replicate, indexed like AdapterResult's fields.
struct StatisticsView {
  std::span<const double> subset_score;   // [evaluated subset]
  std::span<const double> subset_rank;    // [evaluated subset]; whole numbers
  std::span<const double> group_average;  // [evaluated group]
  std::span<const double> group_mtr;      // [evaluated group]
  double mtr = 0.0;
  double uplift = 0.0;
};

class Replicates {
 public:
  // Statistics of every adapter on the sample itself (no resampling; equal to the
  // evaluator's numbers) and on `count` replicates, replicate r drawn with
  // SampleTable::replicate_means(seed, r). Replicates are computed in parallel, each into
  // its own slot: the result is identical for any thread count.
  Replicates(const SampleTable& table, std::size_t count, std::uint64_t seed,
             const RunContext& ctx);

  [[nodiscard]] std::size_t count() const { return count_; }
  [[nodiscard]] std::uint64_t seed() const { return seed_; }
  [[nodiscard]] std::size_t adapters() const { return adapters_; }
  [[nodiscard]] std::size_t subsets() const { return subsets_; }
  [[nodiscard]] std::size_t groups() const { return groups_; }

  [[nodiscard]] StatisticsView sample(std::size_t adapter) const;
  [[nodiscard]] StatisticsView replicate(std::size_t r, std::size_t adapter) const;

  // The flat layout, for summaries that walk one statistic across replicates: statistic k
  // of an adapter (k < statistics_per_adapter()) in replicate r is
  // values()[(r * adapters() + adapter) * statistics_per_adapter() + k], in the order
  // subset scores, subset ranks, group averages, group MTRs, MTR, uplift.
  [[nodiscard]] std::size_t statistics_per_adapter() const {
    return 2 * subsets_ + 2 * groups_ + 2;
  }
  [[nodiscard]] std::span<const double> values() const { return values_; }

 private:
  [[nodiscard]] StatisticsView view(const double* block) const;

  std::size_t count_ = 0;
  std::uint64_t seed_ = 0;
  std::size_t adapters_ = 0;
  std::size_t subsets_ = 0;
  std::size_t groups_ = 0;
  std::vector<double> sample_;  // adapters() x statistics_per_adapter()
  std::vector<double> values_;  // count() x adapters() x statistics_per_adapter()
};

}  // namespace zooter::stats
