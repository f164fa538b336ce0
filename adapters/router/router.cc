#include "adapters/router/router.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "adapters/candidate_costs.h"
#include "adapters/router/training_set.h"
#include "adapters/training_diverged.h"
#include "harness/bundle.h"
#include "harness/error.h"

namespace zooter::adapters::router {

Router::Router(FeaturiserConfig featuriser, LinearModel model, RouterInfo info)
    : featuriser_(featuriser), model_(std::move(model)), info_(std::move(info)) {
  if (model_.shape().outputs != info_.candidates.size()) {
    throw InputError("router: the model has " + std::to_string(model_.shape().outputs) +
                     " outputs but " + std::to_string(info_.candidates.size()) + " candidates");
  }
  if (model_.shape().dimension != featuriser.dimension) {
    throw InputError("router: the model expects " + std::to_string(model_.shape().dimension) +
                     " features, the featuriser makes " + std::to_string(featuriser.dimension));
  }
}

std::size_t Router::route(std::string_view text) const {
  State state;
  return route(text, state);
}

std::size_t Router::route(std::string_view text, State& state) const {
  featurise(text, state);
  return model_.route(view(state.features), state.activations);
}

void Router::featurise(std::string_view text, State& state) const {
  // The weight rows are asked for as soon as the buckets are known, so that they arrive while
  // the sparse vector is being built: a fifth of routing time was waiting for them.
  featuriser_.hash(text, state.scratch);
  model_.prefetch_rows(state.scratch.hashed());
  featuriser_.vectorise(state.scratch, state.features);
}

std::size_t Router::route(std::string_view text, std::span<const double> cost, double lambda,
                          State& state) const {
  if (lambda == 0.0) return route(text, state);
  ZOOTER_CHECK(cost.size() == candidates().size());
  featurise(text, state);
  model_.forward(view(state.features), state.activations);
  return cost_aware_argmax<float>(state.activations.probs, cost, lambda);
}

std::vector<double> Router::probabilities(std::string_view text) const {
  Activations a;
  model_.forward(view(featuriser_(text)), a);
  return {a.probs.begin(), a.probs.end()};
}

Router train_router(const TrainingData& data, const RouterOptions& options, const RunContext& run,
                    ProgressSink progress) {
  validate(options);
  const Bundle& bundle = data.bundle;
  if (data.queries.empty()) throw InputError("zooter: no training queries");
  const RewardSource source = resolve_reward_source(bundle, options.reward, data.gold_usable);
  const Featuriser featuriser(options.featuriser);
  const TrainingSet set = make_training_set(bundle, data.queries, featuriser, source,
                                            options.labels, options.trainer.seed, run);

  const ModelShape shape{options.featuriser.dimension,
                         static_cast<std::uint32_t>(bundle.model_count()), options.hidden};
  LinearModel model(shape, options.trainer.seed);
  RouterInfo info;
  info.summary = train(model, set.features, set.labels, set.keys, options.trainer, run, progress);
  // Adam bounds every step by about lr, so only an absurd lr gets here; but a router with
  // overflowed weights would send every query to its first candidate (NaN loses every
  // comparison), and its file could not be read back (router files hold finite weights).
  const std::span<const float> weights = model.parameters();
  if (std::any_of(weights.begin(), weights.end(), [](float w) { return !std::isfinite(w); })) {
    throw TrainingDiverged(fmt::format(
        "zooter: training diverged after {} epochs (its weights are no longer finite); lr {:g} is "
        "too large: try a smaller lr=",
        info.summary.epochs_run, options.trainer.optimiser.learning_rate));
  }
  for (const Model& m : bundle.manifest.models) info.candidates.push_back(m.name);
  info.reward = source.name;
  info.options = options;
  info.options.reward = source.name;
  info.options.labels.normalisation = resolve_normalisation(options.labels.normalisation, source);
  info.suite = bundle.manifest.suite;
  info.bundle_hash = bundle.content_hash;
  info.trained_on = data.description;
  info.tagged_queries = set.tagged_queries;
  info.tag_count = set.tag_count;
  info.mean_nonzeros =
      static_cast<double>(set.features.index.size()) / static_cast<double>(set.features.rows());
  return Router(options.featuriser, std::move(model), std::move(info));
}

}  // namespace zooter::adapters::router
