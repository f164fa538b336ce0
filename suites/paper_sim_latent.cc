#include "suites/paper_sim_latent.h"

#include <algorithm>
#include <array>

#include "harness/parallel.h"
#include "harness/random.h"
#include "suites/paper_sim_streams.h"

namespace zooter::suites {

namespace {

// Each candidate's mean domain strength over the open (not factual) domains, less the mean
// over candidates: how fluent its answers read when nobody checks them.
std::array<double, kPaperModels> open_domain_strength(const PaperProfile& profile) {
  std::array<double, kPaperModels> strength{};
  double open_domains = 0.0;
  for (const DomainProfile& domain : profile.domains) {
    if (domain.factual) continue;
    open_domains += 1.0;
    for (std::size_t m = 0; m < kPaperModels; ++m) strength[m] += domain.strength[m];
  }
  double mean = 0.0;
  for (double& value : strength) {
    value /= open_domains;
    mean += value / static_cast<double>(kPaperModels);
  }
  for (double& value : strength) value -= mean;
  return strength;
}

}  // namespace

LatentDraws draw_latents(const PaperProfile& profile, const QueryPlan& plan,
                         const RewardErrorParameters& errors, std::uint64_t seed,
                         const RunContext& ctx) {
  const LatentParameters& p = profile.latent;
  constexpr std::size_t kM = kPaperModels;
  const std::size_t n = plan.size();
  const std::size_t cells = n * kM;
  const std::array<double, kM> fluency = open_domain_strength(profile);

  // A[t][m]: the tag-level expertise every query with tag t shares, in training and test alike.
  const std::vector<double> tag_expertise = parallel_map<double>(
      ctx, plan.tag_domain.size() * kM, [&](std::size_t i) {
        return p.tag_expertise_sd * random::normal(seed, stream(SimStream::kTagExpertise), i);
      });

  LatentDraws draws;
  draws.difficulty = parallel_map<double>(ctx, n, [&](std::size_t q) {
    return random::normal(seed, stream(SimStream::kDifficulty), q);
  });
  draws.expertise.assign(cells, 0.0);
  draws.missed_expertise.assign(cells, 0.0);
  draws.output_tokens.assign(cells, 0);
  draws.length_term.assign(cells, 0.0);
  const double log_reference = std::log(p.length_reference);
  parallel_for_each(ctx, n, [&](std::size_t q) {
    const SubsetProfile& subset = profile.subsets[plan.subset[q]];
    const auto& strength = profile.domains[domain_index(plan.domain[q])].strength;
    const auto tags = plan.tags(q);
    const double query_length =
        p.query_length_sd * random::normal(seed, stream(SimStream::kQueryLength), q);
    for (std::size_t m = 0; m < kM; ++m) {
      const std::size_t c = q * kM + m;
      double tag_sum = 0.0;
      for (std::uint32_t t : tags) tag_sum += tag_expertise[t * kM + m];
      const double luck = random::normal(seed, stream(SimStream::kIdiosyncratic), c);
      const double known = strength[m] + tag_sum / static_cast<double>(tags.size());
      draws.expertise[c] = (known + p.query_noise_sd * luck) / p.expertise_norm;
      // On an exam-style query a reward model cannot check the answer: it misses exam_blindness
      // of the known expertise (and rewards fluency instead, below).
      if (plan.exam[q] != 0) {
        draws.missed_expertise[c] = errors.exam_blindness * known / p.expertise_norm;
      }
      // Better answers run slightly longer, which is what makes a length bias half-plausible.
      const double log_length =
          std::log(profile.models[m].typical_output_tokens * subset.answer_length) +
          query_length + p.length_quality * luck +
          p.output_length_sd * random::normal(seed, stream(SimStream::kResponseLength), c);
      const double tokens = std::clamp(std::round(std::exp(log_length)), 4.0, 4096.0);
      draws.output_tokens[c] = static_cast<std::uint32_t>(tokens);
      draws.length_term[c] = (std::log(tokens) - log_reference) / p.length_scale;
    }
  });

  for (std::size_t r = 0; r < profile.reward_models.size(); ++r) {
    // E[t][m]: shared by every query carrying tag t, in training and test alike.
    const std::vector<double> tag_error = parallel_map<double>(
        ctx, plan.tag_domain.size() * kM, [&](std::size_t i) {
          const bool factual = profile.domains[domain_index(plan.tag_domain[i / kM])].factual;
          const double sd = factual ? errors.factual_sd : errors.open_sd;
          return sd * random::normal(seed, stream(SimStream::kRewardTagError, r), i);
        });
    const double sd = profile.reward_models[r].noise;
    draws.reward_noise.push_back(parallel_map<double>(ctx, cells, [&](std::size_t c) {
      const std::size_t q = c / kM, m = c % kM;
      const auto tags = plan.tags(q);
      double systematic = 0.0;
      for (std::uint32_t t : tags) systematic += tag_error[t * kM + m];
      // Not scaled by the signal weight: however much of quality a reward model sees, on a
      // question it cannot check it prefers the fluent answer by the same margin.
      const double fluency_credit = plan.exam[q] != 0 ? errors.exam_fluency * fluency[m] : 0.0;
      return sd * random::normal(seed, stream(SimStream::kRewardNoise, r), c) +
             systematic / static_cast<double>(tags.size()) + fluency_credit;
    }));
  }
  return draws;
}

TurnNoise draw_turn_noise(const LatentParameters& latent, std::uint64_t seed, std::uint64_t cell) {
  return {latent.turn_noise_sd * random::normal(seed, stream(SimStream::kTurnNoise), 2 * cell),
          latent.turn_noise_sd * random::normal(seed, stream(SimStream::kTurnNoise), 2 * cell + 1)};
}

double gold_score(GoldScale scale, const LatentParameters& latent, double z, TurnNoise turns) {
  switch (scale) {
    case GoldScale::kWinTieLoss:
      return z > latent.tie_band ? 1.0 : (z < -latent.tie_band ? 0.0 : 0.5);
    case GoldScale::kFivePoint:
      return std::clamp(std::round(z), 1.0, 5.0);
    case GoldScale::kTwoTurns: {
      const double first = std::clamp(std::round(z + turns.first), 1.0, 10.0);
      const double second = std::clamp(std::round(z + turns.second), 1.0, 10.0);
      return 0.5 * (first + second);
    }
    case GoldScale::kCorrect:
      return z > 0.0 ? 1.0 : 0.0;
    case GoldScale::kTenPoint:
      return std::clamp(std::round(z), 1.0, 10.0);
  }
  return 0.0;
}

double reward_score(const RewardModelProfile& rm, const LatentParameters& latent,
                    std::size_t model, double signal, double normalised_quality,
                    double length_term, double noise) {
  const double raw = signal * normalised_quality + rm.style_bias[model] +
                     rm.length_bias * length_term + noise;
  // Dividing by an exact power of ten gives the double nearest the decimal: short JSON.
  return std::round(raw * latent.reward_steps) / latent.reward_steps;
}

}  // namespace zooter::suites
