#include "adapters/router/tag_clusters.h"

#include <algorithm>
#include <cmath>
#include <string>

#include "harness/error.h"
#include "harness/parallel.h"
#include "harness/random.h"

namespace zooter::adapters::router {
namespace {

constexpr std::uint64_t kClusterStream = 0x524f555445520004ULL;  // keyed order of rows
constexpr std::uint64_t kSeedingStream = 0x524f555445520006ULL;  // k-means++ draws

// Centroids as an inverted list: for feature j, the clusters non-zero there and their weights.
struct Centroids {
  std::vector<std::uint64_t> offset;  // dimension + 1
  std::vector<std::uint32_t> cluster;
  std::vector<float> weight;
};

// The cluster of highest cosine with x (ties: lowest cluster). `scores` is scratch of size k.
std::uint32_t nearest(const Centroids& c, SparseView x, std::vector<float>& scores) {
  std::fill(scores.begin(), scores.end(), 0.0f);
  for (std::size_t i = 0; i < x.size(); ++i) {
    const std::uint32_t j = x.index[i];
    for (std::uint64_t p = c.offset[j]; p < c.offset[j + 1]; ++p) {
      scores[c.cluster[p]] += x.value[i] * c.weight[p];
    }
  }
  return static_cast<std::uint32_t>(std::max_element(scores.begin(), scores.end()) -
                                    scores.begin());
}

// Centroids of the current assignment (rows with kNone take no part), summed in row order.
Centroids build_centroids(const SparseRows& features, const std::vector<std::uint32_t>& assigned,
                          std::uint32_t k, std::uint32_t dimension) {
  constexpr std::uint32_t kNone = ~std::uint32_t{0};
  // Bucket every (row, feature) occurrence by feature, keeping row order inside a bucket.
  std::vector<std::uint64_t> count(std::size_t{dimension} + 1, 0);
  for (std::size_t r = 0; r < features.rows(); ++r) {
    if (assigned[r] == kNone) continue;
    for (std::uint32_t j : features.row(r).index) ++count[j + 1];
  }
  for (std::size_t j = 0; j < dimension; ++j) count[j + 1] += count[j];
  std::vector<std::uint32_t> occ_cluster(count[dimension]);
  std::vector<float> occ_value(count[dimension]);
  std::vector<std::uint64_t> fill(count.begin(), count.end() - 1);
  for (std::size_t r = 0; r < features.rows(); ++r) {
    if (assigned[r] == kNone) continue;
    const SparseView x = features.row(r);
    for (std::size_t i = 0; i < x.size(); ++i) {
      const std::uint64_t at = fill[x.index[i]]++;
      occ_cluster[at] = assigned[r];
      occ_value[at] = x.value[i];
    }
  }
  // Per feature, sum the occurrences of each cluster; then scale every centroid to unit norm.
  Centroids c;
  c.offset.assign(std::size_t{dimension} + 1, 0);
  std::vector<float> sum(k, 0.0f);
  std::vector<std::uint32_t> present;
  std::vector<double> norm2(k, 0.0);
  for (std::size_t j = 0; j < dimension; ++j) {
    present.clear();
    for (std::uint64_t p = count[j]; p < count[j + 1]; ++p) {
      // Feature values are positive (1 + log tf, scaled), so a zero sum means "not seen yet".
      if (sum[occ_cluster[p]] == 0.0f) present.push_back(occ_cluster[p]);
      sum[occ_cluster[p]] += occ_value[p];
    }
    std::sort(present.begin(), present.end());
    for (std::uint32_t cl : present) {
      c.cluster.push_back(cl);
      c.weight.push_back(sum[cl]);
      norm2[cl] += static_cast<double>(sum[cl]) * sum[cl];
      sum[cl] = 0.0f;
    }
    c.offset[j + 1] = c.cluster.size();
  }
  for (std::size_t p = 0; p < c.cluster.size(); ++p) {
    c.weight[p] = static_cast<float>(c.weight[p] / std::sqrt(norm2[c.cluster[p]]));
  }
  return c;
}

// k-means++ seeding (Arthur & Vassilvitskii 2007) on the unit sphere: each next seed is drawn
// with probability proportional to 1 - (highest cosine with a seed so far), which is half the
// squared distance. The draws are keyed by (seed, kSeedingStream, seed number), so the seeds do
// not depend on the thread count. Each seed costs a pass over all rows, so beyond
// kPlusPlusSeeds the remaining seeds are the first unused rows in keyed order.
constexpr std::uint32_t kPlusPlusSeeds = 64;

std::vector<std::uint32_t> choose_seeds(const SparseRows& features,
                                        const std::vector<std::uint32_t>& usable, std::size_t k,
                                        std::uint32_t dimension, std::uint64_t seed,
                                        const RunContext& run) {
  std::vector<std::uint32_t> order(usable.size());  // positions in `usable`, keyed order
  for (std::uint32_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [&](std::uint32_t a, std::uint32_t b) {
    const auto ka = random::bits(seed, kClusterStream, usable[a]);
    const auto kb = random::bits(seed, kClusterStream, usable[b]);
    return ka != kb ? ka < kb : a < b;
  });
  std::vector<std::uint8_t> chosen(usable.size(), 0);
  std::vector<std::uint32_t> seeds;
  auto take = [&](std::uint32_t position) {
    chosen[position] = 1;
    seeds.push_back(usable[position]);
  };
  take(order[0]);
  std::vector<float> closest(usable.size(), -1.0f);  // highest cosine with any seed so far
  std::vector<float> dense(dimension, 0.0f);
  const std::size_t plus_plus = std::min<std::size_t>(k, kPlusPlusSeeds);
  while (seeds.size() < plus_plus) {
    const SparseView last = features.row(seeds.back());
    for (std::size_t i = 0; i < last.size(); ++i) dense[last.index[i]] = last.value[i];
    parallel_for_each(run, usable.size(), [&](std::size_t i) {
      const SparseView x = features.row(usable[i]);
      float dot = 0.0f;
      for (std::size_t j = 0; j < x.size(); ++j) dot += x.value[j] * dense[x.index[j]];
      closest[i] = std::max(closest[i], dot);
    });
    for (std::uint32_t j : last.index) dense[j] = 0.0f;
    double total = 0.0;
    for (std::size_t i = 0; i < usable.size(); ++i) {
      if (chosen[i] == 0) total += std::max(0.0f, 1.0f - closest[i]);
    }
    if (!(total > 0.0)) break;  // every row sits on a seed already
    double target = random::uniform01(seed, kSeedingStream, seeds.size()) * total;
    std::size_t pick = usable.size();
    for (std::size_t i = 0; i < usable.size(); ++i) {
      if (chosen[i] != 0) continue;
      const double weight = std::max(0.0f, 1.0f - closest[i]);
      if (weight <= 0.0) continue;
      pick = i;  // the last positive weight catches rounding at the end of the walk
      if ((target -= weight) < 0.0) break;
    }
    take(static_cast<std::uint32_t>(pick));
  }
  for (std::size_t i = 0; i < order.size() && seeds.size() < k; ++i) {
    if (chosen[order[i]] == 0) take(order[i]);
  }
  return seeds;
}

}  // namespace

TagLists cluster_tags(const SparseRows& features, std::uint32_t k, std::uint64_t seed,
                      const RunContext& run) {
  if (k < 1 || k > kMaxClusters) {
    throw UsageError("tags=cluster:K needs K in 1.." + std::to_string(kMaxClusters) + ", got " +
                     std::to_string(k));
  }
  constexpr std::uint32_t kNone = ~std::uint32_t{0};
  const std::size_t n = features.rows();
  std::uint32_t dimension = 1;
  std::vector<std::uint32_t> usable;  // rows with at least one feature
  for (std::size_t r = 0; r < n; ++r) {
    const SparseView x = features.row(r);
    if (x.size() == 0) continue;
    usable.push_back(static_cast<std::uint32_t>(r));
    dimension = std::max(dimension, x.index.back() + 1);
  }
  TagLists tags;
  tags.count = std::min<std::size_t>(k, usable.size());
  std::vector<std::uint32_t> assigned(n, kNone);
  if (tags.count > 0) {
    const std::vector<std::uint32_t> seeds =
        choose_seeds(features, usable, tags.count, dimension, seed, run);
    for (std::uint32_t c = 0; c < seeds.size(); ++c) assigned[seeds[c]] = c;
    const auto clusters = static_cast<std::uint32_t>(tags.count);
    Centroids centroids = build_centroids(features, assigned, clusters, dimension);
    for (std::uint32_t iteration = 0; iteration < kMaxClusterIterations; ++iteration) {
      const std::vector<std::uint32_t> next = parallel_map<std::uint32_t>(
          run, usable.size(),
          [&](std::size_t i) {
            std::vector<float> scores(clusters);
            return nearest(centroids, features.row(usable[i]), scores);
          },
          256);
      bool changed = false;
      for (std::size_t i = 0; i < usable.size(); ++i) {
        changed = changed || assigned[usable[i]] != next[i];
        assigned[usable[i]] = next[i];
      }
      if (!changed) break;
      centroids = build_centroids(features, assigned, clusters, dimension);
    }
  }
  for (std::size_t r = 0; r < n; ++r) {
    if (assigned[r] != kNone) tags.ids.push_back(assigned[r]);
    tags.offset.push_back(static_cast<std::uint32_t>(tags.ids.size()));
  }
  return tags;
}

}  // namespace zooter::adapters::router
