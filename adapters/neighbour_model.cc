#include "adapters/neighbour_model.h"

#include <fmt/format.h>

#include <cmath>

#include "adapters/router/kfold.h"
#include "adapters/router/training_set.h"
#include "harness/bundle.h"
#include "harness/error.h"
#include "harness/run_context.h"

namespace zooter::adapters {
namespace {

constexpr std::uint32_t kDefaultFolds = 5;

Neighbourhood build(const Bundle& bundle, std::span<const std::uint32_t> train,
                    const router::Featuriser& featuriser, const router::RewardSource& source,
                    const RunContext& run) {
  std::vector<std::string_view> texts;
  texts.reserve(train.size());
  for (const std::uint32_t q : train) texts.push_back(bundle.queries.text[q]);
  const router::SparseRows rows = featuriser.rows(texts, run);
  router::LabelMatrix scores = router::reward_matrix(bundle, train, source);
  std::vector<double> mean(bundle.model_count(), 0.0);
  for (std::size_t r = 0; r < scores.rows(); ++r) {
    for (std::size_t m = 0; m < mean.size(); ++m) mean[m] += scores.row(r)[m];
  }
  for (double& v : mean) v /= static_cast<double>(std::max<std::size_t>(scores.rows(), 1));
  return {router::NeighbourIndex(rows, featuriser.config().dimension), std::move(scores), std::move(mean)};
}

std::uint32_t whole(const AdapterSpec& spec, const std::string& key, std::uint32_t fallback,
                    std::uint32_t min, std::uint32_t max) {
  const double v = number_argument(spec, key, fallback);
  if (v != std::floor(v) || v < min || v > max) {
    throw UsageError(fmt::format("adapter \"{}\": {} must be an integer in {}..{}", spec.canonical(), key, min, max));
  }
  return static_cast<std::uint32_t>(v);
}

}  // namespace

NeighbourModel::NeighbourModel(const AdapterSpec& spec, const AdapterContext& context,
                               const router::Featuriser& featuriser) {
  const Bundle& bundle = context.bundle;
  const std::string requested = spec.get("reward").value_or("");
  if (!context.train.empty()) {
    if (spec.get("folds")) {
      throw UsageError("adapter \"" + spec.name + "\": folds= applies only to bundles without a train split");
    }
    const router::RewardSource source = router::resolve_reward_source(
        bundle, requested.empty() && context.train_gold_usable ? "gold" : requested, context.train_gold_usable);
    folds_.push_back(build(bundle, context.train, featuriser, source, context.run));
    description_ = fmt::format("neighbours from the {} \"{}\" queries, scores from {}", context.train.size(),
                               context.train_split, source.name);
    return;
  }
  const auto split = bundle.manifest.find_split(context.evaluated_split);
  const bool gold_usable = split && bundle.manifest.splits[*split].gold_for_training;
  const router::RewardSource source =
      router::resolve_reward_source(bundle, requested.empty() && gold_usable ? "gold" : requested, gold_usable);
  const std::uint32_t k = whole(spec, "folds", kDefaultFolds, 2, router::kMaxFolds);
  const std::uint64_t seed = spec.get("seed") ? whole(spec, "seed", 0, 0, ~0u) : context.run.seed();
  const router::FoldPlan plan(context.evaluated, bundle.queries.subset, k, seed);
  fold_of_.assign(bundle.query_count(), -1);
  for (std::size_t i = 0; i < context.evaluated.size(); ++i) {
    fold_of_[context.evaluated[i]] = static_cast<std::int16_t>(plan.fold_at(i));
  }
  for (std::uint32_t f = 0; f < k; ++f) {
    folds_.push_back(build(bundle, plan.training(f), featuriser, source, context.run));
  }
  description_ = fmt::format(
      "no train split, so {}-fold cross-fitting on the evaluated \"{}\" queries (each query's "
      "neighbours come from the other folds), scores from {}",
      k, context.evaluated_split, source.name);
}

}  // namespace zooter::adapters
