// mf: matrix-factorisation routing after RouteLLM (Ong et al. 2024, "RouteLLM: Learning to
// Route LLMs with Preference Data", arXiv:2406.18665, section 4.1). A query's hashed n-gram
// vector x is projected to D dimensions, u = P^T x, and candidate m's quality is predicted as
// s(q, m) = u . e_m + b_m; the query goes to the argmax (ties: the first candidate).
//
//   mf@dim=D[,reward=gold|REWARD_MODEL][,epochs=10][,lr=0.01][,l2=1e-4][,lambda=X]
//      [,folds=5][,seed=S]
//
// Training minimises the squared error of s(q, m) against every candidate's training score
// (gold when the train split allows it, else a reward model) by plain SGD over the training
// queries in a seeded order, one pass per epoch. It runs on one thread, so the model is the
// same for any --threads (48,000 x 6 scores train in about a second). Plain SGD on squared
// error diverges when lr is too large for the scores' scale; a diverged model (weights no
// longer finite) would predict NaN for every candidate and send every query to the first, so
// training stops with TrainingDiverged (a usage error) instead. RouteLLM fits the
// factorisation to pairwise preferences with a logistic loss over text embeddings; here the
// scores are regressed directly over hashed n-grams. docs/adapters.md has the comparison.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <string_view>

#include "adapters/adapter_factories.h"
#include "adapters/learning_protocol.h"
#include "adapters/quality_routing.h"
#include "adapters/router/featuriser.h"
#include "adapters/router/training_set.h"
#include "adapters/training_diverged.h"
#include "harness/bundle.h"
#include "harness/error.h"
#include "harness/random.h"

namespace zooter::adapters {
namespace {

using router::Featuriser;
using router::SparseView;

constexpr std::uint64_t kInitStream = 0x4D46494E49540001ULL;   // "MFINIT" + 1
constexpr std::uint64_t kOrderStream = 0x4D464F5244455201ULL;  // "MFORDER" + 1

struct MfOptions {
  std::uint32_t dim = 8;
  std::uint32_t epochs = 10;
  double learning_rate = 0.01;  // the cross-validated choice on RouterDC (docs/results/tuning.md)
  double l2 = 1e-4;
  std::uint64_t seed = 1;
};

// The factorisation: P (buckets x dim), e (models x dim), b (models).
class Factorisation {
 public:
  Factorisation(std::uint32_t buckets, std::size_t models, const MfOptions& o)
      : dim_(o.dim), models_(models), p_(std::size_t{buckets} * o.dim), e_(models * o.dim), b_(models, 0.0f) {
    // Keyed random starts: a zero start would keep P and e at zero forever, and one too small
    // leaves both gradients (each scaled by the other factor) too small to escape it.
    for (std::size_t i = 0; i < p_.size(); ++i) {
      p_[i] = static_cast<float>(0.2 * (random::uniform01(o.seed, kInitStream, i) - 0.5));
    }
    for (std::size_t i = 0; i < e_.size(); ++i) {
      e_[i] = static_cast<float>(random::uniform01(o.seed, kInitStream + 1, i) - 0.5);
    }
  }

  void set_bias(std::span<const double> b) {
    for (std::size_t m = 0; m < models_; ++m) b_[m] = static_cast<float>(b[m]);
  }

  // The mean non-zero features per training query, for flops_per_query.
  void set_mean_features(double f) { mean_features_ = f; }

  // FLOPs per query, estimated at the training queries' mean feature count F, for D dimensions
  // and M candidates (featurising is not counted, as for every router):
  //   project u = P^T x:  2 x F x D    one multiply and one add per (feature, dimension)
  //   predict:            M x 2 x D    per candidate, D multiplies and D adds onto its bias
  //   cost-aware argmax:  2 x M        lambda x relative cost and one subtraction per candidate
  [[nodiscard]] double flops_per_query() const {
    const auto d = static_cast<double>(dim_), m = static_cast<double>(models_);
    return 2.0 * mean_features_ * d + m * 2.0 * d + 2.0 * m;
  }

  // u = P^T x into `u` (dim entries).
  void project(SparseView x, std::vector<float>& u) const {
    u.assign(dim_, 0.0f);
    for (std::size_t i = 0; i < x.size(); ++i) {
      const float* row = &p_[std::size_t{x.index[i]} * dim_];
      for (std::size_t d = 0; d < dim_; ++d) u[d] += x.value[i] * row[d];
    }
  }

  [[nodiscard]] bool finite() const {
    const auto all_finite = [](const std::vector<float>& v) {
      return std::all_of(v.begin(), v.end(), [](float x) { return std::isfinite(x); });
    };
    return all_finite(p_) && all_finite(e_) && all_finite(b_);
  }

  [[nodiscard]] float predict(std::span<const float> u, std::size_t m) const {
    float s = b_[m];
    for (std::size_t d = 0; d < dim_; ++d) s += u[d] * e_[m * dim_ + d];
    return s;
  }

  // One SGD step on query x with targets y (one per model).
  void step(SparseView x, std::span<const double> y, float lr, float l2, std::vector<float>& u,
            std::vector<float>& du) {
    project(x, u);
    du.assign(dim_, 0.0f);
    for (std::size_t m = 0; m < models_; ++m) {
      const float error = predict(u, m) - static_cast<float>(y[m]);
      float* e = &e_[m * dim_];
      for (std::size_t d = 0; d < dim_; ++d) {
        du[d] += error * e[d];
        e[d] -= lr * (error * u[d] + l2 * e[d]);
      }
      b_[m] -= lr * error;
    }
    for (std::size_t i = 0; i < x.size(); ++i) {
      float* row = &p_[std::size_t{x.index[i]} * dim_];
      for (std::size_t d = 0; d < dim_; ++d) row[d] -= lr * (x.value[i] * du[d] + l2 * row[d]);
    }
  }

