#include "adapters/neighbour_model.h"

#include <algorithm>

#include "harness/bundle.h"

namespace zooter::adapters {

double neighbour_search_flops(const Neighbourhood& hood) {
  return 2.0 * hood.index.mean_postings_visited();
}

Neighbourhood build_neighbourhood(const Bundle& bundle, std::span<const std::uint32_t> train,
                                  const router::Featuriser& featuriser,
                                  const router::RewardSource& source, const RunContext& run) {
  std::vector<std::string_view> texts;
  texts.reserve(train.size());
  for (const std::uint32_t q : train) texts.push_back(bundle.queries.text[q]);
  const router::SparseRows rows = featuriser.rows(texts, run);
  router::LabelMatrix scores = router::reward_matrix(bundle, train, source);
  std::vector<double> mean(bundle.model_count(), 0.0);
  for (std::size_t r = 0; r < scores.rows(); ++r) {
    for (std::size_t m = 0; m < mean.size(); ++m) mean[m] += scores.row(r)[m];
  }
  for (double& v : mean) v /= static_cast<double>(std::max<std::size_t>(scores.rows(), 1));
  return {router::NeighbourIndex(rows, featuriser.config().dimension), std::move(scores), std::move(mean)};
}

}  // namespace zooter::adapters
