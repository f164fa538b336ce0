// Speed of the bring-your-own-router doors (issue 21) on a generated bundle of 200,000 queries x
// 8 candidates, half "train", half "test" (about 100,000 evaluated queries). Targets: reading a
// decisions file of one line per evaluated query (with scores for every candidate and a router
// cost) in under 0.2 s; the exec adapter adding under 1 s beyond the program's own time. The
// program here is `cat > /dev/null; cat DECISIONS`: it reads all it is sent and answers at
// once, so nearly all the measured time is zooter's (writing the input, reading and checking
// the answer). Run: build/byo_router_bench (--benchmark_repetitions=5 on a busy machine).
#include <benchmark/benchmark.h>

#include <fmt/format.h>

#include <filesystem>
#include <fstream>

#include "adapters/adapter.h"
#include "adapters/decision_file.h"
#include "harness/bundle.h"
#include "harness/run_context.h"
#include "suites/random_suite.h"

namespace {

using namespace zooter;

struct Fixture {
  Bundle bundle;
  std::vector<std::uint32_t> train, evaluated;
  std::string decisions_path;

  Fixture() {
    suites::RandomSuiteOptions options;
    options.queries = 200000;
    options.models = 8;
    options.reward_models = 2;
    options.subsets = 26;
    bundle = suites::make_random_bundle(options, RunContext(1));
    for (std::uint32_t q = 0; q < bundle.query_count(); ++q) (bundle.queries.split[q] == 0 ? train : evaluated).push_back(q);
    decisions_path = (std::filesystem::temp_directory_path() / "zooter-bench-decisions.jsonl").string();
    std::ofstream out(decisions_path, std::ios::binary | std::ios::trunc);
    for (const std::uint32_t q : evaluated) {
      std::string line = fmt::format("{{\"query\": \"{}\", \"model\": \"{}\", \"scores\": {{", bundle.queries.id[q],
                                     bundle.manifest.models[q % 8].name);
      for (std::size_t m = 0; m < 8; ++m) {
        line += fmt::format("{}\"{}\": {}", m ? ", " : "", bundle.manifest.models[m].name, 0.125 * static_cast<double>((q + m) % 8));
      }
      out << line << "}, \"router_flops\": 1000000, \"router_seconds\": 0.00012}\n";
    }
  }
};

const Fixture& fixture() {
  static const Fixture f;
  return f;
}

void BM_ReadDecisionFile(benchmark::State& state) {
  const Fixture& f = fixture();
  for (auto _ : state) {
    adapters::DecisionFile file = adapters::read_decision_file(f.decisions_path, f.bundle, f.evaluated, "test");
    benchmark::DoNotOptimize(file.decisions.data());
  }
  state.counters["lines"] = static_cast<double>(f.evaluated.size());
}
BENCHMARK(BM_ReadDecisionFile)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_ExecAdapterOverhead(benchmark::State& state) {
  const Fixture& f = fixture();
  const RunContext run(2);
  const adapters::AdapterContext context{f.bundle, f.evaluated, f.train, "test", "train", true, run};
  const adapters::AdapterSpec spec =
      adapters::AdapterSpec::parse("exec@cmd=cat > /dev/null; cat " + f.decisions_path);
  double program_cpu = 0.0;
  for (auto _ : state) {
    const auto adapter = adapters::make_adapter(spec, context);
    for (const auto& [what, value] : adapter->measurements()) {
      if (what == "program CPU seconds") program_cpu += std::stod(value);
    }
  }
  state.counters["evaluated"] = static_cast<double>(f.evaluated.size());
  state.counters["train"] = static_cast<double>(f.train.size());
  state.counters["program_cpu_s"] =
      benchmark::Counter(program_cpu, benchmark::Counter::kAvgIterations);
}
BENCHMARK(BM_ExecAdapterOverhead)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
