// Which evaluated queries the HTML drill-down shows. A page that embeds every query grows with
// the bundle (318 MB at 548k queries x 8 candidates); this picks a bounded, deterministic
// sample instead, so report.html stays small at any size. It is not a statistical sample for
// estimating anything: every figure of the report is computed on all queries, and this only
// chooses which rows a reader can inspect.
#pragma once

#include <cstddef>
#include <span>
#include <vector>

namespace zooter::reports {

// How much two or more adapters disagree on one query: the number of distinct candidates the
// routing adapters chose, then how far apart the chosen answers' gold scores lie, as a share of
// the subset's scale. Larger is more interesting.
struct Disagreement {
  std::size_t distinct_answers = 0;
  double gold_spread = 0.0;  // 0 when unknown
};

struct DrilldownSampleLimits {
  std::size_t most_disagreeing = 1000;  // queries picked by Disagreement
  std::size_t per_subset_total = 1000;  // shared evenly by the subsets: max(1, this / subsets)
};

struct DrilldownSample {
  std::vector<std::size_t> positions;  // into the evaluated queries, increasing
  std::size_t most_disagreeing = 0;    // how many were picked by disagreement
  std::size_t per_subset = 0;          // at most this many more were picked per subset
};

// Returns every position when there are at most limits.most_disagreeing +
// limits.per_subset_total queries (nothing is left out). Otherwise the union of
// - the limits.most_disagreeing queries of largest Disagreement (ties: the earlier query), and
// - per subset, max(1, per_subset_total / subset_count) of its queries evenly spaced in bundle
//   order (the first included),
// so at most most_disagreeing + max(per_subset_total, subset_count) queries. Depends only on
// its arguments. `subset_of` and `disagreement` have one entry per evaluated query, and every
// subset_of value is below subset_count.
[[nodiscard]] DrilldownSample sample_drilldown(std::span<const std::size_t> subset_of,
                                               std::span<const Disagreement> disagreement,
                                               std::size_t subset_count,
                                               const DrilldownSampleLimits& limits = {});

}  // namespace zooter::reports
