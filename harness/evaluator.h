// Turns adapters' decisions into the metrics of docs/metrics.md: subset scores, group
// averages, ranks against the candidate pool, MTR, %Uplift, pairwise win rates and cost.
//
// The evaluator knows nothing of how decisions were made. Work is split into fixed blocks and
// folded in query order, so the Evaluation is identical for any thread count.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "harness/decision.h"
#include "harness/evaluation.h"

namespace zooter {

struct Bundle;
class RunContext;

// One adapter's decisions on the evaluated queries, plus what the evaluator cannot derive.
struct AdapterRun {
  std::string name;
  std::string kind;
  std::vector<std::string> notes;
  double router_parameters = 0.0;
  double router_flops_per_query = 0.0;
  std::vector<Decision> decisions;  // one per evaluated query, same order
};

// `queries` are indices into the bundle (the evaluated split), in increasing order.
// `best_single` is the position in `runs` of the best-single adapter, the reference for win
// rates and cost ratios. Decisions must name valid candidates (checked).
[[nodiscard]] Evaluation evaluate(const Bundle& bundle, std::span<const std::uint32_t> queries,
                                  const std::vector<AdapterRun>& runs,
                                  std::optional<std::size_t> best_single, const std::string& split,
                                  const RunContext& ctx);

// The evaluated subsets and groups in manifest order, as Evaluation::subsets and ::groups hold
// them (a subset without evaluated queries and a group without evaluated subsets are left
// out), and each evaluated query's position in `subsets`. The one layout of a sample: the
// evaluator's and stats::SampleTable's.
struct SubsetLayout {
  std::vector<EvaluatedSubset> subsets;
  std::vector<EvaluatedGroup> groups;
  std::vector<std::size_t> subset_of;  // per evaluated query, in the order of `queries`
};
[[nodiscard]] SubsetLayout subset_layout(const Bundle& bundle, std::span<const std::uint32_t> queries);

// The gold score the user receives from decision d on bundle query q, in expectation for a
// uniform draw (the candidates' mean, summed in candidate order).
[[nodiscard]] double answer_value(const Bundle& bundle, std::size_t q, const Decision& d);

// Share of queries where score a beats b, ties one half (per direction of the metric).
[[nodiscard]] inline double win_value(double a, double b, bool higher_is_better) {
  if (a == b) return 0.5;
  return (a > b) == higher_is_better ? 1.0 : 0.0;
}

}  // namespace zooter
