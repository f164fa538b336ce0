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

[[nodiscard]] Neighbourhood build_neighbourhood(const Bundle& bundle,
                                                std::span<const std::uint32_t> train,
                                                const router::Featuriser& featuriser,
                                                const router::RewardSource& source,
                                                const RunContext& run);

}  // namespace zooter::adapters
