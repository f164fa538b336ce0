// How the learned routers other than zooter decide (knn, sw-ranking, mlp, mf): featurise the
// query, predict every candidate's quality, pick argmax(quality - lambda x relative cost),
// one router pass and one generation per query. Fixed blocks of queries share one scratch,
// so decisions are the same for any thread count and routing allocates little per query.
//
// QualityRouter is the adapter all four are: what they report and decide() at the spec's
// lambda; each adds only its prediction. A prediction that is not finite stops the run
// (TrainingDiverged) instead of routing: NaN loses every comparison of the argmax, so it would
// silently send the query to the first candidate.
#pragma once

#include <cmath>
#include <cstdint>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "adapters/adapter.h"
#include "adapters/candidate_costs.h"
#include "adapters/learning_protocol.h"
#include "adapters/router/featuriser.h"
#include "adapters/training_diverged.h"
#include "harness/bundle.h"
#include "harness/decision.h"
#include "harness/parallel.h"

namespace zooter::adapters {

// `predict(q, features, scratch, quality)` fills quality (one entry per candidate) for bundle
// query q; `Scratch` is default-constructed once per block of queries.
template <typename Scratch, typename Predict>
[[nodiscard]] std::vector<Decision> route_by_predicted_quality(
    const Bundle& bundle, std::span<const std::uint32_t> queries,
    const router::Featuriser& featuriser, std::span<const double> cost, double lambda,
    const RunContext& run, Predict&& predict) {
  std::vector<Decision> out(queries.size());
  parallel_blocks(run, queries.size(), [&](std::size_t begin, std::size_t end) {
    router::Featuriser::Scratch featurise_scratch;
    router::SparseVector features;
    Scratch scratch;
    std::vector<double> quality(bundle.model_count());
    for (std::size_t i = begin; i < end; ++i) {
      const std::uint32_t q = queries[i];
      featuriser.featurise(bundle.queries.text[q], featurise_scratch, features);
      predict(q, view(features), scratch, quality);
      const std::size_t best = cost_aware_argmax<double>(quality, cost, lambda);
      out[i] = Decision::single(static_cast<int>(best));
      out[i].router_calls = 1;
    }
  });
  return out;
}

// What a QualityRouter is built from (the factory computes the figures before the model
// moves in).
template <typename Model>
struct QualityRouterParts {
  std::string name;  // the canonical spec
  router::Featuriser featuriser;
  FoldedModels<Model> model;
  std::vector<double> cost;  // relative cost per candidate (known_relative_costs)
  double lambda = 0.0;       // the spec's lambda= (lambda_argument)
  std::vector<std::string> notes;
  double parameters = 0.0;       // router_parameters(); 0 when not counted
  double flops_per_query = 0.0;  // router_flops_per_query()
};

// A cost-aware router deciding by route_by_predicted_quality. A derived router adds predict()
// (filling one quality per candidate for bundle query q, with `Scratch` as described above)
// and whatever its prediction needs beyond the model.
template <typename Model, typename Scratch>
class QualityRouter : public Adapter {
 public:
  QualityRouter(const Bundle& bundle, QualityRouterParts<Model> parts)
      : bundle_(bundle), parts_(std::move(parts)) {}

  std::string name() const final { return parts_.name; }
  std::string kind() const final { return "router"; }
  std::vector<std::string> notes() const final { return parts_.notes; }
  double router_parameters() const final { return parts_.parameters; }
  double router_flops_per_query() const final { return parts_.flops_per_query; }
  bool cost_aware() const final { return true; }

  std::vector<Decision> decide(std::span<const std::uint32_t> queries, const RunContext& run) const final {
    return decide_at_lambda(queries, parts_.lambda, run);
  }

  // The same predictions route_by_predicted_quality() makes, with the same blocks and scratch.
  std::vector<double> quality_estimates(std::span<const std::uint32_t> queries, const RunContext& run) const final {
    const std::size_t models = bundle_.model_count();
    std::vector<double> out(queries.size() * models);
    parallel_blocks(run, queries.size(), [&](std::size_t begin, std::size_t end) {
      router::Featuriser::Scratch featurise_scratch;
      router::SparseVector features;
      Scratch scratch;
      std::vector<double> quality(models);
      for (std::size_t i = begin; i < end; ++i) {
        parts_.featuriser.featurise(bundle_.queries.text[queries[i]], featurise_scratch, features);
        predict_finite(queries[i], view(features), scratch, quality);
        std::copy(quality.begin(), quality.end(), out.begin() + static_cast<std::ptrdiff_t>(i * models));
      }
    });
    return out;
  }

  std::vector<Decision> decide_at_lambda(std::span<const std::uint32_t> queries, double lambda,
                                         const RunContext& run) const final {
    return route_by_predicted_quality<Scratch>(
        bundle_, queries, parts_.featuriser, parts_.cost, lambda, run,
        [&](std::uint32_t q, router::SparseView x, Scratch& scratch, std::vector<double>& quality) {
          predict_finite(q, x, scratch, quality);
        });
  }

 protected:
  [[nodiscard]] const Bundle& bundle() const { return bundle_; }
  [[nodiscard]] const Model& model_for(std::uint32_t q) const { return parts_.model.for_query(q); }

  virtual void predict(std::uint32_t q, router::SparseView x, Scratch& scratch,
                       std::vector<double>& quality) const = 0;

 private:
  void predict_finite(std::uint32_t q, router::SparseView x, Scratch& scratch,
                      std::vector<double>& quality) const {
    predict(q, x, scratch, quality);
    for (std::size_t m = 0; m < quality.size(); ++m) {
      if (std::isfinite(quality[m])) continue;
      throw TrainingDiverged(fmt::format(
          "adapter \"{}\": predicted a quality of {} for candidate \"{}\" on query \"{}\"; its "
          "training diverged or overflowed: try a smaller lr= or stronger regularisation",
          parts_.name, quality[m], bundle_.manifest.models[m].name, bundle_.queries.id[q]));
    }
  }

  const Bundle& bundle_;
  QualityRouterParts<Model> parts_;
};

}  // namespace zooter::adapters
