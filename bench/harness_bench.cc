// Loading and evaluation speed on a generated bundle of 100,000 queries x 8 candidates
// (2 reward models). Targets (issue: core harness): loading >= 150 MB/s per core;
// evaluating every baseline adapter (8 singles, best-single, random, oracle, 2 x rmr) in
// under 0.5 s on 2 cores. Run: build/harness_bench (--benchmark_repetitions=5 on a busy
// machine: one load is about half a second).
#include <benchmark/benchmark.h>

#include <filesystem>

#include "harness/bundle.h"
#include "harness/bundle_loader.h"
#include "harness/bundle_writer.h"
#include "pipeline/run_pipeline.h"
#include "harness/run_context.h"
#include "suites/random_suite.h"

namespace {

using namespace zooter;

const std::string& bundle_dir() {
  static const std::string dir = [] {
    const std::string path =
        (std::filesystem::temp_directory_path() / "zooter-bench-100k-x8").string();
    suites::RandomSuiteOptions options;
    options.queries = 100000;
    options.models = 8;
    options.reward_models = 2;
    options.subsets = 26;
    options.train_fraction = 0.0;  // evaluate all 100,000 queries
    // One thread: no pool workers are left spinning to be charged to the loading benchmark,
    // which counts the whole process's CPU time. The bundle is the same for any thread count.
    write_bundle(suites::make_random_bundle(options, RunContext(1)), path);
    return path;
  }();
  return dir;
}

std::uint64_t bundle_bytes() {
  std::uint64_t bytes = 0;
  for (const auto& entry : std::filesystem::directory_iterator(bundle_dir())) {
    bytes += entry.file_size();
  }
  return bytes;
}

void BM_LoadBundle(benchmark::State& state) {
  const std::string& dir = bundle_dir();
  const std::uint64_t bytes = bundle_bytes();
  for (auto _ : state) {
    Bundle bundle = load_bundle(dir);
    benchmark::DoNotOptimize(bundle.responses.gold.data());
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(bytes * state.iterations()));  // MiB/s
  state.counters["file_MB"] = static_cast<double>(bytes) / 1e6;
  // The target's figure: bytes of all three files over CPU seconds, in MB (10^6 bytes). The
  // CPU time is the process's, every thread included, so this stays a per-core rate whatever
  // number of threads loading uses.
  state.counters["MB_per_s_per_core"] = benchmark::Counter(
      static_cast<double>(bytes * state.iterations()) / 1e6, benchmark::Counter::kIsRate);
}
BENCHMARK(BM_LoadBundle)->Unit(benchmark::kMillisecond)->MeasureProcessCPUTime();

void BM_EvaluateBaselines(benchmark::State& state) {
  static const Bundle bundle = load_bundle(bundle_dir());
  const RunContext ctx(static_cast<int>(state.range(0)));
  pipeline::RunSettings settings;
  settings.bootstrap = 0;  // intervals are timed by stats_bench
  for (auto _ : state) {
    reports::Report report = pipeline::run_evaluation(bundle, settings, ctx);
    benchmark::DoNotOptimize(report.evaluation.adapters.data());
  }
  state.counters["adapters"] = 13;
  state.counters["test_queries"] = 100000;
}
BENCHMARK(BM_EvaluateBaselines)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
