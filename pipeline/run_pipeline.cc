#include "pipeline/run_pipeline.h"

#include <fmt/chrono.h>
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <ctime>

#include "harness/bundle.h"
#include "harness/error.h"
#include "harness/evaluator.h"
#include "harness/run_context.h"
#include "harness/stats/bootstrap.h"
#include "harness/stats/latency.h"
#include "harness/stats/paired_tests.h"
#include "harness/stats/replicates.h"
#include "harness/stats/sample_table.h"
#include "harness/version.h"
#include "pipeline/adapter_runs.h"
#include "pipeline/decision_export.h"
#include "pipeline/paper_reference_rows.h"
#include "pipeline/seed_runs.h"
#include "pipeline/splits.h"
#include "pipeline/versus_references.h"
#include "reports/frontier_builder.h"
#include "reports/report_builder.h"

namespace zooter::pipeline {
namespace {

void check_pair(const Manifest& m, const RunSettings& settings) {
  if (settings.strong.empty() != settings.weak.empty()) {
    throw UsageError("--strong and --weak go together");
  }
  if (!settings.strong.empty() && settings.strong == settings.weak) {
    throw UsageError("--strong and --weak must name different candidates");
  }
  for (const std::string* name : {&settings.strong, &settings.weak}) {
    if (!name->empty() && !m.find_model(*name)) {
      throw UsageError("\"" + *name + "\" (--strong/--weak) is not a candidate of the bundle");
    }
  }
}

// The latency model's estimate for each run, with candidates generating (and responses scored)
// in parallel and in sequence.
std::vector<reports::AdapterLatency> model_latency(const Bundle& bundle, std::span<const std::uint32_t> evaluated,
                                                   std::span<const AdapterRun> runs) {
  std::vector<reports::AdapterLatency> out;
  for (const AdapterRun& run : runs) {
    stats::LatencyOptions options;
    options.router_seconds_per_call = run.router_flops_per_query / stats::kRouterCpuFlopsPerSecond;
    reports::AdapterLatency latency;
    latency.parallel = stats::summarize_latency(bundle, evaluated, run, options);
    options.generation = options.scoring = stats::Schedule::kSequential;
    latency.sequential = stats::summarize_latency(bundle, evaluated, run, options);
    out.push_back(latency);
  }
  return out;
}

// Bootstrap intervals and the paired tests of every run against best-single and against each
// --versus reference, from one resampling pass (so a seeded run's seeds are resampled in all).
struct Uncertainty {
  stats::Uncertainty intervals;
  std::vector<stats::Comparison> versus_best_single;
  std::vector<reports::VersusReference> versus;
};

Uncertainty resample(const Bundle& bundle, std::span<const std::uint32_t> evaluated, const AdapterRuns& adapter_runs,
                     std::span<const std::size_t> references, const RunSettings& settings, const RunContext& ctx) {
  const std::vector<AdapterRun>& runs = adapter_runs.runs;
  const std::size_t best_single = adapter_runs.best_single;
  static const std::vector<std::vector<AdapterRun>> kUnseeded;
  const stats::SampleTable table(bundle, evaluated, runs, ctx,
                                 adapter_runs.seeds > 0 ? adapter_runs.seed_runs : kUnseeded);
  const stats::Replicates replicates(table, settings.bootstrap, ctx.seed(), ctx);
  Uncertainty out{stats::bootstrap(replicates, settings.level, ctx), {}, {}};
  const stats::PairedOptions paired{settings.alpha, stats::TallyTest::kBootstrap};
  for (std::size_t a = 0; a < runs.size(); ++a) {
    out.versus_best_single.push_back(stats::compare(table, replicates, a, best_single, paired));
  }
  for (const std::size_t reference : references) {
    reports::VersusReference versus{reference, {}};
    for (std::size_t a = 0; a < runs.size(); ++a) {
      versus.comparisons.push_back(stats::compare(table, replicates, a, reference, paired));
    }
    out.versus.push_back(std::move(versus));
  }
  return out;
}

// --decisions: every run's decisions. A seeded adapter's row is a seed-mean, which no one set of
// decisions makes, so it gets one file per seed, each named by the spec that trains that seed
// alone (with_seed: seed=S, no seeds=), which is also what decisions@file= of it reproduces.
void export_decisions(const Bundle& bundle, std::span<const std::uint32_t> evaluated, const AdapterRuns& runs,
                      const std::string& dir, const RunContext& ctx) {
  std::vector<AdapterRun> written;
  std::vector<std::vector<double>> quality;
  std::vector<bool> references;
  for (std::size_t a = 0; a < runs.runs.size(); ++a) {
    const bool reference = runs.adapters[a]->reads_evaluated_gold();
    if (runs.seed_runs[a].empty()) {
      written.push_back(runs.runs[a]);
      quality.push_back(runs.adapters[a]->quality_estimates(evaluated, ctx));
      references.push_back(reference);
      continue;
    }
    for (std::size_t k = 0; k < runs.seed_runs[a].size(); ++k) {
      const adapters::Adapter& adapter = k == 0 ? *runs.adapters[a] : *runs.later_seed_adapters[a][k - 1];
      written.push_back(runs.seed_runs[a][k]);
      written.back().name = with_seed(runs.specs[a], runs.first_seed[a] + k).canonical();
      quality.push_back(adapter.quality_estimates(evaluated, ctx));
      references.push_back(reference);
    }
  }
  write_decisions(bundle, evaluated, written, quality, references, dir);
}

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

reports::Report run_evaluation(const Bundle& bundle, const RunSettings& settings,
                               const RunContext& ctx) {
  // Every option is checked before anything is trained.
  const Manifest& m = bundle.manifest;
  const RunSplits splits = choose_splits(bundle, settings.split, settings.train_split);
  check_pair(m, settings);
  const std::vector<double> lambdas = checked_lambdas(settings.sweep_lambdas);
  const std::vector<std::size_t> references =
      resolve_versus(settings.versus, planned_specs(settings.adapters, bundle));
  if (!references.empty() && settings.bootstrap == 0) {
    throw UsageError("--versus needs the bootstrap: the paired tests are computed from its replicates "
                     "(--bootstrap 0 turns them off)");
  }
  if (settings.bootstrap > 0) {
    stats::check_options(stats::BootstrapOptions{settings.bootstrap, settings.level, ctx.seed()});
    stats::check_options(stats::PairedOptions{settings.alpha, stats::TallyTest::kBootstrap});
  }
  const std::string& split_name = m.splits[splits.evaluated].name;
  const std::span<const std::uint32_t> evaluated = splits.evaluated_queries;
  const adapters::AdapterContext context{
      bundle,
      evaluated,
      splits.train_queries,
      split_name,
      splits.train ? m.splits[*splits.train].name : std::string(),
      splits.train && m.splits[*splits.train].gold_for_training,
      ctx};

  // Decisions, then everything computed from them.
  AdapterRuns runs = run_adapters(settings.adapters, context);
  if (!settings.decisions_dir.empty()) export_decisions(bundle, evaluated, runs, settings.decisions_dir, ctx);
  std::vector<std::pair<std::string, std::string>> timings = std::move(runs.timings);
  reports::FrontierInputs frontier_inputs{nullptr, {}, settings.strong, settings.weak, {}};
  for (std::size_t a = 0; a < runs.adapters.size(); ++a) {
    if (runs.adapters[a]->reads_evaluated_gold()) frontier_inputs.references.push_back(runs.runs[a].name);
  }
  std::optional<Evaluation> sweep_evaluation;
  if (!lambdas.empty()) {
    LambdaSweep sweep = sweep_lambdas(runs, lambdas, settings.strong, settings.weak, context);
    sweep_evaluation = evaluate(bundle, evaluated, sweep.runs, sweep.best_single, split_name, ctx);
    frontier_inputs.sweep_evaluation = &*sweep_evaluation;
    frontier_inputs.sweeps = std::move(sweep.plans);
  }
  std::vector<reports::SeedSpread> seed_spread;
  Evaluation evaluation;
  if (runs.seeds == 0) {
    evaluation = evaluate(bundle, evaluated, runs.runs, runs.best_single, split_name, ctx);
  } else {
    SeedMeanEvaluation seed_mean = evaluate_seed_mean(
        bundle, evaluated, {runs.runs, runs.seed_runs, runs.first_seed, runs.seeds}, runs.best_single, split_name, ctx);
    evaluation = std::move(seed_mean.evaluation);
    seed_spread = std::move(seed_mean.spread);
  }
  reports::ReportLayout layout = reports::make_layout(bundle, evaluation);
  std::vector<reports::AdapterLatency> latency = model_latency(bundle, evaluated, runs.runs);
  std::optional<reports::Drilldown> drilldown;
  if (settings.drilldown) drilldown = reports::make_drilldown(bundle, evaluation, evaluated, runs.runs);
  std::optional<Uncertainty> uncertainty;
  if (settings.bootstrap > 0) {
    const auto started = std::chrono::steady_clock::now();
    uncertainty = resample(bundle, evaluated, runs, references, settings, ctx);
    timings.emplace_back("bootstrap seconds", fmt::format("{:.3f}", seconds_since(started)));
  }
  reports::Frontier frontier = reports::make_frontier(layout, evaluation, frontier_inputs);
  std::optional<reports::Reference> reference = paper_reference_for(layout, evaluation);

  std::vector<std::string> notes = std::move(runs.notes);
  if (std::string note = reports::exclusions_note(m.provenance_json); !note.empty()) notes.push_back(std::move(note));
  if (settings.bootstrap > 0 && runs.seeds == 0) {
    notes.push_back(fmt::format(
        "intervals: {:g}% percentile bootstrap, {} replicates resampling queries within each "
        "subset (seed {}); they cover the choice of test queries, not the randomness of "
        "training a router",
        settings.level * 100, settings.bootstrap, ctx.seed()));
  } else if (settings.bootstrap > 0) {
    notes.push_back(fmt::format(
        "intervals: {:g}% percentile bootstrap, {} replicates resampling queries within each "
        "subset (seed {}) and, for adapters given seeds=, their {} training seeds with "
        "replacement; they cover the choice of test queries, and the randomness of training "
        "only for those adapters",
        settings.level * 100, settings.bootstrap, ctx.seed(), runs.seeds));
  }
  if (splits.train) {
    notes.push_back(fmt::format("train split \"{}\": {} queries{}", m.splits[*splits.train].name,
                                splits.train_queries.size(),
                                m.splits[*splits.train].gold_for_training
                                    ? ""
                                    : " (its gold scores are marked not for training)"));
  }
  const bool dollars_missing = std::any_of(evaluation.adapters.begin(), evaluation.adapters.end(),
                                           [](const AdapterResult& a) { return !a.cost.dollars; });
  if (dollars_missing) notes.push_back("dollars n/a: some responses have neither a cost nor model prices");
  notes.push_back("reward-model scoring has no dollar price in this bundle format; "
                  "ranker cost is counted in FLOPs only");

  // The report, built once from its computed parts.
  reports::Report report;
  static_cast<reports::ReportLayout&>(report) = std::move(layout);
  report.evaluation = std::move(evaluation);
  report.notes = std::move(notes);
  report.reference = std::move(reference);
  if (uncertainty) {
    report.uncertainty = std::move(uncertainty->intervals);
    report.versus_best_single = std::move(uncertainty->versus_best_single);
    report.versus = std::move(uncertainty->versus);
  }
  report.alpha = settings.alpha;
  report.frontier = std::move(frontier);
  report.latency = std::move(latency);
  report.drilldown = std::move(drilldown);
  report.seed_spread = std::move(seed_spread);
  report.provenance.bundle = m.provenance_json;
  report.provenance.measurements = std::move(timings);
  return report;
}

void stamp_provenance(reports::Report& report, const std::string& bundle_path, const Bundle& bundle,
                      const RunContext& ctx,
                      std::vector<std::pair<std::string, std::string>> configuration) {
  reports::Provenance& p = report.provenance;
  p.tool_version = tool_version();
  p.git_commit = git_commit();
  p.bundle_path = bundle_path;
  p.bundle_hash = bundle.content_hash;
  p.threads = ctx.threads();
  p.seed = ctx.seed();
  p.configuration = std::move(configuration);
  const std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm utc{};
  gmtime_r(&now, &utc);
  p.date = fmt::format("{:%Y-%m-%dT%H:%M:%SZ}", utc);
}

}  // namespace zooter::pipeline
