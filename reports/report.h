// What a report says: the evaluation results plus what a reader needs to interpret them
// (suite, subsets, groups, notes, the paper's reference numbers) and, kept apart, provenance.
//
// Plain data. Everything except `provenance` is a deterministic function of the bundle and
// the configuration; golden tests compare it byte for byte.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "harness/evaluation.h"
#include "harness/stats/bootstrap.h"
#include "harness/stats/frontier.h"
#include "harness/stats/latency.h"
#include "harness/stats/paired_tests.h"

namespace zooter::reports {

struct ReportSubset {
  std::string id;
  std::string name;
  std::string metric;
  double min = 0.0;
  double max = 1.0;
  bool higher_is_better = true;
  std::size_t queries = 0;
};

struct ReportGroup {
  std::string name;
  bool percent = false;                 // averages shown x100, as the paper's Benchmarks column
  std::vector<std::size_t> subsets;     // positions in Report::subsets
};

// Published numbers for one row of a paper table; nullopt where the paper's value is not
// known to this project (shown as "n/a", never guessed).
struct ReferenceRow {
  std::string adapter;                                // e.g. "single@wizardlm", "zooter"
  std::vector<std::optional<double>> group_average;   // per Report::groups, in display units
  std::vector<std::optional<double>> group_mtr;       // per Report::groups
  std::optional<double> mtr;
  std::optional<double> uplift;
};

// How far a replayed cell may lie from the published one and still count as reproduced.
struct ReferenceTolerance {
  std::vector<double> group_average;  // per Report::groups, display units
  double group_mtr = 0.0;
  double mtr = 0.0;
  double uplift = 0.0;
};

struct Reference {
  std::string source;  // e.g. "Lu et al. 2023, Table 1"
  std::vector<ReferenceRow> rows;      // Table 1, one per adapter of the report that it has
  std::vector<ReferenceRow> ablation;  // Table 2 (MTR only), one per router variant it has
  std::optional<ReferenceTolerance> tolerance;  // none: cells are shown, not counted
  // The adapter of the candidate the source calls its best model on average (the paper's BMA),
  // which its routers are compared with (bma_comparison.h); "" when it names none.
  std::string best_model_on_average;
};

// Per-query detail for the HTML drill-down (not written to CSV or JSON, which stay small):
// for a bounded sample of the evaluated queries (drilldown_sample.h; all of them in a small
// run), which candidate each adapter's answer came from and what it scored.
struct QueryDetail {
  std::string id;
  std::size_t subset = 0;            // position in Report::subsets
  std::string text;                  // truncated to Drilldown::max_text_chars
  std::vector<double> gold;          // per candidate (Report::models)
  std::vector<std::vector<double>> rewards;  // [reward model][candidate]
  std::vector<std::int16_t> answer;  // per adapter (evaluation order); -1 = uniform expectation
};

struct Drilldown {
  std::size_t max_text_chars = 600;
  std::vector<std::string> reward_models;
  std::vector<QueryDetail> queries;  // the sample of evaluated queries, bundle order
  std::size_t evaluated_queries = 0; // all of them; more than queries.size() when sampled
  std::size_t most_disagreeing = 0;  // queries picked as the ones the adapters disagree on most
  std::size_t per_subset = 0;        // then up to this many per subset, evenly spaced
};

// One adapter (or one setting of a swept adapter) as a cost-quality point.
struct FrontierPoint {
  std::string adapter;   // spec, e.g. "zooter@beta=0.3,lambda=0.2"
  double cost = 0.0;     // per query, in Frontier::cost_unit
  double quality = 0.0;  // mean normalised subset score, 0..1, higher is better
  double strong_share = 0.0;  // share of answers from Frontier::strong (when a pair is set)
  bool pareto = false;   // on the Pareto front of Frontier::points
  bool reference = false;  // reads the evaluated gold (the oracle): off the hull and its AIQ
};

// A cost-aware adapter traced over its lambda knob (zooter@lambda=X and the sweep option).
struct Sweep {
  std::string adapter;               // the swept adapter's spec without lambda
  std::vector<double> lambdas;       // ascending
  std::vector<FrontierPoint> points; // one per lambda
  double aiq = 0.0;                  // RouterBench AIQ of the sweep's hull over its cost range
  // RouteLLM metrics when a strong/weak pair is set (empty otherwise, or when undefined).
  std::optional<double> apgr;
  std::optional<double> cpt20, cpt50, cpt80;
};

struct Frontier {
  std::string cost_unit;   // "dollars" or "TFLOPs"
  std::vector<FrontierPoint> points;   // every adapter of the run, evaluation order
  // Non-decreasing convex hull of the deployable points (every point but the references) and
  // its AIQ: the headline. With the references (the oracle, whose segment would make up most of
  // the area) the AIQ is kept apart as a reference line; empty when the run has none.
  std::vector<stats::CostQuality> hull;
  double aiq = 0.0;
  std::optional<double> aiq_with_references;
  std::string strong, weak;            // the pair for PGR metrics; empty when not set
  std::vector<Sweep> sweeps;
};

// The latency model's estimate for one adapter (docs/cost-model.md, "Latency model"), with
// candidates generating (and responses scored) in parallel and in sequence.
struct AdapterLatency {
  stats::LatencySummary parallel;
  stats::LatencySummary sequential;
};

struct Provenance {
  std::string tool_version;
  std::string git_commit;
  std::string bundle_path;
  std::string bundle_hash;
  std::string date;  // UTC, ISO 8601
  int threads = 1;
  std::uint64_t seed = 0;
  std::vector<std::pair<std::string, std::string>> configuration;  // resolved options
  std::vector<std::pair<std::string, std::string>> measurements;   // timings: not deterministic
  // The bundle manifest's own "provenance" object (where the data came from, what an importer
  // left out and why), as compact JSON; "" when the manifest has none.
  std::string bundle;
};

// What was evaluated, in the bundle's own names: everything a report says besides its results.
struct ReportLayout {
  std::string suite;
  std::string description;
  bool simulated = false;
  std::vector<std::string> models;   // candidate names, manifest order
  std::vector<ReportSubset> subsets; // evaluated subsets, manifest order
  std::vector<ReportGroup> groups;
};

// How much an adapter trained on several seeds (seeds=N, pipeline/seed_runs.h) moves from
// seed to seed: each seed's mean normalised subset score (the frontier's quality) and their
// summary; sd has divisor N - 1 (0 for one seed).
struct SeedSpread {
  std::uint64_t first_seed = 0;
  std::vector<double> quality;  // per seed, seed order; empty: the adapter is not seeded
  double mean = 0.0;
  double sd = 0.0;
  double min = 0.0;
  double max = 0.0;
};

// The paired tests of every adapter against one reference adapter chosen for the run
// (`zooter run --versus`), besides those against best-single.
struct VersusReference {
  std::size_t adapter = 0;                     // the reference's position in the evaluation
  std::vector<stats::Comparison> comparisons;  // [adapter], comparisons[a].a == a, .b == adapter
};

struct Report : ReportLayout {
  Evaluation evaluation;
  std::vector<std::string> notes;    // run-level notes (protocols, exclusions, n/a reasons)
  std::optional<Reference> reference;
  // Bootstrap intervals (adapters in evaluation order) and paired tests of every adapter
  // against best-single (versus_best_single[a].a == a); absent with --bootstrap 0.
  std::optional<stats::Uncertainty> uncertainty;
  std::vector<stats::Comparison> versus_best_single;
  std::vector<VersusReference> versus;  // --versus, in the order given; absent with --bootstrap 0
  double alpha = 0.05;
  std::optional<Frontier> frontier;
  std::vector<AdapterLatency> latency;  // per adapter, evaluation order; empty = not modelled
  std::optional<Drilldown> drilldown;  // filled only when an HTML report is written
  std::vector<SeedSpread> seed_spread;  // per adapter, evaluation order; empty = none seeded
  Provenance provenance;
};

// The paper's Table 1 (or, with `ablation`, Table 2) row for an adapter, or nullptr.
[[nodiscard]] inline const ReferenceRow* find_reference(const Report& report, const std::string& adapter,
                                                        bool ablation = false) {
  if (!report.reference) return nullptr;
  for (const ReferenceRow& row : ablation ? report.reference->ablation : report.reference->rows) {
    if (row.adapter == adapter) return &row;
  }
  return nullptr;
}

// A paper cell of `row` at `position`, or nullopt (no row, or the cell is not known).
[[nodiscard]] inline std::optional<double> reference_cell(const ReferenceRow* row,
                                                          const std::vector<std::optional<double>> ReferenceRow::*cells,
                                                          std::size_t position) {
  if (row == nullptr || position >= (row->*cells).size()) return std::nullopt;
  return (row->*cells)[position];
}

// Decimals people see for a group average: one for percent groups, two otherwise.
[[nodiscard]] inline int average_decimals(const ReportGroup& g) { return g.percent ? 1 : 2; }

// A group average in display units (x100 for percent groups).
[[nodiscard]] inline double display_average(const ReportGroup& g, double value) {
  return g.percent ? value * 100.0 : value;
}

}  // namespace zooter::reports
