// The latency model (harness/stats/latency.h) with hand-computed seconds under the default
// assumptions: 1e14 FLOP/s prefill, 1e12 B/s memory, 2 bytes per parameter.
#include "harness/stats/latency.h"

#include <gtest/gtest.h>

#include "harness/decision.h"
#include "tests/harness/stats/stats_fixtures.h"

namespace zooter::stats {
namespace {

// Two candidates, m0 of 1e9 and m1 of 4e9 parameters; a 1e9 reward model; every query has
// 10 input and 10 output tokens.
//   m0: prefill 2e9 x 10 / 1e14 = 2e-4 s; decode 10 x max(2e9 / 1e12, 2e9 / 1e14) = 0.02 s
//       -> 0.0202 s
//   m1: prefill 8e-4 s; decode 10 x 8e-3 = 0.08 s -> 0.0808 s
//   reward pass over 20 tokens: 2e9 x 20 / 1e14 = 4e-4 s
Bundle latency_bundle() {
  Bundle b = test::one_subset_bundle(test::accuracy(), 2, {{0, {1, 0}}, {0, {0, 1}}});
  b.manifest.models[1].parameters = 4e9;
  return b;
}

TEST(StatsLatency, GenerationSecondsFromTheThroughputModel) {
  const ThroughputAssumptions t;
  EXPECT_DOUBLE_EQ(prefill_seconds(1e9, 10, t), 2e-4);
  EXPECT_DOUBLE_EQ(decode_seconds(1e9, 10, t), 0.02);
  EXPECT_DOUBLE_EQ(generation_seconds(4e9, 10, 10, t), 0.0808);
  // Compute-bound decode when FLOPs are scarcer than bandwidth.
  ThroughputAssumptions slow = t;
  slow.prefill_flops_per_second = 1e11;
  EXPECT_DOUBLE_EQ(decode_seconds(1e9, 10, slow), 10 * 2e9 / 1e11);
}

TEST(StatsLatency, DecisionsUnderParallelAndSequentialSchedules) {
  const Bundle b = latency_bundle();
  Decision single = Decision::single(0);
  Decision ranker;
  ranker.answer = 1;
  ranker.generated = 0b11;
  ranker.scored = 0b11;
  ranker.reward_model = 0;
  Decision uniform;
  uniform.answer = Decision::kUniform;
  Decision routed = Decision::single(1);
  routed.router_calls = 1;

  LatencyOptions parallel;
  parallel.router_seconds_per_call = 0.001;
  LatencyOptions sequential = parallel;
  sequential.generation = Schedule::kSequential;
  sequential.scoring = Schedule::kSequential;

  struct Row {
    const char* name;
    Decision d;
    const LatencyOptions* options;
    double routing, generation, scoring;
  };
  const Row rows[] = {
      {"single", single, &parallel, 0, 0.0202, 0},
      {"ranker, parallel", ranker, &parallel, 0, 0.0808, 4e-4},
      {"ranker, sequential", ranker, &sequential, 0, 0.0202 + 0.0808, 8e-4},
      {"uniform", uniform, &parallel, 0, (0.0202 + 0.0808) / 2, 0},
      {"routed", routed, &parallel, 0.001, 0.0808, 0},
  };
  for (const Row& row : rows) {
    SCOPED_TRACE(row.name);
    const QueryLatency l = query_latency(b, 0, row.d, *row.options);
    EXPECT_DOUBLE_EQ(l.routing, row.routing);
    EXPECT_DOUBLE_EQ(l.generation, row.generation);
    EXPECT_DOUBLE_EQ(l.scoring, row.scoring);
    EXPECT_DOUBLE_EQ(l.total(), row.routing + row.generation + row.scoring);
  }
}

TEST(StatsLatency, SummaryOverARun) {
  // m0 on query 0 (0.0202 s), m1 on query 1 (0.0808 s): mean 0.0505, p50 = v_(1), p95 = v_(2).
  const Bundle b = latency_bundle();
  const AdapterRun run = test::run_of("mixed", {0, 1});
  const LatencySummary s = summarize_latency(b, test::all_queries(b), run, {});
  EXPECT_DOUBLE_EQ(s.mean.generation, 0.0505);
  EXPECT_DOUBLE_EQ(s.p50_total, 0.0202);
  EXPECT_DOUBLE_EQ(s.p95_total, 0.0808);
}

}  // namespace
}  // namespace zooter::stats
