// The decisions file: one router's decision per evaluated query, as an outside router writes it
// and as `zooter run --decisions DIR` writes every adapter's (docs/byo-router.md). Reading is
// strict: every evaluated query decided exactly once, by a candidate of the bundle, or the file
// is refused with every problem as "path:line: message". Not for training data: a line carries
// what the router chose, never a gold score.
//
// JSONL (any name but *.csv), one object per line:
//   {"query": ID, "model": NAME, "scores": {NAME: x, ...}, "router_flops": x,
//    "router_seconds": x, "router_dollars": x}
// `query` and `model` are required (`query` may be a JSON integer for numeric ids); the rest is
// optional, but a field given on one line must be given on every line. `scores` holds a finite
// number for every candidate (the router's predicted quality, higher is better). For a faithful
// copy of zooter's own baselines, three more optional fields: "generated" and "scored" (lists
// of candidates; default: the model alone generates, none is scored), "reward_model" (the
// scorer, required with "scored"), and "uniform": true in place of "model" (the random
// baseline's exact expectation).
//
// CSV (*.csv): a header `query,model` then any of `router_flops`, `router_seconds`,
// `router_dollars` and `score:NAME` (one per candidate, all or none), one row per query; fields
// may be quoted ("..." with "" for a quote); a quoted field may not span lines.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "harness/decision.h"

namespace zooter {
struct Bundle;
}

namespace zooter::adapters {

// A router's own cost, summed over the file's lines (each optional: absent from the file).
struct RouterCostTotals {
  std::optional<double> flops;
  std::optional<double> seconds;
  std::optional<double> dollars;
};

struct DecisionFile {
  std::vector<Decision> decisions;  // per evaluated query, in the order of `evaluated`
  std::vector<double> scores;       // evaluated x candidates, row-major; empty: the file has none
  RouterCostTotals router;
  std::size_t lines = 0;
  std::size_t outside_split = 0;    // lines for bundle queries outside the evaluated split: checked, unused
};

// Reads and checks `path` against the bundle's queries and candidates. `evaluated` are bundle
// query indices (the evaluated split, named `split` in messages); lines for the bundle's other
// queries are checked like the rest, then counted in outside_split and left out (one file can
// serve every split). Throws InputError listing
// every problem (unknown or repeated query, unknown model, missing query, malformed line or
// value, bad UTF-8, a field on some lines only).
[[nodiscard]] DecisionFile read_decision_file(const std::string& path, const Bundle& bundle,
                                              std::span<const std::uint32_t> evaluated,
                                              const std::string& split);

// The same for JSONL text held in memory (an outside program's standard output), its problems
// named "source:line: message"; fewer lines than `evaluated` queries is one more problem.
[[nodiscard]] DecisionFile read_decision_text(std::string_view text, const std::string& source, const Bundle& bundle,
                                              std::span<const std::uint32_t> evaluated, const std::string& split);

// One JSONL line (without its newline) for decision d on bundle query q: the fields the reader
// needs to rebuild d exactly, plus `scores` (one finite number per candidate, written so that
// they read back bit for bit) and router_flops when given (an adapter with a router cost
// writes it on every line, 0 included, as the reader requires).
[[nodiscard]] std::string decision_json_line(const Bundle& bundle, std::uint32_t q, const Decision& d,
                                             std::optional<double> router_flops,
                                             std::span<const double> scores = {});

}  // namespace zooter::adapters
