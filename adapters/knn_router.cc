// knn: k-nearest-neighbour routing, the simplest learned router of RouterBench (Hu et al. 2024,
// "RouterBench: A Benchmark for Multi-LLM Routing System", arXiv:2403.12031, section 4). Each
// candidate's quality on a query is predicted as its mean score over the K training queries
// most similar to it (cosine of the featuriser's vectors, exact, ties by training order); the
// query goes to the argmax (ties: the first candidate).
//
//   knn@k=K[,reward=gold|REWARD_MODEL][,char-ngram=N][,dim=D][,lambda=X][,folds=5][,seed=S]
//
// Features: the featuriser's word unigrams and bigrams (char-ngram=N adds character n-grams).
// Training scores: the train split's gold when usable (reward=gold, the default then), or a
// reward model's scores. Without a train split, k-fold cross-fitting as for zooter. A query
// sharing no feature with any training query gets the mean over all training queries.
// docs/adapters.md says how this differs from RouterBench's.
#include <fmt/format.h>

#include <algorithm>

#include "adapters/adapter_factories.h"
#include "adapters/learning_protocol.h"
#include "adapters/neighbour_model.h"
#include "adapters/quality_routing.h"
#include "adapters/router/featuriser.h"
#include "harness/bundle.h"

namespace zooter::adapters {
namespace {

using router::Featuriser;
using router::NeighbourIndex;

// FLOPs per query (a deterministic estimate from the training data), per fold and then
// averaged over the folds, each of which decides a share of the queries:
//   search:                neighbour_search_flops (neighbour_model.h)
//   predict:               k' x M + M   the k' = min(k, training rows) neighbours' scores
//                                       summed per candidate, then M divisions
//   cost-aware argmax:     2 x M        lambda x relative cost and one subtraction per candidate
// for M candidates. A query sharing no bucket with any training row takes the precomputed
// mean instead of the prediction; that saving is not subtracted.
double knn_flops(const FoldedModels<Neighbourhood>& model, std::size_t k, std::size_t candidates) {
  const auto m = static_cast<double>(candidates);
  double sum = 0.0;
  for (const Neighbourhood& hood : model.folds) {
    const auto neighbours = static_cast<double>(std::min(k, hood.index.rows()));
    sum += neighbour_search_flops(hood) + neighbours * m + m + 2.0 * m;
  }
  return model.folds.empty() ? 0.0 : sum / static_cast<double>(model.folds.size());
}

struct KnnScratch {
  NeighbourIndex::Scratch search;
  std::vector<std::uint32_t> nearest;
};

class KnnRouter final : public QualityRouter<Neighbourhood, KnnScratch> {
 public:
  KnnRouter(const Bundle& bundle, QualityRouterParts<Neighbourhood> parts, std::size_t k)
      : QualityRouter(bundle, std::move(parts)), k_(k) {}

 private:
  void predict(std::uint32_t q, router::SparseView x, KnnScratch& s,
               std::vector<double>& predicted) const override {
    const Neighbourhood& n = model_for(q);
    n.index.nearest(x, k_, s.search, s.nearest);
    if (s.nearest.empty()) {
      predicted = n.mean;
      return;
    }
    std::fill(predicted.begin(), predicted.end(), 0.0);
    for (const std::uint32_t r : s.nearest) {
      for (std::size_t m = 0; m < predicted.size(); ++m) predicted[m] += n.scores.row(r)[m];
    }
    for (double& p : predicted) p /= static_cast<double>(s.nearest.size());
  }

  std::size_t k_;
};

}  // namespace

std::unique_ptr<Adapter> make_knn_router(const AdapterSpec& spec, const AdapterContext& context) {
  spec.allow_only({"k", "reward", "char-ngram", "dim", "lambda", "folds", "seed"});
  const auto k = static_cast<std::size_t>(integer_argument(spec, "k", 10, 1, 100000));
  router::FeaturiserConfig config;
  config.dimension =
      static_cast<std::uint32_t>(integer_argument(spec, "dim", config.dimension, 1, router::kMaxDimension));
  // Words only by default: character n-grams give every query hundreds of thousands of
  // postings to walk (bench/knn_bench.cc: about 10x slower) for little gain in who is nearest.
  config.char_ngram =
      static_cast<std::uint32_t>(integer_argument(spec, "char-ngram", 0, 0, router::kMaxCharNgram));
  const Featuriser featuriser(config);
  const double lambda = lambda_argument(spec);
  FoldedModels<Neighbourhood> model = train_by_protocol<Neighbourhood>(
      spec, context, [&](std::span<const std::uint32_t> queries, const router::RewardSource& source) {
        return build_neighbourhood(context.bundle, queries, featuriser, source, context.run);
      });
  std::vector<std::string> notes = {fmt::format(
      "knn: mean score of the {} nearest by cosine of hashed n-grams; {}", k, model.description)};
  const double flops = knn_flops(model, k, context.bundle.model_count());
  return std::make_unique<KnnRouter>(
      context.bundle,
      QualityRouterParts<Neighbourhood>{spec.canonical(), featuriser, std::move(model), known_relative_costs(context),
                                        lambda, std::move(notes), 0.0, flops},
      k);
}

}  // namespace zooter::adapters
