// The training side of the neighbour-based routers (knn, sw-ranking): the training queries'
// feature vectors in an inverted index, with their scores per candidate; one per fold when the
// bundle has no train split (the same stratified k-fold protocol as zooter), so that every
// evaluated query only ever sees neighbours from other folds.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "adapters/adapter.h"
#include "adapters/router/featuriser.h"
#include "adapters/router/labels.h"
#include "adapters/router/neighbour_index.h"

namespace zooter::adapters {

struct Neighbourhood {
  router::NeighbourIndex index;
  router::LabelMatrix scores;  // row r: training query r's scores per candidate (higher better)
  std::vector<double> mean;    // per candidate over all training queries
};

class NeighbourModel {
 public:
  // Reads the spec's reward=, folds= and seed= (the caller must allow them). Scores are the
  // train split's gold when usable (the default then), else the named reward model's.
  NeighbourModel(const AdapterSpec& spec, const AdapterContext& context,
                 const router::Featuriser& featuriser);

  // The neighbourhood that may answer for bundle query q.
  [[nodiscard]] const Neighbourhood& for_query(std::uint32_t q) const {
    return folds_[fold_of_.empty() ? 0 : static_cast<std::size_t>(fold_of_[q])];
  }
  // Which protocol and scores, for the report's notes.
  [[nodiscard]] const std::string& description() const { return description_; }

 private:
  std::vector<Neighbourhood> folds_;
  std::vector<std::int16_t> fold_of_;
  std::string description_;
};

}  // namespace zooter::adapters
