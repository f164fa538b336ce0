#include "suites/paper_sim.h"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <cmath>
#include <limits>
#include <string>

#include "harness/error.h"
#include "harness/parallel.h"
#include "harness/random.h"
#include "suites/paper_profile.h"
#include "suites/paper_sim_calibration.h"
#include "suites/paper_sim_latent.h"
#include "suites/paper_sim_streams.h"
#include "suites/paper_sim_tags.h"
#include "suites/query_text.h"

namespace zooter::suites {
namespace {

constexpr std::size_t kM = kPaperModels;
constexpr std::uint32_t kTrainSplit = 0, kTestSplit = 1;
constexpr double kTokensPerWord = 1.3;

// The first profile subset of group g.
std::size_t plan_first_subset(const PaperProfile& profile, std::size_t g) {
  for (std::size_t s = 0; s < profile.subsets.size(); ++s) {
    if (profile.subsets[s].group == g) return s;
  }
  return profile.subsets.size();
}

std::string provenance_json(const PaperProfile& profile, const PaperSimOptions& options,
                            const Calibration& cal) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> w(buffer);
  w.StartObject();
  w.Key("generator"); w.String("zooter synth (suites/paper_sim.cc)");
  w.Key("profile"); w.String("zooter-paper");
  w.Key("seed"); w.Uint64(options.seed);
  w.Key("train_queries"); w.Uint64(options.train_queries);
  w.Key("paper");
  w.String("Lu et al. 2023, Routing to the Expert: Efficient Reward-guided Ensemble of Large "
           "Language Models, arXiv:2311.08692");
  w.Key("calibrated_to");
  w.String("Table 1 group averages of the six candidates and the oracle, and the whole rows "
           "(group averages and MTRs, MTR, %Uplift) of the five reward-model rankings, on "
           "AlpacaEval, FLASK, MT-Bench and Benchmarks");
  w.Key("documentation"); w.String("docs/simulation.md");
  w.Key("reward_errors");
  w.StartObject();
  w.Key("factual_sd"); w.Double(options.reward_errors.factual_sd);
  w.Key("open_sd"); w.Double(options.reward_errors.open_sd);
  w.Key("train_signal"); w.Double(options.reward_errors.train_signal);
  w.Key("exam_blindness"); w.Double(options.reward_errors.exam_blindness);
  w.Key("exam_fluency"); w.Double(options.reward_errors.exam_fluency);
  w.EndObject();
  w.Key("calibration");
  w.StartObject();
  for (std::size_t g = 0; g < profile.groups.size(); ++g) {
    const GroupProfile& group = profile.groups[g];
    w.Key(group.name.data(), static_cast<rapidjson::SizeType>(group.name.size()));
    w.StartObject();
    w.Key("shared"); w.Double(std::round(cal.shared[g] * 1e6) / 1e6);
    // Per subset on the test groups; the training collection's subsets share one weight.
    w.Key("reward_signal");
    w.StartObject();
    for (std::size_t s = 0; s < profile.subsets.size(); ++s) {
      const SubsetProfile& subset = profile.subsets[s];
      if (subset.group != g) continue;
      if (!group.test && s != plan_first_subset(profile, g)) continue;
      const std::string_view key = group.test ? subset.name : std::string_view("all");
      w.Key(key.data(), static_cast<rapidjson::SizeType>(key.size()));
      w.StartObject();
      for (std::size_t r = 0; r < kPaperRewardModels; ++r) {
        const std::string_view name = profile.reward_models[r].name;
        w.Key(name.data(), static_cast<rapidjson::SizeType>(name.size()));
        w.Double(std::round(cal.signal[s][r] * 1e6) / 1e6);
      }
      w.EndObject();
    }
    w.EndObject();
    w.EndObject();
  }
  w.EndObject();
  w.EndObject();
  return {buffer.GetString(), buffer.GetSize()};
}

Manifest build_manifest(const PaperProfile& profile, const PaperSimOptions& options,
                        const Calibration& cal) {
  Manifest m;
  m.suite = "zooter-paper";
  m.description =
      "Simulated replay data standing in for the Zooter paper's unpublished data, calibrated "
      "per seed to its Table 1; not real model outputs (docs/simulation.md).";
  m.simulated = true;
  m.splits = {{"train", false}, {"test", true}};
  for (std::size_t g = 0; g < profile.groups.size(); ++g) {
    const GroupProfile& gp = profile.groups[g];
    m.groups.push_back({std::string(gp.name), gp.display, {}});
  }
  for (const SubsetProfile& sp : profile.subsets) {
    const GroupProfile& gp = profile.groups[sp.group];
    m.groups[sp.group].subsets.push_back(m.subsets.size());
    m.subsets.push_back({std::string(sp.id), std::string(sp.name), sp.group,
                         {std::string(gp.metric), gp.min, gp.max, true}});
  }
  for (const ModelProfile& mp : profile.models) {
    m.models.push_back({std::string(mp.name), mp.parameters, std::nullopt, std::nullopt});
  }
  for (const RewardModelProfile& rp : profile.reward_models) {
    m.reward_models.push_back({std::string(rp.name), rp.parameters});
  }
  m.provenance_json = provenance_json(profile, options, cal);
  return m;
}

std::string query_id(std::string_view subset_id, std::size_t index) {
  std::string number = std::to_string(index + 1);
  if (number.size() < 5) number.insert(0, 5 - number.size(), '0');
  return std::string(subset_id) + "/" + number;
}

void fill_queries(Bundle& bundle, const PaperProfile& profile, const QueryPlan& plan,
                  const TagVocabulary& vocabulary, std::uint64_t seed, const RunContext& ctx) {
  const std::size_t n = plan.size();
  Queries& queries = bundle.queries;
  queries.id.resize(n);
  queries.subset.assign(plan.subset.begin(), plan.subset.end());
  queries.split.resize(n);
  queries.input_tokens.resize(n);
  queries.tag_offset = plan.tag_offset;
  queries.tag_ids = plan.tag_ids;
  const TextStyle style;
  queries.text = parallel_map<std::string>(ctx, n, [&](std::size_t q) {
    const std::size_t s = plan.subset[q];
    const SubsetProfile& sp = profile.subsets[s];
    const std::size_t words =
        sp.min_words + random::below(seed, stream(SimStream::kWordCount), q,
                                     sp.max_words - sp.min_words + 1u);
    queries.id[q] = query_id(sp.id, q - plan.subset_begin[s]);
    queries.split[q] = sp.group == profile.train_group ? kTrainSplit : kTestSplit;
    queries.input_tokens[q] = static_cast<std::uint32_t>(
        std::lround(kTokensPerWord * static_cast<double>(words)) + sp.prompt_overhead +
        random::below(seed, stream(SimStream::kInputTokens), q, 8));
    return compose_query_text(vocabulary, style, seed, q, plan.domain[q], plan.tags(q), words,
                              plan.exam[q] != 0);
  });
  bundle.tag_names.reserve(vocabulary.size());
  for (std::size_t t = 0; t < vocabulary.size(); ++t) {
    bundle.tag_names.push_back(vocabulary.name(t));
  }
}

void fill_responses(Bundle& bundle, const PaperProfile& profile, const QueryPlan& plan,
                    const LatentDraws& draws, const Calibration& cal, std::uint64_t seed,
                    const RunContext& ctx) {
  const std::size_t cells = plan.size() * kM;
  Responses& r = bundle.responses;
  r.models = kM;
  r.gold.assign(cells, 0.0);
  r.output_tokens = draws.output_tokens;
  r.dollars.assign(cells, std::numeric_limits<double>::quiet_NaN());
  r.rewards.assign(kPaperRewardModels, std::vector<double>(cells, 0.0));

  // The training collection has no calibrated offsets: its centre plus each candidate's
  // general ability (training_ability).
  const LatentParameters& p = profile.latent;
  const GroupProfile& train = profile.groups[profile.train_group];
  const PerModel ability = training_ability(profile);
  PerModel train_offset{};
  for (std::size_t m = 0; m < kM; ++m) {
    train_offset[m] = p.train_center + train.latent_scale * ability[m];
  }
  const double train_center = subset_center(train_offset);

  parallel_for_each(ctx, plan.size(), [&](std::size_t q) {
    const std::size_t s = plan.subset[q];
    const std::size_t g = profile.subsets[s].group;
    const GroupProfile& group = profile.groups[g];
    const bool is_train = g == profile.train_group;
    const PerModel& offset = is_train ? train_offset : cal.offset[s];
    const double center = is_train ? train_center : subset_center(offset);
    for (std::size_t m = 0; m < kM; ++m) {
      const std::size_t c = q * kM + m;
      const double z = latent_quality(offset[m], group.latent_scale, cal.shared[g],
                                      draws.difficulty[q], draws.expertise[c]);
      const TurnNoise turns =
          group.scale == GoldScale::kTwoTurns ? draw_turn_noise(p, seed, c) : TurnNoise{};
      r.gold[c] = gold_score(group.scale, p, z, turns);
      // A reward model sees the quality less the expertise it misses on factual queries.
      const double quality = (z - center) / group.latent_scale -
                             std::sqrt(1.0 - cal.shared[g]) * draws.missed_expertise[c];
      for (std::size_t k = 0; k < kPaperRewardModels; ++k) {
        r.rewards[k][c] = reward_score(profile.reward_models[k], p, m, cal.signal[s][k], quality,
                                       draws.length_term[c], draws.reward_noise[k][c]);
      }
    }
  });
}

}  // namespace

Bundle synthesize_paper_bundle(const PaperSimOptions& options, const RunContext& ctx) {
  if (options.train_queries > kMaxPaperTrainQueries) {
    throw InputError("paper simulation: train_queries " + std::to_string(options.train_queries) +
                     " exceeds the maximum " + std::to_string(kMaxPaperTrainQueries));
  }
  const PaperProfile& profile = paper_profile();
  const std::uint64_t seed = options.seed;
  const std::vector<std::size_t> counts = subset_query_counts(profile, options.train_queries);
  const QueryPlan plan = plan_queries(profile, TagStyle{}, counts, seed, ctx);
  const LatentDraws draws = draw_latents(profile, plan, options.reward_errors, seed, ctx);
  const Calibration cal =
      calibrate(profile, plan, draws, options.reward_errors.train_signal, seed, ctx);
  const TagVocabulary vocabulary(plan.tag_domain);

  Bundle bundle;
  bundle.manifest = build_manifest(profile, options, cal);
  fill_queries(bundle, profile, plan, vocabulary, seed, ctx);
  fill_responses(bundle, profile, plan, draws, cal, seed, ctx);
  return bundle;
}

}  // namespace zooter::suites
