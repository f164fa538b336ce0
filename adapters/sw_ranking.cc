// sw-ranking: similarity-weighted ranking after RouteLLM (Ong et al. 2024, "RouteLLM: Learning
// to Route LLMs with Preference Data", arXiv:2406.18665, section 4.1). For each query, the
// pairwise outcomes of the training queries (a beats b when a scored higher; ties count half)
// are weighted by how similar each training query is to it, and Bradley-Terry ratings fitted to
// those weighted outcomes rank the candidates; the query goes to the highest rating (ties: the
// first candidate).
//
//   sw-ranking[@k=200][,gamma=10][,reward=gold|REWARD_MODEL][,lambda=X][,folds=5][,seed=S]
//
// Weights: the k most similar training queries (cosine of hashed word n-grams), query i
// weighted exp(gamma x (sim_i - sim_max)); RouteLLM weighs every training comparison by
// gamma^(1 + normalised similarity). A query sharing no feature with any training query is
// ranked by the unweighted fit over all training queries. Ratings are fitted with Hunter's MM
// iteration and a prior of a tenth of a game each way (router/bradley_terry.h).
#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "adapters/adapter_factories.h"
#include "adapters/learning_protocol.h"
#include "adapters/neighbour_model.h"
#include "adapters/quality_routing.h"
#include "adapters/router/bradley_terry.h"
#include "adapters/router/featuriser.h"
#include "harness/bundle.h"
#include "harness/error.h"

namespace zooter::adapters {
namespace {

using router::Featuriser;
using router::NeighbourIndex;

constexpr double kPrior = 0.1;
constexpr std::size_t kIterations = 200;  // the cap of Hunter's MM iteration per query

// FLOPs per query (a deterministic estimate from the training data), per fold and then
// averaged over the folds, each of which decides a share of the queries; M candidates,
// k' = min(k, training rows) neighbours:
//   search:                neighbour_search_flops (neighbour_model.h)
//   weights:               3 x k'              exp(gamma x (sim_j - sim_1)): subtract, multiply, exp
//   outcomes:              k' x M (M - 1) / 2  one weighted add per pair of candidates per
//                                              neighbour (a tie adds two halves; counted as one)
//   Bradley-Terry:         I x (8 M (M - 1) + 4 M)
//       per iteration and ordered pair (a, b): the prior added to wins(a, b) twice and to
//       wins(b, a) once, their sum, p_a + p_b, the division and the two running sums (8); per
//       candidate: its MM ratio, the total, its normalisation and its change (4). I = the cap
//       kIterations: an upper bound, since a fit stops early once no rating moves by 1e-12.
//   cost-aware argmax:     2 x M               lambda x relative cost and one subtraction
// A query sharing no bucket with any training row fits all training outcomes unweighted
// instead; that case is not counted apart.
double sw_ranking_flops(const FoldedModels<Neighbourhood>& model, std::size_t k, std::size_t candidates) {
  const auto m = static_cast<double>(candidates);
  const double fit = static_cast<double>(kIterations) * (8.0 * m * (m - 1.0) + 4.0 * m);
  double sum = 0.0;
  for (const Neighbourhood& hood : model.folds) {
    const auto neighbours = static_cast<double>(std::min(k, hood.index.rows()));
    sum += neighbour_search_flops(hood) + 3.0 * neighbours + neighbours * m * (m - 1.0) / 2.0 + fit +
           2.0 * m;
  }
  return model.folds.empty() ? 0.0 : sum / static_cast<double>(model.folds.size());
}

// Adds training query r's pairwise outcomes with weight w to wins (n x n).
void add_outcomes(std::span<const double> scores, double w, std::vector<double>& wins) {
  const std::size_t n = scores.size();
  for (std::size_t a = 0; a < n; ++a) {
    for (std::size_t b = a + 1; b < n; ++b) {
      if (scores[a] > scores[b]) {
        wins[a * n + b] += w;
      } else if (scores[b] > scores[a]) {
        wins[b * n + a] += w;
      } else {
        wins[a * n + b] += w / 2;
        wins[b * n + a] += w / 2;
      }
    }
  }
}

struct SwScratch {
  NeighbourIndex::Scratch search;
  std::vector<std::uint32_t> nearest;
  std::vector<float> similarity;
  std::vector<double> wins;
};

class SwRanking final : public QualityRouter<Neighbourhood, SwScratch> {
 public:
  SwRanking(const Bundle& bundle, QualityRouterParts<Neighbourhood> parts, std::size_t k, double gamma)
      : QualityRouter(bundle, std::move(parts)), k_(k), gamma_(gamma) {}

 private:
  void predict(std::uint32_t q, router::SparseView x, SwScratch& s, std::vector<double>& rating) const override {
    const std::size_t n = bundle().model_count();
    const Neighbourhood& hood = model_for(q);
    hood.index.nearest(x, k_, s.search, s.nearest, &s.similarity);
    s.wins.assign(n * n, 0.0);
    if (s.nearest.empty()) {
      for (std::size_t r = 0; r < hood.scores.rows(); ++r) add_outcomes(hood.scores.row(r), 1.0, s.wins);
    }
    for (std::size_t j = 0; j < s.nearest.size(); ++j) {
      const double gap = static_cast<double>(s.similarity[j]) - static_cast<double>(s.similarity[0]);
      add_outcomes(hood.scores.row(s.nearest[j]), std::exp(gamma_ * gap), s.wins);
    }
    rating = router::bradley_terry(s.wins, n, kPrior, kIterations);
  }

  std::size_t k_;
  double gamma_;
};

}  // namespace

std::unique_ptr<Adapter> make_sw_ranking(const AdapterSpec& spec, const AdapterContext& context) {
  spec.allow_only({"k", "gamma", "reward", "lambda", "folds", "seed"});
  const auto k = static_cast<std::size_t>(integer_argument(spec, "k", 200, 1, 1000000));
  const double gamma = number_argument(spec, "gamma", 10);
  if (!std::isfinite(gamma) || gamma < 0) throw UsageError("adapter \"sw-ranking\": gamma must be a finite number >= 0");
  router::FeaturiserConfig config;
  config.char_ngram = 0;  // word n-grams, as knn (see there)
  const Featuriser featuriser(config);
  const double lambda = lambda_argument(spec);
  FoldedModels<Neighbourhood> model = train_by_protocol<Neighbourhood>(
      spec, context, [&](std::span<const std::uint32_t> queries, const router::RewardSource& source) {
        return build_neighbourhood(context.bundle, queries, featuriser, source, context.run);
      });
  std::vector<std::string> notes = {fmt::format(
      "sw-ranking: Bradley-Terry over the {} nearest training queries' outcomes, weighted "
      "exp({:g} x (similarity - best similarity)); {}",
      k, gamma, model.description)};
  const double flops = sw_ranking_flops(model, k, context.bundle.model_count());
  return std::make_unique<SwRanking>(
      context.bundle,
      QualityRouterParts<Neighbourhood>{spec.canonical(), featuriser, std::move(model), known_relative_costs(context),
                                        lambda, std::move(notes), 0.0, flops},
      k, gamma);
}

}  // namespace zooter::adapters
