// Training time of the learned baseline routers at the paper's scale (issue target for mf:
// 48,000 training queries x 6 candidates under 5 s on 2 cores): building each adapter on a
// random-suite bundle whose train split holds 48,000 queries, which includes featurising them.
// Arguments: worker threads. The trained models are the same for any thread count.
#include <benchmark/benchmark.h>

#include <string>
#include <vector>

#include "adapters/adapter.h"
#include "harness/bundle.h"
#include "harness/run_context.h"
#include "suites/random_suite.h"

namespace {

using namespace zooter;

const Bundle& bundle() {
  static const Bundle b = [] {
    suites::RandomSuiteOptions o;
    o.queries = 96000;
    o.models = 6;
    o.train_fraction = 0.5;
    return suites::make_random_bundle(o, RunContext(2));
  }();
  return b;
}

std::vector<std::uint32_t> split(std::uint32_t s) {
  std::vector<std::uint32_t> out;
  for (std::size_t q = 0; q < bundle().query_count(); ++q) {
    if (bundle().queries.split[q] == s) out.push_back(static_cast<std::uint32_t>(q));
  }
  return out;
}

void build(benchmark::State& state, const std::string& spec) {
  const Bundle& b = bundle();
  const std::size_t train_split = *b.manifest.find_split("train");
  const std::vector<std::uint32_t> train = split(static_cast<std::uint32_t>(train_split));
  const std::vector<std::uint32_t> test = split(static_cast<std::uint32_t>(1 - train_split));
  const RunContext run(static_cast<int>(state.range(0)), 1);
  const adapters::AdapterContext context{b, test, train, "test", "train", true, run};
  for (auto _ : state) {
    auto adapter = adapters::make_adapter(adapters::AdapterSpec::parse(spec), context);
    benchmark::DoNotOptimize(adapter.get());
  }
  state.counters["training_queries"] = static_cast<double>(train.size());
}

void BM_TrainMf(benchmark::State& state) { build(state, "mf@dim=8,reward=gold"); }
void BM_BuildKnnIndex(benchmark::State& state) { build(state, "knn@k=10,reward=gold"); }

BENCHMARK(BM_TrainMf)->Arg(1)->Arg(2)->ArgName("threads")->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(1);
BENCHMARK(BM_BuildKnnIndex)->Arg(2)->ArgName("threads")->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(1);

}  // namespace

BENCHMARK_MAIN();
