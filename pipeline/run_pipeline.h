// The evaluation pipeline behind `zooter run` and `zooter ablate`: choose the splits
// (splits.h), build every adapter and let each decide (adapter_runs.h), evaluate, compute every
// statistic, and build the report once.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "reports/report.h"

namespace zooter {
struct Bundle;
class RunContext;
}  // namespace zooter

namespace zooter::pipeline {

struct RunSettings {
  std::vector<std::string> adapters;   // specs; empty = every candidate and every baseline
  std::string split;                   // evaluated split; empty = "test" or the only split
  std::string train_split;             // empty = "train" when present and not evaluated
  std::size_t bootstrap = 1000;        // replicates for intervals and paired tests; 0 = none
  double level = 0.95;                 // confidence level of the intervals
  double alpha = 0.05;                 // family-wise error rate of the paired tests (Holm)
  bool drilldown = false;              // keep per-query detail (for the HTML report)
  std::vector<double> sweep_lambdas;   // re-decide every cost-aware adapter at each lambda
  std::string strong, weak;            // candidate pair for RouteLLM's PGR, APGR and CPT
  std::string decisions_dir;           // when set: every adapter's decisions (decision_export.h)
  // Adapters every adapter is also paired-tested against, besides best-single
  // (versus_references.h says how a value names one).
  std::vector<std::string> versus;
};

// Evaluates the adapters on `bundle`. best-single is always run (it is the reference for win
// rates and cost ratios) and added, with a note, when not asked for. Timings go to
// report.provenance.measurements; everything else in the report is deterministic.
[[nodiscard]] reports::Report run_evaluation(const Bundle& bundle, const RunSettings& settings,
                                             const RunContext& ctx);

// Fills the provenance fields that do not come from the evaluation itself.
void stamp_provenance(reports::Report& report, const std::string& bundle_path,
                      const Bundle& bundle, const RunContext& ctx,
                      std::vector<std::pair<std::string, std::string>> configuration);

}  // namespace zooter::pipeline
