// A latency MODEL, not a measurement: the seconds a query would take to answer under stated
// throughput assumptions, from the tokens in the bundle and each model's parameter count.
// Generation is prefill (compute-bound) plus decode (memory-bound at batch size 1); a reward
// model reads query and answer in one forward pass; candidates generate and are scored either
// in parallel (one accelerator each) or in sequence (one shared accelerator).
//
// Not for: measured timings (those are report provenance). Assumptions and their defaults:
// docs/cost-model.md, section "Latency model".
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

namespace zooter {
struct AdapterRun;
struct Bundle;
struct Decision;
}  // namespace zooter

namespace zooter::stats {

// Effective (not peak) rates of one accelerator serving one request at a time.
struct ThroughputAssumptions {
  double prefill_flops_per_second = 1.0e14;  // ~1/3 of an A100's 312 dense bf16 TFLOP/s
  double memory_bytes_per_second = 1.0e12;   // ~1/2 of an A100 80GB's ~2 TB/s
  double bytes_per_parameter = 2.0;          // 16-bit weights
};

enum class Schedule {
  kParallel,    // every candidate (or scoring pass) on its own accelerator, at once
  kSequential,  // one after another on one accelerator
};

// The rate at which a router's forward pass is modelled to run on one CPU core, so routing
// latency in reports is a deterministic model too (the measured time is provenance).
inline constexpr double kRouterCpuFlopsPerSecond = 1.0e10;

struct LatencyOptions {
  ThroughputAssumptions throughput;
  Schedule generation = Schedule::kParallel;
  Schedule scoring = Schedule::kParallel;
  double router_seconds_per_call = 0.0;  // e.g. the measured router CPU time per query
};

// Seconds per part of answering one query; expected values for a uniform draw.
struct QueryLatency {
  double routing = 0.0;
  double generation = 0.0;
  double scoring = 0.0;

  [[nodiscard]] double total() const { return routing + generation + scoring; }
};

// 2 x parameters x tokens FLOPs at the prefill rate.
[[nodiscard]] double prefill_seconds(double parameters, double tokens,
                                     const ThroughputAssumptions& t);

// Each generated token reads every weight once (memory-bound) unless compute is slower:
// tokens x max(bytes_per_parameter x parameters / bandwidth, 2 x parameters / flops).
[[nodiscard]] double decode_seconds(double parameters, double tokens,
                                    const ThroughputAssumptions& t);

// Prefill of the input, then decode of the output.
[[nodiscard]] double generation_seconds(double parameters, double input_tokens,
                                        double output_tokens, const ThroughputAssumptions& t);

// The modelled latency of one decision on bundle query `query`: routing (router calls x
// router_seconds_per_call), generation of every generated candidate, then one reward-model
// pass per scored response (query + answer tokens), each combined per its Schedule.
[[nodiscard]] QueryLatency query_latency(const Bundle& bundle, std::size_t query,
                                         const Decision& decision, const LatencyOptions& options);

struct LatencySummary {
  QueryLatency mean;       // per part, over the queries
  double p50_total = 0.0;  // order statistics of the total: v_(ceil(0.50 n)), v_(ceil(0.95 n))
  double p95_total = 0.0;
};

// Mean and percentiles over a run's decisions (one per query of `queries`), summed in query
// order. `queries` must not be empty.
[[nodiscard]] LatencySummary summarize_latency(const Bundle& bundle,
                                               std::span<const std::uint32_t> queries,
                                               const AdapterRun& run,
                                               const LatencyOptions& options);

}  // namespace zooter::stats
