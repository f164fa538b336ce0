#include "pipeline/run_pipeline.h"

#include <fmt/chrono.h>
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <ctime>
#include <filesystem>
#include <fstream>

#include "adapters/adapter.h"
#include "harness/bundle.h"
#include "pipeline/paper_reference_rows.h"
#include "harness/error.h"
#include "harness/version.h"
#include "harness/evaluator.h"
#include "harness/run_context.h"
#include "harness/stats/bootstrap.h"
#include "harness/stats/latency.h"
#include "harness/stats/paired_tests.h"
#include "harness/stats/replicates.h"
#include "harness/stats/sample_table.h"
#include "reports/frontier_builder.h"
#include "reports/report_builder.h"
#include "reports/writer.h"

namespace zooter::pipeline {
namespace {

struct Splits {
  std::size_t evaluated = 0;
  std::optional<std::size_t> train;
};

Splits choose_splits(const Manifest& m, const RunSettings& settings) {
  Splits out;
  auto find = [&](const std::string& name, const char* flag) {
    if (auto s = m.find_split(name)) return *s;
    std::string known;
    for (const Split& s : m.splits) known += (known.empty() ? "" : ", ") + s.name;
    throw UsageError(fmt::format("{} \"{}\": the bundle has no such split (it has: {})", flag,
                                 name, known));
  };
  if (!settings.split.empty()) {
    out.evaluated = find(settings.split, "--split");
  } else if (auto test = m.find_split("test")) {
    out.evaluated = *test;
  } else if (m.splits.size() == 1) {
    out.evaluated = 0;
  } else {
    throw UsageError("the bundle has several splits and none is called \"test\": choose one with --split");
  }
  if (!settings.train_split.empty()) {
    out.train = find(settings.train_split, "--train-split");
    if (*out.train == out.evaluated) throw UsageError("--train-split must differ from the evaluated split");
  } else if (auto train = m.find_split("train"); train && *train != out.evaluated) {
    out.train = train;
  }
  return out;
}

std::vector<std::uint32_t> queries_of(const Bundle& b, std::size_t split) {
  std::vector<std::uint32_t> out;
  for (std::size_t q = 0; q < b.query_count(); ++q) {
    if (b.queries.split[q] == split) out.push_back(static_cast<std::uint32_t>(q));
  }
  return out;
}

// "name@args" with lambda=X appended (replacing any lambda already given).
std::string with_lambda(adapters::AdapterSpec spec, double lambda) {
  std::erase_if(spec.arguments, [](const auto& kv) { return kv.first == "lambda"; });
  spec.arguments.emplace_back("lambda", fmt::format("{:g}", lambda));
  return spec.canonical();
}

std::string without_lambda(adapters::AdapterSpec spec) {
  std::erase_if(spec.arguments, [](const auto& kv) { return kv.first == "lambda"; });
  return spec.canonical();
}

std::vector<double> checked_lambdas(std::vector<double> lambdas) {
  for (const double l : lambdas) {
    if (!std::isfinite(l) || l < 0.0) {
      throw UsageError(fmt::format("--sweep-lambda: every lambda must be finite and >= 0, got {}", l));
    }
  }
  std::sort(lambdas.begin(), lambdas.end());
  lambdas.erase(std::unique(lambdas.begin(), lambdas.end()), lambdas.end());
  return lambdas;
}

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

reports::Report run_evaluation(const Bundle& bundle, const RunSettings& settings,
                               const RunContext& ctx) {
  const Manifest& m = bundle.manifest;
  const Splits splits = choose_splits(m, settings);
  const std::vector<std::uint32_t> evaluated = queries_of(bundle, splits.evaluated);
  if (evaluated.empty()) {
    throw InputError("split \"" + m.splits[splits.evaluated].name + "\" has no queries to evaluate");
  }
  const std::vector<std::uint32_t> train =
      splits.train ? queries_of(bundle, *splits.train) : std::vector<std::uint32_t>{};
  const adapters::AdapterContext context{
      bundle,
      evaluated,
      train,
      m.splits[splits.evaluated].name,
      splits.train ? m.splits[*splits.train].name : std::string(),
      splits.train && m.splits[*splits.train].gold_for_training,
      ctx};

  std::vector<std::string> specs =
      settings.adapters.empty() ? adapters::default_adapter_specs(bundle) : settings.adapters;
  std::vector<std::string> run_notes;
  std::vector<adapters::AdapterSpec> parsed;
  for (const std::string& text : specs) parsed.push_back(adapters::AdapterSpec::parse(text));
  const bool has_best = std::any_of(parsed.begin(), parsed.end(),
                                    [](const adapters::AdapterSpec& s) { return s.name == "best-single"; });
  if (!has_best) {
    parsed.push_back(adapters::AdapterSpec::parse("best-single"));
    run_notes.push_back("best-single was added: it is the reference for win rates and cost ratios");
  }

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
  const std::vector<double> lambdas = checked_lambdas(settings.sweep_lambdas);

  std::vector<AdapterRun> runs;
  std::vector<std::unique_ptr<adapters::Adapter>> built;  // kept for the lambda sweep
  std::vector<std::pair<std::string, std::string>> timings;
  std::optional<std::size_t> best_single;
  for (const adapters::AdapterSpec& spec : parsed) {
    const auto built_at = std::chrono::steady_clock::now();
    std::unique_ptr<adapters::Adapter> adapter = adapters::make_adapter(spec, context);
    const double build_seconds = seconds_since(built_at);
    const std::string name = adapter->name();
    for (const AdapterRun& earlier : runs) {
      if (earlier.name == name) throw UsageError("adapter \"" + name + "\" is given twice");
    }
    const auto decided_at = std::chrono::steady_clock::now();
    std::vector<Decision> decisions = adapter->decide(evaluated, ctx);
    const double decide_seconds = seconds_since(decided_at);
    if (spec.name == "best-single") best_single = runs.size();
    runs.push_back({name, adapter->kind(), adapter->notes(), adapter->router_parameters(),
                    adapter->router_flops_per_query(), std::move(decisions)});
    timings.emplace_back(name + ": build seconds", fmt::format("{:.6f}", build_seconds));
    timings.emplace_back(name + ": decide seconds per query",
                         fmt::format("{:.3e}", decide_seconds / static_cast<double>(evaluated.size())));
    built.push_back(std::move(adapter));
  }

  // The sweep: cost-aware adapters re-decide at every lambda (no retraining), evaluated
  // together with best-single (the evaluator's reference) and the PGR anchors.
  reports::FrontierInputs frontier{nullptr, {}, settings.strong, settings.weak};
  std::optional<Evaluation> sweep_evaluation;
  if (!lambdas.empty()) {
    std::vector<AdapterRun> sweep_runs;
    for (std::size_t a = 0; a < built.size(); ++a) {
      if (!built[a]->cost_aware()) continue;
      reports::SweepPlan plan{without_lambda(parsed[a]), lambdas, {}};
      for (const double lambda : lambdas) {
        plan.runs.push_back(sweep_runs.size());
        sweep_runs.push_back({with_lambda(parsed[a], lambda), runs[a].kind, {}, runs[a].router_parameters,
                              runs[a].router_flops_per_query,
                              built[a]->decide_at_lambda(evaluated, lambda, ctx)});
      }
      frontier.sweeps.push_back(std::move(plan));
    }
    if (frontier.sweeps.empty()) {
      throw UsageError("--sweep-lambda: no adapter of the run is cost-aware (zooter is)");
    }
    const std::size_t sweep_best = sweep_runs.size();
    sweep_runs.push_back(runs[*best_single]);
    if (!settings.strong.empty()) {
      for (const std::string& name : {settings.strong, settings.weak}) {
        const int model = static_cast<int>(*m.find_model(name));
        sweep_runs.push_back({"single@" + name, "candidate", {}, 0.0, 0.0,
                              std::vector<Decision>(evaluated.size(), Decision::single(model))});
      }
    }
    sweep_evaluation = evaluate(bundle, evaluated, sweep_runs, sweep_best,
                                m.splits[splits.evaluated].name, ctx);
    frontier.sweep_evaluation = &*sweep_evaluation;
  }

  Evaluation evaluation = evaluate(bundle, evaluated, runs, best_single,
                                   m.splits[splits.evaluated].name, ctx);
  reports::Report report = reports::make_report(bundle, std::move(evaluation));
  report.notes = std::move(run_notes);
  for (const AdapterRun& run : runs) {
    stats::LatencyOptions options;
    options.router_seconds_per_call = run.router_flops_per_query / stats::kRouterCpuFlopsPerSecond;
    reports::AdapterLatency latency;
    latency.parallel = stats::summarize_latency(bundle, evaluated, run, options);
    options.generation = options.scoring = stats::Schedule::kSequential;
    latency.sequential = stats::summarize_latency(bundle, evaluated, run, options);
    report.latency.push_back(latency);
  }
  if (settings.drilldown) report.drilldown = reports::make_drilldown(bundle, report, evaluated, runs);
  report.alpha = settings.alpha;
  if (settings.bootstrap > 0) {
    const auto started = std::chrono::steady_clock::now();
    stats::check_options(stats::BootstrapOptions{settings.bootstrap, settings.level, ctx.seed()});
    stats::check_options(stats::PairedOptions{settings.alpha, stats::TallyTest::kBootstrap});
    // One resampling pass serves the intervals and the paired tests.
    const stats::SampleTable table(bundle, evaluated, runs, ctx);
    const stats::Replicates replicates(table, settings.bootstrap, ctx.seed(), ctx);
    report.uncertainty = stats::bootstrap(replicates, settings.level, ctx);
    for (std::size_t a = 0; a < runs.size(); ++a) {
      report.versus_best_single.push_back(
          stats::compare(table, replicates, a, *best_single,
                         {settings.alpha, stats::TallyTest::kBootstrap}));
    }
    report.notes.push_back(fmt::format(
        "intervals: {:g}% percentile bootstrap, {} replicates resampling queries within each "
        "subset (seed {}); they cover the choice of test queries, not the randomness of "
        "training a router",
        settings.level * 100, settings.bootstrap, ctx.seed()));
    timings.emplace_back("bootstrap seconds", fmt::format("{:.3f}", seconds_since(started)));
  }
  if (splits.train) {
    report.notes.push_back(fmt::format("train split \"{}\": {} queries{}", m.splits[*splits.train].name,
                                       train.size(),
                                       m.splits[*splits.train].gold_for_training
                                           ? ""
                                           : " (its gold scores are marked not for training)"));
  }
  bool dollars_missing = false;
  for (const AdapterResult& a : report.evaluation.adapters) dollars_missing |= !a.cost.dollars;
  if (dollars_missing) {
    report.notes.push_back("dollars n/a: some responses have neither a cost nor model prices");
  }
  report.notes.push_back("reward-model scoring has no dollar price in this bundle format; "
                         "ranker cost is counted in FLOPs only");
  report.frontier = reports::make_frontier(report, frontier);
  report.reference = paper_reference_for(report);
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

void write_report_files(const reports::Report& report, const std::string& dir,
                        const std::vector<std::string>& formats) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) throw InputError(dir, 0, "cannot create output directory: " + ec.message());
  for (const std::string& format : formats) {
    const auto writer = reports::make_writer(format);
    const std::string path = (std::filesystem::path(dir) / writer->file_name()).string();
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    if (!out) throw InputError(path, 0, "cannot open for writing");
    writer->write(report, out);
    if (!out.flush()) throw InputError(path, 0, "write failed");
  }
}

}  // namespace zooter::pipeline
