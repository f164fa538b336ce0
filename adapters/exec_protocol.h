// What zooter writes to an outside router's standard input (exec@cmd, docs/byo-router.md,
// protocol "zooter-exec" version 1): one JSON object per line.
//
//   {"protocol": "zooter-exec", "version": 1, "candidates": [...], "reward_models": [...],
//    "cost_unit": "dollars", "relative_cost": [...], "train_gold": true, "train": N,
//    "route": M, "seed": S}
//   N lines {"kind": "train", "query": ID, "text": ..., "tags": [...],
//            "rewards": {RM: {MODEL: x, ...}, ...}, "gold": {MODEL: x, ...}}
//            ("gold" only when train_gold: the training queries' split allows learning from it)
//   M lines {"kind": "route", "query": ID, "text": ...}
//
// The queries to route carry their id and text and nothing else: no gold, no reward, no subset,
// no tag. This file is the one place that decides what the program sees, so a leak of evaluated
// gold is impossible by construction. A score that is not a finite number is written null.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "harness/default_seed.h"

namespace zooter {
struct Bundle;
class RunContext;
}

namespace zooter::adapters {

inline constexpr int kExecProtocolVersion = 1;

struct ExecRequest {
  std::span<const std::uint32_t> train;  // bundle queries the program may learn from
  bool train_gold = false;               // their gold may be learned from
  std::span<const std::uint32_t> route;  // bundle queries it must decide
  std::string cost_unit;
  std::vector<double> relative_cost;     // per candidate (candidate_costs.h)
  std::uint64_t seed = kDefaultSeed;     // the header's "seed"; the adapter passes its seed=
};

// The whole standard input for one run of the program. Lines are formatted in blocks on the
// run's threads and joined in order: the same bytes for any thread count.
[[nodiscard]] std::string exec_input(const Bundle& bundle, const ExecRequest& request, const RunContext& ctx);

}  // namespace zooter::adapters
