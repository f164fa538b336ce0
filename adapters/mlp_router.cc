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

#include "adapters/builtin.h"
#include "adapters/candidate_costs.h"
#include "adapters/router/featuriser.h"
#include "adapters/router/kfold.h"
#include "adapters/router/linear_model.h"
#include "adapters/router/trainer.h"
#include "adapters/router/training_set.h"
#include "harness/bundle.h"
#include "harness/error.h"
#include "harness/parallel.h"
#include "harness/run_context.h"

namespace zooter::adapters {
namespace {

using router::Featuriser;
using router::LinearModel;

LinearModel train_mlp(const Bundle& bundle, std::span<const std::uint32_t> queries,
                      const Featuriser& featuriser, const router::RewardSource& source,
                      std::uint32_t hidden, const router::TrainerConfig& config, const RunContext& run) {
  std::vector<std::string_view> texts;
  std::vector<std::uint64_t> keys;
  for (const std::uint32_t q : queries) {
    texts.push_back(bundle.queries.text[q]);
    keys.push_back(q);
  }
  const router::SparseRows rows = featuriser.rows(texts, run);
  const router::LabelMatrix scores = router::reward_matrix(bundle, queries, source);
  LinearModel model({featuriser.config().dimension, static_cast<std::uint32_t>(bundle.model_count()), hidden},
                    config.seed);
  (void)router::train(model, rows, scores, keys, config, run);
  return model;
}

class MlpRouter final : public Adapter {
 public:
  MlpRouter(const Bundle& bundle, std::string name, Featuriser featuriser, std::vector<LinearModel> folds,
            std::vector<std::int16_t> fold_of, std::vector<double> cost, double lambda,
            std::vector<std::string> notes)
      : bundle_(bundle), name_(std::move(name)), featuriser_(featuriser), folds_(std::move(folds)),
        fold_of_(std::move(fold_of)), cost_(std::move(cost)), lambda_(lambda), notes_(std::move(notes)) {}

  std::string name() const override { return name_; }
  std::string kind() const override { return "router"; }
  std::vector<std::string> notes() const override { return notes_; }
  double router_parameters() const override { return static_cast<double>(folds_.front().parameter_count()); }
  bool cost_aware() const override { return true; }

  std::vector<Decision> decide(std::span<const std::uint32_t> queries, const RunContext& run) const override {
    return decide_at_lambda(queries, lambda_, run);
  }

  std::vector<Decision> decide_at_lambda(std::span<const std::uint32_t> queries, double lambda,
                                         const RunContext& run) const override {
    std::vector<Decision> out(queries.size());
    parallel_blocks(run, queries.size(), [&](std::size_t begin, std::size_t end) {
      Featuriser::Scratch scratch;
      router::SparseVector x;
      router::Activations a;
      for (std::size_t i = begin; i < end; ++i) {
        const std::uint32_t q = queries[i];
        const LinearModel& model = folds_[fold_of_.empty() ? 0 : static_cast<std::size_t>(fold_of_[q])];
        featuriser_.featurise(bundle_.queries.text[q], scratch, x);
        model.forward(view(x), a);
        std::size_t best = 0;
        for (std::size_t m = 1; m < a.logits.size(); ++m) {
          if (a.logits[m] - lambda * cost_[m] > a.logits[best] - lambda * cost_[best]) best = m;
        }
        out[i] = Decision::single(static_cast<int>(best));
        out[i].router_calls = 1;
      }
    });
    return out;
  }

 private:
  const Bundle& bundle_;
  std::string name_;
  Featuriser featuriser_;
  std::vector<LinearModel> folds_;
  std::vector<std::int16_t> fold_of_;
  std::vector<double> cost_;
  double lambda_;
  std::vector<std::string> notes_;
};

std::uint32_t whole(const AdapterSpec& spec, const std::string& key, std::uint32_t fallback,
                    std::uint32_t min, std::uint32_t max) {
  const double v = number_argument(spec, key, fallback);
  if (v != std::floor(v) || v < min || v > max) {
    throw UsageError(fmt::format("adapter \"{}\": {} must be an integer in {}..{}", spec.canonical(), key, min, max));
  }
  return static_cast<std::uint32_t>(v);
}

}  // namespace

std::unique_ptr<Adapter> make_mlp_router(const AdapterSpec& spec, const AdapterContext& context) {
  spec.allow_only({"hidden", "reward", "epochs", "lr", "dim", "lambda", "folds", "seed"});
  const Bundle& bundle = context.bundle;
  const std::uint32_t hidden = whole(spec, "hidden", 32, 1, router::kMaxHidden);
  router::FeaturiserConfig features;
  features.dimension = whole(spec, "dim", features.dimension, 1, router::kMaxDimension);
  const Featuriser featuriser(features);
  router::TrainerConfig config;
  config.loss = router::Loss::kSquaredError;
  config.epochs = whole(spec, "epochs", config.epochs, 1, 10000);
  config.optimiser.learning_rate = number_argument(spec, "lr", config.optimiser.learning_rate);
  config.seed = spec.get("seed") ? whole(spec, "seed", 0, 0, ~0u) : context.run.seed();
  router::validate(config);
  const double lambda = lambda_argument(spec);
  const std::string requested = spec.get("reward").value_or("");
  const std::string what = fmt::format("{} hidden ReLU units, {} epochs, squared error, lr {:g}", hidden,
                                       config.epochs, config.optimiser.learning_rate);
  std::vector<LinearModel> folds;
  std::vector<std::int16_t> fold_of;
  std::vector<std::string> notes;
  if (!context.train.empty()) {
    if (spec.get("folds")) throw UsageError("adapter \"mlp\": folds= applies only to bundles without a train split");
    const router::RewardSource source = router::resolve_reward_source(
        bundle, requested.empty() && context.train_gold_usable ? "gold" : requested, context.train_gold_usable);
    folds.push_back(train_mlp(bundle, context.train, featuriser, source, hidden, config, context.run));
    notes.push_back(fmt::format("mlp: trained on the \"{}\" split ({} queries, scores from {}; {})",
                                context.train_split, context.train.size(), source.name, what));
  } else {
    const auto split = bundle.manifest.find_split(context.evaluated_split);
    const bool gold_usable = split && bundle.manifest.splits[*split].gold_for_training;
    const router::RewardSource source = router::resolve_reward_source(
        bundle, requested.empty() && gold_usable ? "gold" : requested, gold_usable);
    const std::uint32_t k = whole(spec, "folds", 5, 2, router::kMaxFolds);
    const router::FoldPlan plan(context.evaluated, bundle.queries.subset, k, config.seed);
    fold_of.assign(bundle.query_count(), -1);
    for (std::size_t i = 0; i < context.evaluated.size(); ++i) {
      fold_of[context.evaluated[i]] = static_cast<std::int16_t>(plan.fold_at(i));
    }
    for (std::uint32_t f = 0; f < k; ++f) {
      folds.push_back(train_mlp(bundle, plan.training(f), featuriser, source, hidden, config, context.run));
    }
    notes.push_back(fmt::format("mlp: no train split, so {}-fold cross-fitting on the evaluated \"{}\" "
                                "queries (scores from {}; {})",
                                k, context.evaluated_split, source.name, what));
  }
  const std::span<const std::uint32_t> known = context.train.empty() ? context.evaluated : context.train;
  std::vector<double> cost = estimate_candidate_costs(bundle, known).relative;
  return std::make_unique<MlpRouter>(bundle, spec.canonical(), featuriser, std::move(folds),
                                     std::move(fold_of), std::move(cost), lambda, std::move(notes));
}

}  // namespace zooter::adapters
