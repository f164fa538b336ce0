#include "reports/drilldown_sample.h"

#include <algorithm>
#include <numeric>

namespace zooter::reports {

DrilldownSample sample_drilldown(std::span<const std::size_t> subset_of,
                                 std::span<const Disagreement> disagreement,
                                 std::size_t subset_count, const DrilldownSampleLimits& limits) {
  const std::size_t n = subset_of.size();
  DrilldownSample sample;
  if (n <= limits.most_disagreeing + limits.per_subset_total) {
    sample.positions.resize(n);
    std::iota(sample.positions.begin(), sample.positions.end(), std::size_t{0});
    return sample;
  }
  std::vector<char> picked(n, 0);

  std::vector<std::size_t> order(n);
  std::iota(order.begin(), order.end(), std::size_t{0});
  const std::size_t top = std::min(limits.most_disagreeing, n);
  // Full tie-break (position last), so the pick is the same on every run and platform.
  std::partial_sort(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(top), order.end(),
                    [&](std::size_t a, std::size_t b) {
                      const Disagreement& x = disagreement[a];
                      const Disagreement& y = disagreement[b];
                      if (x.distinct_answers != y.distinct_answers) {
                        return x.distinct_answers > y.distinct_answers;
                      }
                      if (x.gold_spread != y.gold_spread) return x.gold_spread > y.gold_spread;
                      return a < b;
                    });
  for (std::size_t i = 0; i < top; ++i) picked[order[i]] = 1;
  sample.most_disagreeing = top;

  sample.per_subset = std::max<std::size_t>(1, limits.per_subset_total / std::max<std::size_t>(1, subset_count));
  std::vector<std::vector<std::size_t>> members(subset_count);
  for (std::size_t i = 0; i < n; ++i) members[subset_of[i]].push_back(i);
  for (const std::vector<std::size_t>& m : members) {
    const std::size_t take = std::min(sample.per_subset, m.size());
    for (std::size_t k = 0; k < take; ++k) picked[m[k * m.size() / take]] = 1;
  }
  for (std::size_t i = 0; i < n; ++i) {
    if (picked[i]) sample.positions.push_back(i);
  }
  return sample;
}

}  // namespace zooter::reports
