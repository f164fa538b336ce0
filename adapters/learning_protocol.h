// What a learned router may learn from, as knn, sw-ranking, mlp and mf share it: the train
// split when the bundle has one; otherwise stratified k-fold cross-fitting on the evaluated
// queries (router/kfold.h), one model per fold, so that every evaluated query is decided by a
// model that never saw it. The training scores are the gold when the training queries' split
// allows learning from it (the default then), else the reward model named by reward=.
//
// Reads the spec's reward=, folds= and seed= (the adapter must allow them).
#pragma once

#include <fmt/format.h>

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "adapters/adapter.h"
#include "adapters/candidate_costs.h"
#include "adapters/router/kfold.h"
#include "adapters/router/training_set.h"
#include "harness/bundle.h"
#include "harness/error.h"
#include "harness/run_context.h"

namespace zooter::adapters {

template <typename Model>
struct FoldedModels {
  std::vector<Model> folds;
  std::vector<std::int16_t> fold_of;  // per bundle query; empty: folds[0] decides every query
  std::string description;            // the protocol and the score source, for notes

  [[nodiscard]] const Model& for_query(std::uint32_t q) const {
    return folds[fold_of.empty() ? 0 : static_cast<std::size_t>(fold_of[q])];
  }
};

// The seed= argument, or the run's seed.
[[nodiscard]] inline std::uint64_t seed_argument(const AdapterSpec& spec, const AdapterContext& context) {
  return integer_argument(spec, "seed", context.run.seed(), 0, ~std::uint64_t{0});
}

// `train(queries, source)` returns the Model learned from those bundle queries' scores.
template <typename Model, typename Train>
[[nodiscard]] FoldedModels<Model> train_by_protocol(const AdapterSpec& spec,
                                                    const AdapterContext& context, Train&& train) {
  const Bundle& bundle = context.bundle;
  const std::string requested = spec.get("reward").value_or("");
  auto source_for = [&](bool gold_usable) {
    return router::resolve_reward_source(bundle, requested.empty() && gold_usable ? "gold" : requested,
                                         gold_usable);
  };
  FoldedModels<Model> out;
  if (!context.train.empty()) {
    if (spec.get("folds")) {
      throw UsageError("adapter \"" + spec.name + "\": folds= applies only to bundles without a train split");
    }
    const router::RewardSource source = source_for(context.train_gold_usable);
    out.folds.push_back(train(context.train, source));
    out.description = fmt::format("trained on the \"{}\" split ({} queries), scores from {}",
                                  context.train_split, context.train.size(), source.name);
    return out;
  }
  const auto split = bundle.manifest.find_split(context.evaluated_split);
  const router::RewardSource source =
      source_for(split && bundle.manifest.splits[*split].gold_for_training);
  const auto k = static_cast<std::uint32_t>(integer_argument(spec, "folds", 5, 2, router::kMaxFolds));
  const router::FoldPlan plan(context.evaluated, bundle.queries.subset, k, seed_argument(spec, context));
  out.fold_of.assign(bundle.query_count(), -1);
  for (std::size_t i = 0; i < context.evaluated.size(); ++i) {
    out.fold_of[context.evaluated[i]] = static_cast<std::int16_t>(plan.fold_at(i));
  }
  for (std::uint32_t f = 0; f < k; ++f) out.folds.push_back(train(plan.training(f), source));
  out.description = fmt::format(
      "no train split, so {}-fold cross-fitting on the evaluated \"{}\" queries (folds stratified "
      "by subset; each query decided by a model that never saw it), scores from {}",
      k, context.evaluated_split, source.name);
  return out;
}

// The relative cost of each candidate (candidate_costs.h) on the queries the adapter may look
// at: the train split, or the evaluated queries when there is none (costs are not labels).
[[nodiscard]] inline std::vector<double> known_relative_costs(const AdapterContext& context) {
  const std::span<const std::uint32_t> known = context.train.empty() ? context.evaluated : context.train;
  return estimate_candidate_costs(context.bundle, known).relative;
}

}  // namespace zooter::adapters
