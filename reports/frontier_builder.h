// Places a run's adapters (and any lambda sweeps) on the cost-quality plane: cost per query in
// dollars when every adapter has a dollar cost, otherwise TFLOPs; quality = the mean over
// evaluated subsets of the score normalised to 0..1 by its metric's scale (flipped when lower
// is better), so subsets with different metrics weigh alike. Definitions: docs/statistics.md.
#pragma once

#include <span>
#include <string>
#include <vector>

#include "reports/report.h"

namespace zooter::reports {

// One swept adapter: positions in the sweep evaluation of its runs, one per lambda.
struct SweepPlan {
  std::string adapter;           // spec without lambda
  std::vector<double> lambdas;   // ascending
  std::vector<std::size_t> runs; // positions in the sweep evaluation's adapters
};

// What the frontier needs besides the layout and the evaluation. `sweep_evaluation` holds the sweep runs (it may
// be null when there is no sweep) and, when a strong/weak pair is set, runs named
// "single@STRONG" and "single@WEAK" (the PGR anchors).
struct FrontierInputs {
  const Evaluation* sweep_evaluation = nullptr;
  std::vector<SweepPlan> sweeps;
  std::string strong, weak;  // candidate names, both empty or both set
  // Adapters that read the evaluated queries' gold (the oracle): placed on the plane, kept off
  // the headline hull and AIQ.
  std::vector<std::string> references;
};

// The mean normalised subset score of one adapter (subset order of layout.subsets).
[[nodiscard]] double normalised_quality(const ReportLayout& layout, const AdapterResult& adapter);

// The names of the frontier's reference points (FrontierPoint::reference), "a, b": what the
// writers name beside the reference AIQ.
[[nodiscard]] std::string reference_names(const Frontier& frontier);

[[nodiscard]] Frontier make_frontier(const ReportLayout& layout, const Evaluation& evaluation,
                                     const FrontierInputs& inputs);

}  // namespace zooter::reports