 private:
  std::size_t dim_;
  std::size_t models_;
  std::vector<float> p_, e_, b_;
  double mean_features_ = 0.0;
};

Factorisation train(const Bundle& bundle, std::span<const std::uint32_t> queries,
                    const Featuriser& featuriser, const router::RewardSource& source,
                    const MfOptions& o, std::string_view name, const RunContext& run) {
  std::vector<std::string_view> texts;
  for (const std::uint32_t q : queries) texts.push_back(bundle.queries.text[q]);
  const router::SparseRows rows = featuriser.rows(texts, run);
  const router::LabelMatrix y = router::reward_matrix(bundle, queries, source);
  const std::size_t models = bundle.model_count();
  Factorisation f(featuriser.config().dimension, models, o);
  std::vector<double> mean(models, 0.0);
  for (std::size_t r = 0; r < y.rows(); ++r) {
    for (std::size_t m = 0; m < models; ++m) mean[m] += y.row(r)[m] / static_cast<double>(y.rows());
  }
  f.set_bias(mean);
  f.set_mean_features(rows.rows() == 0 ? 0.0
                                       : static_cast<double>(rows.index.size()) / static_cast<double>(rows.rows()));
  std::vector<std::uint32_t> order(rows.rows());
  std::vector<float> u, du;
  for (std::uint32_t epoch = 0; epoch < o.epochs; ++epoch) {
    std::iota(order.begin(), order.end(), 0u);
    for (std::size_t i = order.size(); i > 1; --i) {  // Fisher-Yates with keyed draws
      std::swap(order[i - 1], order[random::below(o.seed, kOrderStream + epoch, i, i)]);
    }
    const auto lr = static_cast<float>(o.learning_rate / (1.0 + epoch));  // decaying steps
    for (const std::uint32_t r : order) f.step(rows.row(r), y.row(r), lr, static_cast<float>(o.l2), u, du);
    if (!f.finite()) {
      throw TrainingDiverged(fmt::format(
          "adapter \"{}\": training diverged in epoch {} of {} (its weights are no longer finite); "
          "lr {:g} is too large for these scores: try a smaller lr=",
          name, epoch + 1, o.epochs, o.learning_rate));
    }
  }
  return f;
}

class MfRouter final : public QualityRouter<Factorisation, std::vector<float>> {
 public:
  using QualityRouter::QualityRouter;

 private:
  void predict(std::uint32_t q, SparseView x, std::vector<float>& u,
               std::vector<double>& predicted) const override {
    const Factorisation& f = model_for(q);
    f.project(x, u);
    for (std::size_t m = 0; m < predicted.size(); ++m) predicted[m] = f.predict(u, m);
  }
};

}  // namespace

std::unique_ptr<Adapter> make_mf_router(const AdapterSpec& spec, const AdapterContext& context) {
  spec.allow_only({"dim", "reward", "epochs", "lr", "l2", "lambda", "folds", "seed", "char-ngram", "buckets"});
  MfOptions o;
  o.dim = static_cast<std::uint32_t>(integer_argument(spec, "dim", o.dim, 1, 256));
  o.epochs = static_cast<std::uint32_t>(integer_argument(spec, "epochs", o.epochs, 1, 1000));
  o.learning_rate = number_argument(spec, "lr", o.learning_rate);
  o.l2 = number_argument(spec, "l2", o.l2);
  if (!(o.learning_rate > 0.0) || !(o.l2 >= 0.0)) {
    throw UsageError(fmt::format("adapter \"{}\": lr must be > 0 and l2 >= 0", spec.canonical()));
  }
  o.seed = seed_argument(spec, context);
  router::FeaturiserConfig config;
  config.char_ngram =
      static_cast<std::uint32_t>(integer_argument(spec, "char-ngram", 0, 0, router::kMaxCharNgram));
  config.dimension =
      static_cast<std::uint32_t>(integer_argument(spec, "buckets", 1u << 16, 1, router::kMaxDimension));
  const Featuriser featuriser(config);
  const double lambda = lambda_argument(spec);
  FoldedModels<Factorisation> model = train_by_protocol<Factorisation>(
      spec, context, [&](std::span<const std::uint32_t> queries, const router::RewardSource& source) {
        return train(context.bundle, queries, featuriser, source, o, spec.canonical(), context.run);
      });
  std::vector<std::string> notes = {fmt::format(
      "mf: {}; dim {}, {} epochs, lr {:g}, l2 {:g}, {} hash buckets of word n-grams", model.description,
      o.dim, o.epochs, o.learning_rate, o.l2, config.dimension)};
  const double parameters = static_cast<double>(config.dimension) * o.dim +
                            static_cast<double>(context.bundle.model_count()) * (o.dim + 1);
  // One figure for the report: the folds' (each deciding a share of the queries) mean.
  double flops = 0.0;
  for (const Factorisation& f : model.folds) flops += f.flops_per_query();
  if (!model.folds.empty()) flops /= static_cast<double>(model.folds.size());
  return std::make_unique<MfRouter>(
      context.bundle, QualityRouterParts<Factorisation>{spec.canonical(), featuriser, std::move(model),
                                                        known_relative_costs(context), lambda, std::move(notes),
                                                        parameters, flops});
}

}  // namespace zooter::adapters
