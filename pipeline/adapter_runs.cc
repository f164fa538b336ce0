#include "pipeline/adapter_runs.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cmath>

#include "harness/bundle.h"
#include "harness/error.h"
#include "harness/run_context.h"

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

AdapterRuns run_adapters(std::vector<std::string> specs, const adapters::AdapterContext& context) {
  AdapterRuns out;
  if (specs.empty()) specs = adapters::default_adapter_specs(context.bundle);
  for (const std::string& text : specs) out.specs.push_back(adapters::AdapterSpec::parse(text));
  const bool has_best = std::any_of(out.specs.begin(), out.specs.end(),
                                    [](const adapters::AdapterSpec& s) { return s.name == "best-single"; });
  if (!has_best) {
    out.specs.push_back(adapters::AdapterSpec::parse("best-single"));
    out.notes.push_back("best-single was added: it is the reference for win rates and cost ratios");
  }
  const std::span<const std::uint32_t> evaluated = context.evaluated;
  for (const adapters::AdapterSpec& spec : out.specs) {
    const auto built_at = std::chrono::steady_clock::now();
    std::unique_ptr<adapters::Adapter> adapter = adapters::make_adapter(spec, context);
    const double build_seconds = seconds_since(built_at);
    const std::string name = adapter->name();
    for (const AdapterRun& earlier : out.runs) {
      if (earlier.name == name) throw UsageError("adapter \"" + name + "\" is given twice");
    }
    const auto decided_at = std::chrono::steady_clock::now();
    std::vector<Decision> decisions = adapter->decide(evaluated, context.run);
    const double decide_seconds = seconds_since(decided_at);
    if (spec.name == "best-single") out.best_single = out.runs.size();
    out.runs.push_back({name, adapter->kind(), adapter->notes(), adapter->router_parameters(),
                        adapter->router_flops_per_query(), std::move(decisions)});
    out.timings.emplace_back(name + ": build seconds", fmt::format("{:.6f}", build_seconds));
    out.timings.emplace_back(name + ": decide seconds per query",
                             fmt::format("{:.3e}", decide_seconds / static_cast<double>(evaluated.size())));
    for (auto& [what, value] : adapter->measurements()) out.timings.emplace_back(name + ": " + what, value);
    out.adapters.push_back(std::move(adapter));
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
