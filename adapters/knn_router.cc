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

#include "adapters/builtin.h"
#include "adapters/candidate_costs.h"
#include "adapters/neighbour_model.h"
#include "adapters/router/featuriser.h"
#include "harness/bundle.h"
#include "harness/error.h"
#include "harness/parallel.h"

namespace zooter::adapters {
namespace {

using router::Featuriser;
using router::NeighbourIndex;

class KnnRouter final : public Adapter {
 public:
  KnnRouter(const Bundle& bundle, std::string name, Featuriser featuriser, std::size_t k,
            NeighbourModel model, std::vector<double> cost, double lambda,
            std::vector<std::string> notes)
      : bundle_(bundle),
        name_(std::move(name)),
        featuriser_(featuriser),
        k_(k),
        model_(std::move(model)),
        cost_(std::move(cost)),
        lambda_(lambda),
        notes_(std::move(notes)) {}

  std::string name() const override { return name_; }
  std::string kind() const override { return "router"; }
  std::vector<std::string> notes() const override { return notes_; }
  bool cost_aware() const override { return true; }

  std::vector<Decision> decide(std::span<const std::uint32_t> queries,
                               const RunContext& run) const override {
    return decide_at_lambda(queries, lambda_, run);
  }

  std::vector<Decision> decide_at_lambda(std::span<const std::uint32_t> queries, double lambda,
                                         const RunContext& run) const override {
    std::vector<Decision> out(queries.size());
    const std::size_t models = bundle_.model_count();
    parallel_blocks(run, queries.size(), [&](std::size_t begin, std::size_t end) {
      Featuriser::Scratch featurise_scratch;
      router::SparseVector features;
      NeighbourIndex::Scratch search;
      std::vector<std::uint32_t> nearest;
      std::vector<double> predicted(models);
      for (std::size_t i = begin; i < end; ++i) {
        const std::uint32_t q = queries[i];
        const Neighbourhood& n = model_.for_query(q);
        featuriser_.featurise(bundle_.queries.text[q], featurise_scratch, features);
        n.index.nearest(view(features), k_, search, nearest);
        if (nearest.empty()) {
          predicted = n.mean;
        } else {
          std::fill(predicted.begin(), predicted.end(), 0.0);
          for (const std::uint32_t r : nearest) {
            for (std::size_t m = 0; m < models; ++m) predicted[m] += n.scores.row(r)[m];
          }
          for (double& p : predicted) p /= static_cast<double>(nearest.size());
        }
        std::size_t best = 0;
        for (std::size_t m = 1; m < models; ++m) {
          if (predicted[m] - lambda * cost_[m] > predicted[best] - lambda * cost_[best]) best = m;
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
  std::size_t k_;
  NeighbourModel model_;
  std::vector<double> cost_;
  double lambda_;
  std::vector<std::string> notes_;
};

std::uint32_t integer(const AdapterSpec& spec, const std::string& key, std::uint32_t fallback,
                      std::uint32_t min, std::uint32_t max) {
  const double value = number_argument(spec, key, fallback);
  if (value != static_cast<double>(static_cast<std::uint32_t>(value)) || value < min || value > max) {
    throw UsageError(fmt::format("adapter \"{}\": {} must be an integer in {}..{}",
                                 spec.canonical(), key, min, max));
  }
  return static_cast<std::uint32_t>(value);
}

}  // namespace

std::unique_ptr<Adapter> make_knn_router(const AdapterSpec& spec, const AdapterContext& context) {
  spec.allow_only({"k", "reward", "char-ngram", "dim", "lambda", "folds", "seed"});
  const Bundle& bundle = context.bundle;
  const std::uint32_t k = integer(spec, "k", 10, 1, 100000);
  router::FeaturiserConfig config;
  config.dimension = integer(spec, "dim", config.dimension, 1, router::kMaxDimension);
  // Words only by default: character n-grams give every query thousands of postings to walk
  // (bench/knn_bench.cc: about 15x slower) for little gain in who is nearest.
  config.char_ngram = integer(spec, "char-ngram", 0, 0, router::kMaxCharNgram);
  const Featuriser featuriser(config);
  const double lambda = lambda_argument(spec);
  NeighbourModel model(spec, context, featuriser);
  std::vector<std::string> notes = {fmt::format(
      "knn: mean score of the {} nearest by cosine of hashed n-grams; {}", k, model.description())};
  const std::span<const std::uint32_t> known = context.train.empty() ? context.evaluated : context.train;
  std::vector<double> cost = estimate_candidate_costs(bundle, known).relative;
  return std::make_unique<KnnRouter>(bundle, spec.canonical(), featuriser, k, std::move(model),
                                     std::move(cost), lambda, std::move(notes));
}

}  // namespace zooter::adapters
