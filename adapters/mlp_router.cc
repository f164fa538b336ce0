// mlp: a small network regressing every candidate's score from the query's hashed n-grams
// (RouterBench's MLP router, Hu et al. 2024, arXiv:2403.12031, section 4), trained with the
// Zooter router's trainer on half the squared error instead of the KL divergence; the query
// goes to the candidate with the highest predicted score (ties: the first candidate).
//
//   mlp@hidden=32[,reward=gold|REWARD_MODEL][,epochs=5][,lr=0.01][,dim=262144][,lambda=X]
//      [,folds=5][,seed=S]
//
// Targets: the training scores (gold when the train split allows it, else a reward model's),
// lower-is-better gold negated. Without a train split, k-fold cross-fitting as for zooter.
// Deterministic for any --threads (the trainer's guarantee).
#include <fmt/format.h>

#include <cmath>

#include "adapters/adapter_factories.h"
#include "adapters/learning_protocol.h"
#include "adapters/quality_routing.h"
#include "adapters/router/featuriser.h"
#include "adapters/router/linear_model.h"
#include "adapters/router/trainer.h"
#include "adapters/router/training_set.h"
#include "harness/bundle.h"
#include "harness/error.h"
#include "harness/run_context.h"

namespace zooter::adapters {
namespace {

using router::Featuriser;
using router::LinearModel;

// Trains one fold's network; adds the fold's mean features per training query to
// `mean_features` (for the FLOPs figure).
LinearModel train_mlp(const Bundle& bundle, std::span<const std::uint32_t> queries,
                      const Featuriser& featuriser, const router::RewardSource& source,
                      std::uint32_t hidden, const router::TrainerConfig& config, const RunContext& run,
                      std::vector<double>& mean_features) {
  std::vector<std::string_view> texts;
  std::vector<std::uint64_t> keys;
  for (const std::uint32_t q : queries) {
    texts.push_back(bundle.queries.text[q]);
    keys.push_back(q);
  }
  const router::SparseRows rows = featuriser.rows(texts, run);
  mean_features.push_back(rows.rows() == 0 ? 0.0
                                            : static_cast<double>(rows.index.size()) /
                                                  static_cast<double>(rows.rows()));
  const router::LabelMatrix scores = router::reward_matrix(bundle, queries, source);
  LinearModel model({featuriser.config().dimension, static_cast<std::uint32_t>(bundle.model_count()), hidden},
                    config.seed);
  (void)router::train(model, rows, scores, keys, config, run);
  return model;
}

class MlpRouter final : public QualityRouter<LinearModel, router::Activations> {
 public:
  using QualityRouter::QualityRouter;

 private:
  void predict(std::uint32_t q, router::SparseView x, router::Activations& a,
               std::vector<double>& predicted) const override {
    model_for(q).forward(x, a);
    std::copy(a.logits.begin(), a.logits.end(), predicted.begin());
  }
};

}  // namespace

std::unique_ptr<Adapter> make_mlp_router(const AdapterSpec& spec, const AdapterContext& context) {
  spec.allow_only({"hidden", "reward", "epochs", "lr", "dim", "lambda", "folds", "seed"});
  const auto hidden = static_cast<std::uint32_t>(integer_argument(spec, "hidden", 32, 1, router::kMaxHidden));
  router::FeaturiserConfig features;
  features.dimension =
      static_cast<std::uint32_t>(integer_argument(spec, "dim", features.dimension, 1, router::kMaxDimension));
  const Featuriser featuriser(features);
  router::TrainerConfig config;
  config.loss = router::Loss::kSquaredError;
  config.epochs = static_cast<std::uint32_t>(integer_argument(spec, "epochs", config.epochs, 1, 10000));
  config.optimiser.learning_rate = number_argument(spec, "lr", config.optimiser.learning_rate);
  config.seed = seed_argument(spec, context);
  router::validate(config);
  const double lambda = lambda_argument(spec);
  std::vector<double> mean_features;  // per fold, in training order
  FoldedModels<LinearModel> model = train_by_protocol<LinearModel>(
      spec, context, [&](std::span<const std::uint32_t> queries, const router::RewardSource& source) {
        return train_mlp(context.bundle, queries, featuriser, source, hidden, config, context.run,
                         mean_features);
      });
  // One figure for the report: the mean over the folds, each deciding a share of the queries.
  double flops = 0.0;
  for (std::size_t f = 0; f < model.folds.size(); ++f) flops += model.folds[f].flops_per_query(mean_features[f]);
  flops /= static_cast<double>(model.folds.size());
  std::vector<std::string> notes = {fmt::format("mlp: {}; {} hidden ReLU units, {} epochs, squared error, lr {:g}",
                                                model.description, hidden, config.epochs,
                                                config.optimiser.learning_rate)};
  const auto parameters = static_cast<double>(model.folds.front().parameter_count());
  return std::make_unique<MlpRouter>(
      context.bundle, QualityRouterParts<LinearModel>{spec.canonical(), featuriser, std::move(model),
                                                      known_relative_costs(context), lambda, std::move(notes),
                                                      parameters, flops});
}

}  // namespace zooter::adapters
