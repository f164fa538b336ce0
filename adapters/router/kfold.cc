#include "adapters/router/kfold.h"

#include <algorithm>
#include <map>
#include <string>

#include "harness/error.h"
#include "harness/random.h"

namespace zooter::adapters::router {
namespace {

constexpr std::uint64_t kFoldStream = 0x524f555445520005ULL;

}  // namespace

FoldPlan::FoldPlan(std::span<const std::uint32_t> queries, std::span<const std::uint32_t> subset_of,
                   std::uint32_t k, std::uint64_t seed)
    : queries_(queries.begin(), queries.end()), fold_of_(queries.size(), 0), folds_(k) {
  if (k < 2 || k > kMaxFolds) {
    throw UsageError("folds must be in 2.." + std::to_string(kMaxFolds) + ", got " +
                     std::to_string(k));
  }
  if (queries.size() < k) {
    throw InputError("k-fold: " + std::to_string(queries.size()) + " queries cannot fill " +
                     std::to_string(k) + " folds");
  }
  // Positions of each subset's queries, subsets in increasing index order.
  std::map<std::uint32_t, std::vector<std::size_t>> by_subset;
  for (std::size_t i = 0; i < queries.size(); ++i) by_subset[subset_of[queries[i]]].push_back(i);
  std::uint64_t dealt = 0;
  for (auto& [subset, positions] : by_subset) {
    std::sort(positions.begin(), positions.end(), [&](std::size_t a, std::size_t b) {
      const auto ka = random::bits(seed, kFoldStream, queries[a]);
      const auto kb = random::bits(seed, kFoldStream, queries[b]);
      return ka != kb ? ka < kb : queries[a] < queries[b];
    });
    for (std::size_t p : positions) fold_of_[p] = static_cast<std::uint32_t>(dealt++ % k);
  }
}

std::vector<std::uint32_t> FoldPlan::held_out(std::uint32_t f) const {
  std::vector<std::uint32_t> out;
  for (std::size_t i = 0; i < queries_.size(); ++i) {
    if (fold_of_[i] == f) out.push_back(queries_[i]);
  }
  return out;
}

std::vector<std::uint32_t> FoldPlan::training(std::uint32_t f) const {
  std::vector<std::uint32_t> out;
  for (std::size_t i = 0; i < queries_.size(); ++i) {
    if (fold_of_[i] != f) out.push_back(queries_[i]);
  }
  return out;
}

}  // namespace zooter::adapters::router
