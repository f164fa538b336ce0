#include "pipeline/adapter_runs.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cmath>

#include "harness/bundle.h"
#include "harness/error.h"
#include "harness/run_context.h"
#include "pipeline/seed_runs.h"

namespace zooter::pipeline {
namespace {

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

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

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

std::vector<adapters::AdapterSpec> planned_specs(std::vector<std::string> specs, const Bundle& bundle) {
  if (specs.empty()) specs = adapters::default_adapter_specs(bundle);
  std::vector<adapters::AdapterSpec> out;
  for (const std::string& text : specs) out.push_back(adapters::AdapterSpec::parse(text));
  const bool has_best = std::any_of(out.begin(), out.end(),
                                    [](const adapters::AdapterSpec& s) { return s.name == "best-single"; });
  if (!has_best) out.push_back(adapters::AdapterSpec::parse("best-single"));
  return out;
}

AdapterRuns run_adapters(std::vector<std::string> specs, const adapters::AdapterContext& context) {
  AdapterRuns out;
  const std::size_t given = specs.empty() ? adapters::default_adapter_specs(context.bundle).size() : specs.size();
  out.specs = planned_specs(std::move(specs), context.bundle);
  if (out.specs.size() > given) {
    out.notes.push_back("best-single was added: it is the reference for win rates and cost ratios");
  }
  const std::span<const std::uint32_t> evaluated = context.evaluated;
  // Builds one adapter and lets it decide; `name` names its row (a seeded adapter's seeds share one).
  auto build_and_decide = [&](const adapters::AdapterSpec& spec, const std::string& row_name) {
    const auto built_at = std::chrono::steady_clock::now();
    std::unique_ptr<adapters::Adapter> adapter = adapters::make_adapter(spec, context);
    const double build_seconds = seconds_since(built_at);
    const std::string name = adapter->name();
    const auto decided_at = std::chrono::steady_clock::now();
    std::vector<Decision> decisions = adapter->decide(evaluated, context.run);
    const double decide_seconds = seconds_since(decided_at);
    AdapterRun run{row_name, adapter->kind(), adapter->notes(), adapter->router_parameters(),
                   adapter->router_flops_per_query(), std::move(decisions)};
    out.timings.emplace_back(name + ": build seconds", fmt::format("{:.6f}", build_seconds));
    out.timings.emplace_back(name + ": decide seconds per query",
                             fmt::format("{:.3e}", decide_seconds / static_cast<double>(evaluated.size())));
    for (auto& [what, value] : adapter->measurements()) out.timings.emplace_back(name + ": " + what, value);
    return std::pair{std::move(adapter), std::move(run)};
  };
  auto check_unique = [&](const std::string& name) {
    for (const AdapterRun& earlier : out.runs) {
      if (earlier.name == name) throw UsageError("adapter \"" + name + "\" is given twice");
    }
  };
  // seeds= is checked for every adapter before any is trained.
  std::vector<std::size_t> seed_counts;
  std::string seeded_first;  // the first seeded adapter's name, for the seeds= agreement error
  for (const adapters::AdapterSpec& spec : out.specs) {
    const std::size_t seeds = seed_count(spec);
    seed_counts.push_back(seeds);
    if (seeds == 0) continue;
    if (out.seeds != 0 && out.seeds != seeds) {
      throw UsageError(fmt::format("adapter \"{}\": every seeded adapter of a run must give the same "
                                   "seeds= (\"{}\" gives {})", spec.canonical(), seeded_first, out.seeds));
    }
    if (out.seeds == 0) seeded_first = spec.canonical();
    out.seeds = seeds;
  }
  for (std::size_t i = 0; i < out.specs.size(); ++i) {
    const adapters::AdapterSpec& spec = out.specs[i];
    if (spec.name == "best-single") out.best_single = out.runs.size();
    const std::size_t seeds = seed_counts[i];
    if (seeds == 0) {
      auto [adapter, run] = build_and_decide(spec, "");
      run.name = adapter->name();
      check_unique(run.name);
      out.runs.push_back(std::move(run));
      out.adapters.push_back(std::move(adapter));
      out.seed_runs.emplace_back();
      out.first_seed.push_back(0);
      out.later_seed_adapters.emplace_back();
      continue;
    }
    const std::string name = spec.canonical();
    check_unique(name);
    const std::uint64_t first = adapters::integer_argument(spec, "seed", context.run.seed(), 0, ~std::uint64_t{0});
    std::vector<AdapterRun> per_seed;
    std::unique_ptr<adapters::Adapter> first_adapter;
    std::vector<std::unique_ptr<adapters::Adapter>> later_adapters;
    for (std::size_t k = 0; k < seeds; ++k) {
      auto [adapter, run] = build_and_decide(with_seed(spec, first + k), name);
      per_seed.push_back(std::move(run));
      if (k == 0) {
        first_adapter = std::move(adapter);
      } else {
        later_adapters.push_back(std::move(adapter));
      }
    }
    out.runs.push_back(per_seed.front());
    out.runs.back().notes.push_back(fmt::format(
        "{}: its row, intervals and paired tests cover all {} seeds; its drill-down, latency and "
        "lambda sweep are those of seed {}; --decisions writes one file per seed, named by that "
        "seed's spec (seed=S without seeds=)",
        name, seeds, first));
    out.adapters.push_back(std::move(first_adapter));
    out.later_seed_adapters.push_back(std::move(later_adapters));
    out.seed_runs.push_back(std::move(per_seed));
    out.first_seed.push_back(first);
  }
  return out;
}

LambdaSweep sweep_lambdas(const AdapterRuns& runs, std::span<const double> lambdas, const std::string& strong,
                          const std::string& weak, const adapters::AdapterContext& context) {
  LambdaSweep out;
  for (std::size_t a = 0; a < runs.adapters.size(); ++a) {
    const adapters::Adapter& adapter = *runs.adapters[a];
    if (!adapter.cost_aware()) continue;
    reports::SweepPlan plan{without_lambda(runs.specs[a]), {lambdas.begin(), lambdas.end()}, {}};
    for (const double lambda : lambdas) {
      plan.runs.push_back(out.runs.size());
      out.runs.push_back({with_lambda(runs.specs[a], lambda), runs.runs[a].kind, {},
                          runs.runs[a].router_parameters, runs.runs[a].router_flops_per_query,
                          adapter.decide_at_lambda(context.evaluated, lambda, context.run)});
    }
    out.plans.push_back(std::move(plan));
  }
  if (out.plans.empty()) {
    throw UsageError("--sweep-lambda: no adapter of the run is cost-aware (zooter is)");
  }
  out.best_single = out.runs.size();
  out.runs.push_back(runs.runs[runs.best_single]);
  if (!strong.empty()) {
    const Manifest& m = context.bundle.manifest;
    for (const std::string& name : {strong, weak}) {
      const int model = static_cast<int>(*m.find_model(name));
      out.runs.push_back({"single@" + name, "candidate", {}, 0.0, 0.0,
                          std::vector<Decision>(context.evaluated.size(), Decision::single(model))});
    }
  }
  return out;
}

}  // namespace zooter::pipeline
