// What each candidate costs per query, as cost-aware routing sees it before any generation:
// the mean over queries whose responses are already known (the training queries), scaled so
// the most expensive candidate costs 1. Cost-aware adapters pick argmax(quality - lambda x
// relative cost), so lambda reads as "quality given up to save the priciest candidate's cost".
//
// Dollars when every response of those queries has one (a per-response cost or model prices);
// otherwise generation FLOPs (2 x parameters x (input + output tokens)), docs/cost-model.md.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "adapters/adapter_spec.h"

namespace zooter {
struct Bundle;
}

namespace zooter::adapters {

struct CandidateCosts {
  std::string unit;               // "dollars" or "generation FLOPs"
  std::vector<double> mean;       // per candidate, per query, in `unit`
  std::vector<double> relative;   // mean / max(mean), in [0, 1]; all 0 when every mean is 0
};

// Throws InputError when `queries` is empty.
[[nodiscard]] CandidateCosts estimate_candidate_costs(const Bundle& bundle,
                                                      std::span<const std::uint32_t> queries);

// The cost-aware pick: argmax over candidates of quality[c] - lambda x cost[c], ties to the
// first candidate (every learned router routes this way; lambda = 0 is the plain argmax).
template <typename T>
[[nodiscard]] std::size_t cost_aware_argmax(std::span<const T> quality, std::span<const double> cost,
                                            double lambda) {
  std::size_t best = 0;
  double best_value = static_cast<double>(quality[0]) - lambda * cost[0];
  for (std::size_t c = 1; c < quality.size(); ++c) {
    const double value = static_cast<double>(quality[c]) - lambda * cost[c];
    if (value > best_value) {
      best = c;
      best_value = value;
    }
  }
  return best;
}

// The adapter argument lambda=X (default 0): finite and >= 0, else UsageError.
[[nodiscard]] double lambda_argument(const AdapterSpec& spec);

}  // namespace zooter::adapters
