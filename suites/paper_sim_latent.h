// The generative model of the paper simulation: the random components of each response's
// quality, length and rewards, and the formulas that turn them into gold scores and rewards.
// Calibration (paper_sim_calibration.h) and the final bundle both use these formulas, so what
// is calibrated is exactly what is written.
//
// Zooter paper hypothesis, encoded here: a candidate's expertise lives at the level of domains
// and tags, each query adds its own luck, and a reward model sees quality only through its own
// noise and biases, so averaging rewards over a tag's queries recovers the expertise.
#pragma once

#include <cmath>
#include <cstdint>
#include <vector>

#include "harness/run_context.h"
#include "suites/paper_profile.h"
#include "suites/paper_sim_tags.h"

namespace zooter::suites {

struct LatentDraws {
  std::vector<double> difficulty;  // d_q ~ N(0, 1), shared by all candidates on query q
  // u_qm = (D[domain(q)][m] + mean over q's tags t of A[t][m] + sd_e * e_qm) / expertise_norm,
  // with A[t][m] ~ N(0, tag_expertise_sd^2) and e_qm ~ N(0, 1); cell q * models + m.
  std::vector<double> expertise;
  // What a reward model misses on exam-style queries, per cell: exam_blindness x the known
  // expertise (D[domain(q)][m] + mean over q's tags of A[t][m]) / expertise_norm; 0 on other
  // queries.
  std::vector<double> missed_expertise;
  std::vector<std::uint32_t> output_tokens;  // per cell
  std::vector<double> length_term;           // (ln output_tokens - ln reference) / length_scale
  // [reward model][cell]: its sd times N(0, 1), plus the mean over the query's tags t of the
  // reward model's systematic error E[t][m] ~ N(0, sd(domain of t)^2), plus on exam-style
  // queries exam_fluency x the candidate's fluency (its open-domain strength).
  std::vector<std::vector<double>> reward_noise;
};

[[nodiscard]] LatentDraws draw_latents(const PaperProfile& profile, const QueryPlan& plan,
                                       const RewardErrorParameters& errors, std::uint64_t seed,
                                       const RunContext& ctx);

// Latent quality on a test group: a calibrated (subset, candidate) offset plus the group's scale
// times a mix of the shared difficulty and the candidate's expertise; `shared` in [0, 1) is the
// share of variance common to all candidates.
[[nodiscard]] inline double latent_quality(double offset, double scale, double shared,
                                           double difficulty, double expertise) {
  return offset + scale * (std::sqrt(shared) * difficulty + std::sqrt(1.0 - shared) * expertise);
}

// MT-Bench's two per-turn judge noises of a cell, N(0, turn_noise_sd^2) each.
struct TurnNoise {
  double first = 0.0;
  double second = 0.0;
};
[[nodiscard]] TurnNoise draw_turn_noise(const LatentParameters& latent, std::uint64_t seed,
                                        std::uint64_t cell);

// The gold score of a response of latent quality z on a group's scale.
[[nodiscard]] double gold_score(GoldScale scale, const LatentParameters& latent, double z,
                                TurnNoise turns);

// A reward: signal * normalised quality + style bias + length bias * length term + noise,
// rounded to multiples of 1 / reward_steps.
[[nodiscard]] double reward_score(const RewardModelProfile& rm, const LatentParameters& latent,
                                  std::size_t model, double signal, double normalised_quality,
                                  double length_term, double noise);

}  // namespace zooter::suites
