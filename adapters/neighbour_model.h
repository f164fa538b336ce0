// The training side of the neighbour-based routers (knn, sw-ranking): the training queries'
// feature vectors in an inverted index, with their scores per candidate. One per fold when the
// bundle has no train split (learning_protocol.h).
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "adapters/router/featuriser.h"
#include "adapters/router/labels.h"
#include "adapters/router/neighbour_index.h"
#include "adapters/router/training_set.h"

namespace zooter {
struct Bundle;
class RunContext;
}  // namespace zooter

namespace zooter::adapters {

struct Neighbourhood {
  router::NeighbourIndex index;
  router::LabelMatrix scores;  // row r: training query r's scores per candidate (higher better)
  std::vector<double> mean;    // per candidate over all training queries
};

// FLOPs per query of finding a query's neighbours in `hood`, estimated from the training rows
// (a deterministic function of the data, for cost reports). Featurising is not counted, as for
// every router (docs/cost-model.md):
//   similarity: 2 x V        V = mean postings visited (NeighbourIndex::mean_postings_visited):
//                            one multiply and one add per posting of the query's buckets, as a
//                            posting-by-posting search does (the products of 0 that dense
//                            slices add are an implementation detail and not counted)
// Choosing the k nearest only compares similarities: no FLOPs.
[[nodiscard]] double neighbour_search_flops(const Neighbourhood& hood);

[[nodiscard]] Neighbourhood build_neighbourhood(const Bundle& bundle,
                                                std::span<const std::uint32_t> train,
                                                const router::Featuriser& featuriser,
                                                const router::RewardSource& source,
                                                const RunContext& run);

}  // namespace zooter::adapters
