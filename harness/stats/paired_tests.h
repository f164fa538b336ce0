// Paired comparisons of two adapters on the same evaluated queries: per subset the exact sign
// test (McNemar's exact test on 0/1 outcomes) and the paired bootstrap p-value, both
// Holm-adjusted across the evaluated subsets; per group and overall, pooled sign tests,
// bootstrap tests of the group-average and MTR differences, and a tally that answers
// "A vs B: better on k subsets, significantly on j".
//
// Not for: confidence intervals of one adapter (bootstrap.h). Definitions: docs/statistics.md.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <utility>
#include <vector>

#include "harness/stats/bootstrap.h"

namespace zooter::stats {

class Replicates;
class SampleTable;

// Which Holm-adjusted p-value decides "significantly" in a tally.
enum class TallyTest {
  kBootstrap,  // paired bootstrap of the subset-score difference (uses magnitudes)
  kSignTest,   // exact sign test of per-query wins and losses (uses signs only)
};

struct PairedOptions {
  double alpha = 0.05;  // family-wise error rate per comparison, in (0, 1)
  TallyTest tally_test = TallyTest::kBootstrap;
};

struct SubsetComparison {
  double difference = 0.0;  // subset score of A minus B's, on the sample (metric units)
  // Queries where A's answer value is better / worse / equal (per the metric's direction).
  // A uniform draw is its expected value, so random vs X compares X with the candidates' mean.
  std::size_t wins = 0;
  std::size_t losses = 0;
  std::size_t ties = 0;
  bool binary = false;  // every value of A and B here is 0 or 1: the sign test is McNemar's
  double sign_p = 1.0;
  double sign_p_holm = 1.0;  // Holm across all evaluated subsets of this comparison
  double bootstrap_p = 1.0;
  double bootstrap_p_holm = 1.0;
};

// "Better on `better` subsets, significantly on `significantly_better`; worse on ..."; a
// subset with equal scores counts in neither. Significance: the tally test's Holm-adjusted p
// below alpha (for the sign test, also more wins than losses for "better", and the reverse).
struct SubsetTally {
  std::size_t subsets = 0;
  std::size_t better = 0;
  std::size_t significantly_better = 0;
  std::size_t worse = 0;
  std::size_t significantly_worse = 0;
};

// A group's subsets, or all evaluated subsets (overall).
struct AggregateComparison {
  SubsetTally tally;
  // Sign test over the pooled queries of the subsets.
  std::size_t wins = 0;
  std::size_t losses = 0;
  std::size_t ties = 0;
  double sign_p = 1.0;
  // Group average of A minus B's and its paired bootstrap p; empty overall (there is no
  // overall average: groups may use different scales).
  std::optional<double> average_difference;
  std::optional<double> average_bootstrap_p;
  double mtr_difference = 0.0;  // MTR of A minus B's (negative: A ranks better)
  double mtr_bootstrap_p = 1.0;
};

struct Comparison {
  std::size_t a = 0;  // positions in the runs
  std::size_t b = 0;
  std::vector<SubsetComparison> subsets;    // [evaluated subset]
  std::vector<AggregateComparison> groups;  // [evaluated group]
  AggregateComparison overall;
};

// Throws UsageError when alpha is not inside (0, 1).
void check_options(const PairedOptions& options);

// Compares runs a and b of `table`, using `replicates` drawn from the same table.
[[nodiscard]] Comparison compare(const SampleTable& table, const Replicates& replicates,
                                 std::size_t a, std::size_t b, const PairedOptions& options);

// Every requested pair (positions in `runs`) over the evaluated queries, resampled as
// bootstrap() does with the same options (so the same seed gives the same replicates).
// Identical for any thread count. Throws UsageError on invalid options.
[[nodiscard]] std::vector<Comparison> compare(
    const Bundle& bundle, std::span<const std::uint32_t> queries,
    const std::vector<AdapterRun>& runs, std::span<const std::pair<std::size_t, std::size_t>> pairs,
    const BootstrapOptions& bootstrap_options, const PairedOptions& options, const RunContext& ctx);

}  // namespace zooter::stats
