// Bootstrap speed on a random bundle shaped like the paper simulation: 26 subsets, 18,800
// evaluated queries, 6 candidates, 5 reward models and 14 adapters (6 singles, best-single,
// random, oracle, rmr@ each reward model). Target (issue 6): 1,000 replicates with every
// adapter in under 2 s on 2 cores. Run: build/stats_bench
#include <benchmark/benchmark.h>
#include <fmt/format.h>

#include "adapters/adapter.h"
#include "harness/bundle.h"
#include "harness/evaluator.h"
#include "harness/run_context.h"
#include "harness/stats/bootstrap.h"
#include "harness/stats/paired_tests.h"
#include "suites/random_suite.h"

namespace {

using namespace zooter;

struct PaperShape {
  Bundle bundle;
  std::vector<std::uint32_t> queries;
  std::vector<AdapterRun> runs;
  std::size_t best_single = 0;
};

const PaperShape& paper_shape() {
  static const PaperShape shape = [] {
    const RunContext ctx(0);
    suites::RandomSuiteOptions options;
    options.queries = 18800;
    options.models = 6;
    options.reward_models = 5;
    options.subsets = 26;
    options.train_fraction = 0.0;  // every query is evaluated
    PaperShape s{suites::make_random_bundle(options, ctx), {}, {}, 0};
    for (std::size_t q = 0; q < s.bundle.query_count(); ++q)
      s.queries.push_back(static_cast<std::uint32_t>(q));
    // The adapters a default `zooter run` builds, as pipeline/run_pipeline.cc does.
    const adapters::AdapterContext context{s.bundle, s.queries, {}, "test", "", false, ctx};
    std::vector<std::string> specs;
    for (const Model& m : s.bundle.manifest.models) specs.push_back("single@" + m.name);
    specs.insert(specs.end(), {"best-single", "random", "oracle"});
    for (const RewardModel& rm : s.bundle.manifest.reward_models) specs.push_back("rmr@" + rm.name);
    for (const std::string& text : specs) {
      const auto adapter = adapters::make_adapter(adapters::AdapterSpec::parse(text), context);
      if (text == "best-single") s.best_single = s.runs.size();
      s.runs.push_back({adapter->name(), adapter->kind(), adapter->notes(),
                        adapter->router_parameters(), adapter->router_flops_per_query(),
                        adapter->decide(s.queries, ctx)});
    }
    return s;
  }();
  return shape;
}

void BM_Bootstrap1000(benchmark::State& state) {
  const PaperShape& s = paper_shape();
  const RunContext ctx(static_cast<int>(state.range(0)));
  const stats::BootstrapOptions options{1000, 0.95, 1};
  for (auto _ : state) {
    const stats::Uncertainty u = stats::bootstrap(s.bundle, s.queries, s.runs, options, ctx);
    benchmark::DoNotOptimize(u.adapters.data());
  }
  state.counters["adapters"] = static_cast<double>(s.runs.size());
  state.counters["test_queries"] = static_cast<double>(s.queries.size());
}
BENCHMARK(BM_Bootstrap1000)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime();

// Every adapter against best-single (13 comparisons) from 1,000 replicates.
void BM_CompareAllWithBestSingle1000(benchmark::State& state) {
  const PaperShape& s = paper_shape();
  const RunContext ctx(static_cast<int>(state.range(0)));
  std::vector<std::pair<std::size_t, std::size_t>> pairs;
  for (std::size_t a = 0; a < s.runs.size(); ++a) {
    if (a != s.best_single) pairs.emplace_back(a, s.best_single);
  }
  for (auto _ : state) {
    const auto comparisons =
        stats::compare(s.bundle, s.queries, s.runs, pairs, {1000, 0.95, 1}, {}, ctx);
    benchmark::DoNotOptimize(comparisons.data());
  }
  state.counters["pairs"] = static_cast<double>(pairs.size());
}
BENCHMARK(BM_CompareAllWithBestSingle1000)
    ->Arg(1)
    ->Arg(2)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
