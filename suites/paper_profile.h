// The static description of the zooter-paper simulation: its groups and subsets, the training
// sources, the candidate and reward models, the topic domains and every fixed parameter of the
// generative model. docs/simulation.md explains each value; this file is where they live.
//
// Not for: the paper's published numbers (paper_reference.h), drawing anything at random
// (paper_sim.cc) or fitting to the paper (paper_sim_calibration.h).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#include "harness/bundle.h"

namespace zooter::suites {

inline constexpr std::size_t kPaperModels = 6;
inline constexpr std::size_t kPaperRewardModels = 5;

// Topic domains: the level at which candidates' expertise differs. Every tag belongs to one.
enum class Domain : std::uint8_t {
  kCoding, kMath, kReasoning, kWriting, kRoleplay, kExtraction, kScience, kTechnology,
  kHealth, kHumanities, kHistory, kCulture, kSocialScience, kLanguage, kDaily,
};
inline constexpr std::size_t kDomainCount = 15;

// How a latent quality becomes a gold score (see docs/simulation.md, "Gold scores").
enum class GoldScale : std::uint8_t {
  kWinTieLoss,  // AlpacaEval: 1 win, 0.5 tie, 0 loss against text-davinci-003
  kFivePoint,   // FLASK: integer 1..5
  kTwoTurns,    // MT-Bench: mean of two integer 1..10 turn scores
  kCorrect,     // benchmarks: 0/1
  kTenPoint,    // the training collection: integer 1..10
};

struct DomainWeight {
  Domain domain;
  double weight;  // relative; a subset's weights need not sum to 1
};

struct GroupProfile {
  std::string_view name;
  GroupDisplay display;
  std::string_view metric;
  double min;
  double max;
  GoldScale scale;
  bool test;             // a Table 1 group (test split) rather than the training collection
  double latent_scale;   // gold units per unit of latent quality (a_g in the docs)
  double subset_spread;  // logit units per unit of domain strength when shaping subset targets
  // The group's queries draw their tags uniformly over a domain's vocabulary, rare tags as often
  // as popular ones, instead of by the training collection's popularity: FLASK gathers its
  // instances from 122 source datasets chosen for fine-grained skills, so a router trained on
  // the popular tags knows little about most of them (docs/simulation.md, "Tags").
  bool rare_tags = false;
};

struct SubsetProfile {
  std::string_view id;
  std::string_view name;
  std::size_t group;    // index into PaperProfile::groups
  std::size_t queries;  // test queries, or training queries for the training collection
  std::span<const DomainWeight> mix;
  std::uint16_t min_words;
  std::uint16_t max_words;
  std::uint16_t prompt_overhead;  // input tokens beyond the text (options, code, instructions)
  double answer_length;           // factor on each candidate's typical output length
  // Share of the subset's queries that are exam-style: one right answer (a choice among
  // options, a number, code that must pass tests) that a reward model cannot check.
  double exam_share = 0.0;
};

struct ModelProfile {
  std::string_view name;
  double parameters;
  double typical_output_tokens;
};

struct RewardModelProfile {
  std::string_view name;
  double parameters;
  std::array<double, kPaperModels> style_bias;  // reward added to every response of a candidate
  double length_bias;  // reward per unit of standardised log output length
  double noise;        // sd of the reward's per-response noise
};

struct DomainProfile {
  std::string_view name;
  std::array<double, kPaperModels> strength;  // latent expertise of each candidate
  // Knowledge, maths or code: the reward models' errors on such tags are systematic and
  // larger (RewardErrorParameters::factual_sd).
  bool factual;
};

// The reward models' systematic errors (docs/simulation.md, "Rewards"). The paper finds that
// reward models fail at judging knowledge, maths and code, so that RMR and a router distilled
// from them fail on the benchmarks. Here that failure belongs to exam-style queries (one right
// answer, SubsetProfile::exam_share): there a reward model misses exam_blindness of the
// candidates' expertise and rewards what it can see instead, each candidate's fluency (its mean
// domain strength over the open domains), exam_fluency reward units per unit. In addition each
// reward model errs on each (tag, candidate) by E ~ N(0, sd^2), sd by the tag's domain, the
// same for every query carrying the tag (a query gets the mean over its tags), so averaging
// rewards over a tag's queries does not remove it. FITTED to Table 1's Zooter row by
// scripts/fit-paper-rewards.sh (docs/simulation.md, "Fitting the reward errors"); refit with
// that script and paste its result here. `zooter synth --reward-errors F,O,T,K,C` overrides
// them.
struct RewardErrorParameters {
  double factual_sd = 0.0;     // on tags of factual domains (knowledge, maths, code)
  double open_sd = 0.0;        // on tags of the other domains
  double train_signal = 1.0;   // training collection's signal weight, x the test subsets' mean
  // Share of the candidates' expertise (domain strength plus tag expertise) a reward model
  // misses on exam-style queries: it cannot check the answer.
  double exam_blindness = 0.0;
  // Reward per unit of a candidate's fluency on exam-style queries: what a reward model
  // rewards when it cannot check the answer (the fluent answer, not the right one).
  double exam_fluency = 0.0;
};
// The fitted values (scripts/fit-paper-rewards.sh, seeds 1 and 2).
inline constexpr RewardErrorParameters kFittedRewardErrors{1.0, 0.0, 3.5, 1.0, 20.0};

// Fixed parameters of the generative model; docs/simulation.md gives the reasoning for each.
struct LatentParameters {
  double tag_expertise_sd = 0.85;   // sd of a candidate's expertise on one tag
  double query_noise_sd = 1.0;      // sd of the per-(query, candidate) idiosyncratic quality
  double expertise_norm = 1.3;      // divides the expertise sum to about unit variance
  double tie_band = 0.12;           // AlpacaEval: |latent| below this is a tie
  double turn_noise_sd = 0.8;       // MT-Bench: per-turn noise before rounding
  double train_center = 5.5;        // training collection: latent centre on the 1..10 scale
  double train_shared = 0.35;       // training collection: variance share common to candidates
  double output_length_sd = 0.35;   // log-normal sd of one response's length
  double query_length_sd = 0.30;    // log-normal sd of a query's length factor shared by candidates
  double length_quality = 0.10;     // log-length gained per unit of idiosyncratic quality
  double length_reference = 256.0;  // tokens at which the reward's length term is zero
  double length_scale = 0.7;        // log units per unit of the reward's length term
  double reward_steps = 1e4;        // rewards are rounded to multiples of 1 / reward_steps
};

struct PaperProfile {
  std::span<const GroupProfile> groups;
  std::span<const SubsetProfile> subsets;  // the test subsets, then the training sources
  std::span<const ModelProfile> models;
  std::span<const RewardModelProfile> reward_models;
  std::span<const DomainProfile> domains;  // indexed by Domain
  std::size_t train_group = 0;             // index of the training collection's group
  std::size_t tag_count = 0;               // distinct tags
  LatentParameters latent;
};

// The one profile, "zooter-paper".
[[nodiscard]] const PaperProfile& paper_profile();

[[nodiscard]] inline std::size_t domain_index(Domain d) { return static_cast<std::size_t>(d); }

}  // namespace zooter::suites
