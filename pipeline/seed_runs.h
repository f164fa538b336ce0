// Training a learned adapter on several seeds (the spec argument seeds=N): which seeds, and the
// seed-mean evaluation that the report shows for such an adapter, with its spread across seeds.
//
// Seeds are S, S+1, ..., S+N-1 (modulo 2^64), S being the spec's seed= or the run's seed. Every
// seeded adapter of a run must give the same N, so that evaluation k pairs every seeded
// adapter's k-th seed (win rates between two seeded adapters compare seed k with seed k).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "adapters/adapter_spec.h"
#include "harness/evaluation.h"
#include "harness/evaluator.h"
#include "reports/report.h"

namespace zooter {
struct Bundle;
class RunContext;
}  // namespace zooter

namespace zooter::pipeline {

inline constexpr std::uint64_t kMaxSeeds = 100;

// The spec's seeds= (0 when absent). Throws UsageError unless it is a whole number in
// 1..kMaxSeeds, or when the adapter takes no seed= (it does not learn).
[[nodiscard]] std::size_t seed_count(const adapters::AdapterSpec& spec);

// The spec without seeds= and with seed=`seed`: the single-seed adapter of seed `seed`.
[[nodiscard]] adapters::AdapterSpec with_seed(adapters::AdapterSpec spec, std::uint64_t seed);

// `runs` as evaluated, and for each of them every seed's run (empty when not seeded; else
// exactly `seeds` runs, the first holding the decisions of runs[a]) and its first seed.
struct SeededRuns {
  const std::vector<AdapterRun>& runs;
  const std::vector<std::vector<AdapterRun>>& seed_runs;
  const std::vector<std::uint64_t>& first_seed;
  std::size_t seeds = 0;
};

struct SeedMeanEvaluation {
  Evaluation evaluation;
  std::vector<reports::SeedSpread> spread;  // per run; an unseeded run's has no quality
};

// Evaluates the runs once per seed index and gives each seeded adapter the seed-mean of every
// quality metric (subset scores, win rates, routing shares, group averages, cost), its ranks
// taken against the candidate pool from those means (so MTR, group MTR and %Uplift are of the
// seed-mean row), its spread across seeds, and a note saying both. Rows that are not seeded
// are left exactly as evaluate() gives them.
[[nodiscard]] SeedMeanEvaluation evaluate_seed_mean(const Bundle& bundle, std::span<const std::uint32_t> queries,
                                                    const SeededRuns& seeded, std::optional<std::size_t> best_single,
                                                    const std::string& split, const RunContext& ctx);

// The spread of per-seed qualities `quality` (seed order, at least one) from `first_seed` on.
[[nodiscard]] reports::SeedSpread seed_spread(std::vector<double> quality, std::uint64_t first_seed);

// "ADAPTER: seeds S..S+N-1, the row being the mean over seeds of every quality metric; mean
// normalised subset score per seed ...; across seeds mean ..., sd ..., min ..., max ...".
[[nodiscard]] std::string seed_spread_note(const std::string& adapter, const reports::SeedSpread& spread);

}  // namespace zooter::pipeline
