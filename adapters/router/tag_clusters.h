// Tags for bundles that have none: a deterministic spherical k-means over query features, each
// query tagged with its cluster (`tags=cluster:K`). The paper's tags come from an instruction
// tagger (InsTag); clusters of similar queries are the stand-in when a bundle carries no tags.
//
// Spherical k-means: centroids are unit-normalised means of their members, queries go to the
// centroid of highest cosine. Seeds are drawn k-means++ style with keyed draws, assignments run
// in parallel and centroids are summed in row order, so the result is the same for any thread
// count. Centroids are kept sparse (a centroid is non-zero
// only where a member is), as an inverted list per feature, so memory stays below the data's.
#pragma once

#include <cstdint>

#include "adapters/router/featuriser.h"
#include "adapters/router/labels.h"

namespace zooter {
class RunContext;
}

namespace zooter::adapters::router {

inline constexpr std::uint32_t kMaxClusters = 100000;
inline constexpr std::uint32_t kMaxClusterIterations = 20;

// One tag per row with features (rows without any feature get none); tags.count is
// min(k, number of such rows). Clusters that lose every member stay empty. Iterates until no
// assignment changes or kMaxClusterIterations. k in 1..kMaxClusters (UsageError otherwise).
[[nodiscard]] TagLists cluster_tags(const SparseRows& features, std::uint32_t k, std::uint64_t seed,
                                    const RunContext& run);

}  // namespace zooter::adapters::router
