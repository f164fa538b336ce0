// Percentile bootstrap confidence intervals and standard errors for every statistic the
// evaluator reports per adapter: subset scores and ranks, group averages and MTR, overall MTR
// and %Uplift (Efron & Tibshirani 1993, ch. 6 and 13). Queries are resampled within each
// subset and ranks are recomputed against the resampled candidate pool in every replicate.
//
// Not for: hypothesis tests between adapters (paired_tests.h). Definitions, the order
// statistics used and the random keys are in docs/statistics.md.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "harness/default_seed.h"

namespace zooter {
struct AdapterRun;
struct Bundle;
class RunContext;
}  // namespace zooter

namespace zooter::stats {

class Replicates;

struct BootstrapOptions {
  std::size_t replicates = 1000;  // B, at least 2
  double level = 0.95;            // two-sided coverage, in (0, 1)
  std::uint64_t seed = kDefaultSeed;  // key of every draw (pass the run's --seed)
};

// A percentile interval and the bootstrap standard error of one statistic.
struct Interval {
  double lo = 0.0;
  double hi = 0.0;
  double se = 0.0;  // standard deviation of the B replicate values (divisor B - 1)
};

// One adapter's intervals, indexed like its AdapterResult.
struct AdapterUncertainty {
  std::vector<Interval> subset_score;   // [evaluated subset]
  std::vector<Interval> subset_rank;    // [evaluated subset]
  std::vector<Interval> group_average;  // [evaluated group]
  std::vector<Interval> group_mtr;      // [evaluated group]
  Interval mtr;
  Interval uplift;
};

struct Uncertainty {
  std::size_t replicates = 0;
  double level = 0.0;
  std::uint64_t seed = 0;
  std::vector<AdapterUncertainty> adapters;  // in the order of the runs
};

// Throws UsageError when replicates < 2 or level is not inside (0, 1).
void check_options(const BootstrapOptions& options);

// Intervals for every run, over the same evaluated queries as evaluate(). Identical for any
// thread count. Throws UsageError on invalid options (check_options).
[[nodiscard]] Uncertainty bootstrap(const Bundle& bundle, std::span<const std::uint32_t> queries,
                                    const std::vector<AdapterRun>& runs,
                                    const BootstrapOptions& options, const RunContext& ctx);

// The same from replicates already drawn (shared with paired tests).
[[nodiscard]] Uncertainty bootstrap(const Replicates& replicates, double level,
                                    const RunContext& ctx);

// 1-based rank k of the lower endpoint among B sorted values:
// k = max(1, floor((B + 1) * (1 - level) / 2)); the interval is [v_(k), v_(B + 1 - k)].
[[nodiscard]] std::size_t percentile_rank(std::size_t replicates, double level);

// The percentile interval and standard error of B >= 2 replicate values (in replicate
// order: the standard error is summed in that order). Values must not be NaN.
[[nodiscard]] Interval percentile_interval(std::span<const double> values, double level);

}  // namespace zooter::stats
