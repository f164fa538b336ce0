// Fits the paper simulation to the Zooter paper's Table 1 (paper_reference.h), per seed, on the
// drawn test data itself: each candidate's mean on each test subset, each group's oracle and each
// reward-model ranking's subset means (planned so that its whole Table 1 row is the paper's,
// paper_sim_rank_plan.h) then match up to the data's granularity.
//
// Not for: drawing anything (paper_sim_latent.h); this only chooses offsets and scales, by
// deterministic bisection, so the result is the same for any thread count.
#pragma once

#include <array>
#include <vector>

#include "harness/run_context.h"
#include "suites/paper_profile.h"
#include "suites/paper_sim_latent.h"
#include "suites/paper_sim_tags.h"

namespace zooter::suites {

using PerModel = std::array<double, kPaperModels>;
using PerRewardModel = std::array<double, kPaperRewardModels>;

struct Calibration {
  std::vector<PerModel> target;          // per profile subset: the candidates' target means
  std::vector<PerModel> offset;          // per profile subset: the latent offsets mu_sm
  std::vector<double> shared;            // per group: share of variance common to candidates
  std::vector<PerRewardModel> signal;    // per profile subset: reward signal weight w_rs
};

// The candidates' target mean on each test subset: the paper's group average, spread over the
// group's subsets by the subsets' domain strengths (docs/simulation.md, "Subset targets").
// Training subsets get zeros. Depends on the profile only.
[[nodiscard]] std::vector<PerModel> subset_targets(const PaperProfile& profile);

// train_signal: the training collection's signal weight as a multiple of the test subsets' mean.
[[nodiscard]] Calibration calibrate(const PaperProfile& profile, const QueryPlan& plan,
                                    const LatentDraws& draws, double train_signal,
                                    std::uint64_t seed, const RunContext& ctx);

// The centre a subset's rewards are measured from: the mean of its candidates' offsets.
[[nodiscard]] double subset_center(const PerModel& offset);

// Each candidate's general ability on the training collection, in latent units: the probit of
// its AlpacaEval win rate in the paper's Table 1, less the mean over candidates. DivInstruct is
// open-ended instruction data like AlpacaEval, so the rewards a router learns from rank the
// candidates as AlpacaEval's judge does (wizardcoder -0.93 ... llama-2-chat +0.61).
[[nodiscard]] PerModel training_ability(const PaperProfile& profile);

}  // namespace zooter::suites
