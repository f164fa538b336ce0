// How the learned routers other than zooter decide (knn, sw-ranking, mlp, mf): featurise the
// query, predict every candidate's quality, pick argmax(quality - lambda x relative cost),
// one router pass and one generation per query. Fixed blocks of queries share one scratch,
// so decisions are the same for any thread count and routing allocates little per query.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "adapters/candidate_costs.h"
#include "adapters/router/featuriser.h"
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

}  // namespace zooter::adapters
