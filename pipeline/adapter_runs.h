// Builds every adapter of a run and lets each decide on the evaluated queries; re-decides the
// cost-aware ones over a lambda sweep. Timings are kept apart: they are provenance, not results.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "adapters/adapter.h"
#include "harness/evaluator.h"
#include "reports/frontier_builder.h"

namespace zooter::pipeline {

struct AdapterRuns {
  std::vector<adapters::AdapterSpec> specs;                 // as parsed, evaluation order
  std::vector<std::unique_ptr<adapters::Adapter>> adapters; // built, kept for the sweep
  std::vector<AdapterRun> runs;                             // decisions, evaluation order
  std::size_t best_single = 0;                              // position in `runs`
  std::vector<std::string> notes;                           // run-level notes
  std::vector<std::pair<std::string, std::string>> timings; // "NAME: build seconds", ...
  // Adapters given seeds=N (seed_runs.h): per run, every seed's run in seed order (empty when
  // not seeded) and the first seed. The run itself and its adapter (for the sweep) are those of
  // the first seed; the report's row is the seed-mean.
  std::vector<std::vector<AdapterRun>> seed_runs;
  std::vector<std::uint64_t> first_seed;
  // Per run: the adapters of its seeds after the first, seed order (empty when not seeded), for
  // the quality estimates of every seed's decisions file (--decisions).
  std::vector<std::vector<std::unique_ptr<adapters::Adapter>>> later_seed_adapters;
  std::size_t seeds = 0;  // the N every seeded adapter of the run gives; 0 when none does
};

// The adapters a run builds, evaluation order: `specs` (empty: the bundle's default set), then
// best-single when it is missing. Throws UsageError on a malformed spec.
[[nodiscard]] std::vector<adapters::AdapterSpec> planned_specs(std::vector<std::string> specs,
                                                               const Bundle& bundle);

// Builds the adapters `specs` name (empty: the bundle's default set), adding best-single when
// it is missing (it is the reference for win rates and cost ratios). An adapter given seeds=N
// is built and decides N times, once per seed. Throws UsageError when an adapter is given
// twice, or when two adapters give different seeds=.
[[nodiscard]] AdapterRuns run_adapters(std::vector<std::string> specs,
                                       const adapters::AdapterContext& context);

struct LambdaSweep {
  std::vector<AdapterRun> runs;             // every swept setting, then best-single and anchors
  std::size_t best_single = 0;              // position in `runs`
  std::vector<reports::SweepPlan> plans;    // one per cost-aware adapter
};

// `lambdas` sorted and deduplicated; throws UsageError unless each is finite and >= 0.
[[nodiscard]] std::vector<double> checked_lambdas(std::vector<double> lambdas);

// Re-decides every cost-aware adapter at each of `lambdas` (checked_lambdas) without retraining, and adds best-single and, when `strong` and `weak`
// are set, their single-model runs (the PGR anchors). Throws UsageError when no adapter of the
// run is cost-aware.
[[nodiscard]] LambdaSweep sweep_lambdas(const AdapterRuns& runs, std::span<const double> lambdas,
                                        const std::string& strong, const std::string& weak,
                                        const adapters::AdapterContext& context);

}  // namespace zooter::pipeline
