// The zooter-paper simulation: a replay bundle that stands in for the Zooter paper's data
// (Lu et al. 2023, arXiv:2311.08692), which was never published. It is simulated, calibrated
// per seed to the paper's Table 1, and says so in its manifest. docs/simulation.md describes
// the generative model and every parameter.
//
// Not for: loading or writing bundles (harness/), or the paper's numbers themselves
// (paper_reference.h).
#pragma once

#include <cstddef>
#include <cstdint>

#include "harness/bundle.h"
#include "harness/run_context.h"
#include "suites/paper_profile.h"

namespace zooter::suites {

// Training queries by default: the sum of the 15 DivInstruct source counts (docs/simulation.md
// explains why this is not the 47,986 stated for the whole collection).
inline constexpr std::size_t kPaperTrainQueries = 47465;

struct PaperSimOptions {
  std::uint64_t seed = 1;
  std::size_t train_queries = kPaperTrainQueries;  // the sources scale with it
  RewardErrorParameters reward_errors = kFittedRewardErrors;  // overridden only when refitting
};

// The largest train_queries accepted.
inline constexpr std::size_t kMaxPaperTrainQueries = 1'000'000;

// Generates the whole bundle in memory: manifest, train and test queries with text and tags,
// every candidate's gold score, output tokens and the five reward models' rewards (no response
// text, no prices: dollars are NaN). The result is a pure function of the options; the thread
// count of ctx changes only the speed. Throws InputError when train_queries exceeds
// kMaxPaperTrainQueries.
[[nodiscard]] Bundle synthesize_paper_bundle(const PaperSimOptions& options,
                                             const RunContext& ctx);

}  // namespace zooter::suites
