// Every setting of Zooter router training in one place, with all defaults here (fastText's
// Args): the adapter fills it from `zooter@k=v,...`, a `zooter train` command from its flags.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "adapters/router/featuriser.h"
#include "adapters/router/labels.h"
#include "adapters/router/trainer.h"

namespace zooter::adapters::router {

// Where the tags of the label enhancement come from.
enum class TagSource {
  kBundle,   // the queries' tags in the bundle (none: the enhancement is a no-op)
  kCluster,  // spherical k-means clusters of the training queries (tag_clusters.h)
  kNone,     // ignore tags: plain distillation whatever beta says
};

struct LabelOptions {
  double beta = 0.3;        // the paper's best; 0 = plain distillation, 1 = tag-level labels only
  bool hard_label = false;  // one-hot arg-max reward instead of the softmax (ablation)
  double temperature = 1.0;
  // nullopt: chosen by the kind of reward once its source is known (resolve_normalisation in
  // training_set.h); a trained router's options always hold the resolved value.
  std::optional<Normalisation> normalisation;
  TagSource tags = TagSource::kBundle;
  std::uint32_t clusters = 0;  // K, with TagSource::kCluster
};

// "bundle", "none", "cluster:K"; parse throws UsageError.
[[nodiscard]] std::string tags_name(const LabelOptions& labels);
void parse_tags(const std::string& text, LabelOptions& labels);

struct RouterOptions {
  std::string reward;  // reward model name or "gold"; empty: the default (reward_source.h)
  LabelOptions labels;
  FeaturiserConfig featuriser;
  std::uint32_t hidden = 0;  // hidden ReLU units; 0: linear
  TrainerConfig trainer;
};

// Throws UsageError naming the first setting out of range.
void validate(const RouterOptions& options);

// One line for notes and logs: "beta=0.3 temperature=1 normalise=none tags=bundle ...";
// an unresolved normalisation is printed "normalise=default".
[[nodiscard]] std::string describe(const RouterOptions& options);

}  // namespace zooter::adapters::router
