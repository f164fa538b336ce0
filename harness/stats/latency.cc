#include "harness/stats/latency.h"

#include <algorithm>
#include <cmath>
#include <vector>

#include "harness/bundle.h"
#include "harness/decision.h"
#include "harness/error.h"
#include "harness/evaluator.h"

namespace zooter::stats {
namespace {

double combine(double so_far, double next, Schedule schedule) {
  return schedule == Schedule::kParallel ? std::max(so_far, next) : so_far + next;
}

// The order statistic v_(ceil(q n)) (1-based) of sorted values.
double order_statistic(const std::vector<double>& sorted, double q) {
  const auto rank = static_cast<std::size_t>(std::ceil(q * static_cast<double>(sorted.size())));
  return sorted[std::clamp<std::size_t>(rank, 1, sorted.size()) - 1];
}

}  // namespace

double prefill_seconds(double parameters, double tokens, const ThroughputAssumptions& t) {
  return 2.0 * parameters * tokens / t.prefill_flops_per_second;
}

double decode_seconds(double parameters, double tokens, const ThroughputAssumptions& t) {
  const double per_token = std::max(t.bytes_per_parameter * parameters / t.memory_bytes_per_second,
                                    2.0 * parameters / t.prefill_flops_per_second);
  return tokens * per_token;
}

double generation_seconds(double parameters, double input_tokens, double output_tokens,
                          const ThroughputAssumptions& t) {
  return prefill_seconds(parameters, input_tokens, t) +
         decode_seconds(parameters, output_tokens, t);
}

QueryLatency query_latency(const Bundle& bundle, std::size_t query, const Decision& decision,
                           const LatencyOptions& options) {
  const ThroughputAssumptions& t = options.throughput;
  const std::size_t n = bundle.model_count();
  const double input = bundle.queries.input_tokens[query];
  auto generation = [&](std::size_t m) {
    return generation_seconds(bundle.manifest.models[m].parameters, input,
                              bundle.responses.output_tokens[bundle.responses.cell(query, m)], t);
  };
  QueryLatency out;
  out.routing = decision.router_calls * options.router_seconds_per_call;
  if (decision.answer == Decision::kUniform) {
    // One candidate drawn uniformly generates: the expectation over candidates.
    for (std::size_t m = 0; m < n; ++m) out.generation += generation(m) / static_cast<double>(n);
    return out;
  }
  const double rm_parameters =
      decision.reward_model >= 0
          ? bundle.manifest.reward_models[static_cast<std::size_t>(decision.reward_model)]
                .parameters
          : 0.0;
  for (std::size_t m = 0; m < n; ++m) {
    if ((decision.generated >> m) & 1U) {
      out.generation = combine(out.generation, generation(m), options.generation);
    }
    if ((decision.scored >> m) & 1U) {
      const double tokens = input + bundle.responses.output_tokens[bundle.responses.cell(query, m)];
      out.scoring =
          combine(out.scoring, prefill_seconds(rm_parameters, tokens, t), options.scoring);
    }
  }
  return out;
}

LatencySummary summarize_latency(const Bundle& bundle, std::span<const std::uint32_t> queries,
                                 const AdapterRun& run, const LatencyOptions& options) {
  ZOOTER_CHECK(!queries.empty() && run.decisions.size() == queries.size());
  LatencySummary out;
  std::vector<double> totals(queries.size());
  for (std::size_t i = 0; i < queries.size(); ++i) {
    const QueryLatency q = query_latency(bundle, queries[i], run.decisions[i], options);
    out.mean.routing += q.routing;
    out.mean.generation += q.generation;
    out.mean.scoring += q.scoring;
    totals[i] = q.total();
  }
  const double n = static_cast<double>(queries.size());
  out.mean.routing /= n;
  out.mean.generation /= n;
  out.mean.scoring /= n;
  std::sort(totals.begin(), totals.end());
  out.p50_total = order_statistic(totals, 0.50);
  out.p95_total = order_statistic(totals, 0.95);
  return out;
}

}  // namespace zooter::stats
