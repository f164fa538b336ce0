#include "adapters/router/training_set.h"

#include <unordered_map>

#include "adapters/router/tag_clusters.h"
#include "harness/bundle.h"
#include "harness/error.h"

namespace zooter::adapters::router {

RewardSource resolve_reward_source(const Bundle& bundle, const std::string& requested,
                                   bool gold_usable) {
  const Manifest& m = bundle.manifest;
  if (requested == kGoldReward) {
    if (!gold_usable) {
      throw InputError(
          "zooter: reward=gold needs a training split whose gold may be learned "
          "from (gold_for_training is false for it)");
    }
    return {std::nullopt, kGoldReward};
  }
  if (!requested.empty()) {
    if (auto r = m.find_reward_model(requested)) return {*r, requested};
    std::string known;
    for (const RewardModel& rm : m.reward_models) known += (known.empty() ? "" : ", ") + rm.name;
    throw InputError("zooter: unknown reward model \"" + requested + "\" (bundle has: " +
                     (known.empty() ? "none" : known) + (gold_usable ? "; or gold" : "") + ")");
  }
  if (auto r = m.find_reward_model(kPreferredReward)) return {*r, kPreferredReward};
  if (!m.reward_models.empty()) return {0, m.reward_models.front().name};
  if (gold_usable) return {std::nullopt, kGoldReward};
  throw UsageError(
      "zooter: the bundle has no reward model and the training split's gold may "
      "not be learned from; nothing to distil labels from");
}

Normalisation resolve_normalisation(std::optional<Normalisation> requested,
                                    const RewardSource& source) {
  if (requested) return *requested;
  return source.reward_model ? Normalisation::kNone : Normalisation::kQueryZ;
}

LabelMatrix reward_matrix(const Bundle& bundle, std::span<const std::uint32_t> queries,
                          const RewardSource& source) {
  const std::size_t models = bundle.model_count();
  LabelMatrix out(queries.size(), models);
  for (std::size_t i = 0; i < queries.size(); ++i) {
    const std::uint32_t q = queries[i];
    const auto row = out.row(i);
    if (source.reward_model) {
      for (std::size_t m = 0; m < models; ++m) row[m] = bundle.reward(*source.reward_model, q, m);
    } else {
      const bool higher = bundle.manifest.subsets[bundle.queries.subset[q]].metric.higher_is_better;
      for (std::size_t m = 0; m < models; ++m)
        row[m] = higher ? bundle.gold(q, m) : -bundle.gold(q, m);
    }
  }
  return out;
}

TagLists bundle_tags(const Bundle& bundle, std::span<const std::uint32_t> queries) {
  TagLists tags;
  std::unordered_map<std::uint32_t, std::uint32_t> dense;  // bundle tag id -> tag list id
  for (std::uint32_t q : queries) {
    for (std::uint32_t t : bundle.queries.tags(q)) {
      const auto [it, inserted] = dense.try_emplace(t, static_cast<std::uint32_t>(dense.size()));
      tags.ids.push_back(it->second);
    }
    tags.offset.push_back(static_cast<std::uint32_t>(tags.ids.size()));
  }
  tags.count = dense.size();
  return tags;
}

TrainingSet make_training_set(const Bundle& bundle, std::span<const std::uint32_t> queries,
                              const Featuriser& featuriser, const RewardSource& source,
                              const LabelOptions& options, std::uint64_t seed,
                              const RunContext& run) {
  TrainingSet set;
  std::vector<std::string_view> texts;
  texts.reserve(queries.size());
  for (std::uint32_t q : queries) {
    texts.emplace_back(bundle.queries.text[q]);
    set.keys.push_back(q);
  }
  set.features = featuriser.rows(texts, run);

  const LabelMatrix rewards =
      normalise_rewards(reward_matrix(bundle, queries, source),
                        resolve_normalisation(options.normalisation, source));
  // Zooter paper §3.2: s(q) = softmax(r(q)); the hard-label ablation uses the arg-max instead.
  const LabelMatrix labels =
      options.hard_label ? hard_labels(rewards) : silver_labels(rewards, options.temperature);

  TagLists tags;
  switch (options.tags) {
    case TagSource::kBundle:
      tags = bundle_tags(bundle, queries);
      break;
    case TagSource::kCluster:
      tags = cluster_tags(set.features, options.clusters, seed, run);
      break;
    case TagSource::kNone:
      tags.offset.assign(queries.size() + 1, 0);
      break;
  }
  for (std::size_t r = 0; r < tags.rows(); ++r) set.tagged_queries += tags.of(r).empty() ? 0 : 1;
  set.tag_count = tags.count;
  set.labels = enhance_with_tags(labels, tags, options.beta);
  return set;
}

}  // namespace zooter::adapters::router
