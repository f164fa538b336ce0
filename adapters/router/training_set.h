// From a bundle to what the trainer eats: the features of the training queries and their
// (enhanced) target distributions, built from the chosen reward source.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "adapters/router/featuriser.h"
#include "adapters/router/labels.h"
#include "adapters/router/router_options.h"

namespace zooter {
struct Bundle;
class RunContext;
}  // namespace zooter

namespace zooter::adapters::router {

inline constexpr const char* kGoldReward = "gold";
inline constexpr const char* kPreferredReward = "qwen-rm";

// The scores labels are distilled from: a reward model of the bundle, or the gold scores.
struct RewardSource {
  std::optional<std::size_t> reward_model;  // nullopt: gold
  std::string name;                         // the reward model's name, or "gold"
};

// Resolves `requested` (a reward model name, "gold", or empty for the default: "qwen-rm" if
// present, else the first reward model, else gold when usable). Throws InputError for an
// unknown reward model or for gold when `gold_usable` is false (the split's gold may not be
// learned from), and UsageError when nothing is available by default.
[[nodiscard]] RewardSource resolve_reward_source(const Bundle& bundle, const std::string& requested,
                                                 bool gold_usable);

// The normalisation of rewards when none is asked for, by the reward's kind. Gold scores are
// bounded, each on its subset's metric scale, and are standardised per query (query-z): it beat
// none at every setting of a 5-fold cross-validated grid on the train splits of RouterDC and
// RouterBench (docs/results/tuning.md, "Defaults"). A reward model's scores are unbounded, and
// the paper distils them raw: none. `requested` wins when set.
[[nodiscard]] Normalisation resolve_normalisation(std::optional<Normalisation> requested,
                                                  const RewardSource& source);

// The rewards of `queries` (one row per query, one column per candidate). Gold of a subset
// whose metric is lower-is-better is negated, so higher is always better.
[[nodiscard]] LabelMatrix reward_matrix(const Bundle& bundle,
                                        std::span<const std::uint32_t> queries,
                                        const RewardSource& source);

// The bundle tags of `queries`, renumbered densely in order of first appearance.
[[nodiscard]] TagLists bundle_tags(const Bundle& bundle, std::span<const std::uint32_t> queries);

struct TrainingSet {
  SparseRows features;              // row i: queries[i]
  LabelMatrix labels;               // enhanced targets, row i: queries[i]
  std::vector<std::uint64_t> keys;  // the bundle query index of each row
  std::size_t tagged_queries = 0;   // rows that carried at least one tag
  std::size_t tag_count = 0;        // distinct tags in use
};

// Featurises `queries` and builds their labels: rewards -> normalisation (resolve_normalisation)
// -> silver (or hard) labels -> tag enhancement, as `labels` says. Cluster tags are drawn with `seed`.
[[nodiscard]] TrainingSet make_training_set(const Bundle& bundle,
                                            std::span<const std::uint32_t> queries,
                                            const Featuriser& featuriser,
                                            const RewardSource& source, const LabelOptions& labels,
                                            std::uint64_t seed, const RunContext& run);

}  // namespace zooter::adapters::router
