#include "adapters/router/kfold.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>

#include "harness/error.h"

namespace zooter::adapters::router {
namespace {

// 23 queries (bundle indices 100..122) over subsets of sizes 10, 7 and 6.
struct Case {
  std::vector<std::uint32_t> queries;
  std::vector<std::uint32_t> subset_of = std::vector<std::uint32_t>(123, 0);
  Case() {
    for (std::uint32_t q = 100; q < 123; ++q) {
      queries.push_back(q);
      subset_of[q] = q < 110 ? 0 : q < 117 ? 1 : 2;
    }
  }
};

TEST(KFold, EveryQueryInExactlyOneFold) {
  const Case c;
  const FoldPlan plan(c.queries, c.subset_of, 5, 7);
  std::vector<std::uint32_t> all;
  for (std::uint32_t f = 0; f < 5; ++f) {
    const auto held = plan.held_out(f);
    const auto train = plan.training(f);
    EXPECT_EQ(held.size() + train.size(), c.queries.size());
    for (std::uint32_t q : held) EXPECT_EQ(std::count(train.begin(), train.end(), q), 0);
    all.insert(all.end(), held.begin(), held.end());
  }
  std::sort(all.begin(), all.end());
  EXPECT_EQ(all, c.queries);
}

TEST(KFold, BalancedOverallAndWithinSubsets) {
  const Case c;
  const FoldPlan plan(c.queries, c.subset_of, 5, 7);
  // 23 over 5 folds: sizes 5, 5, 5, 4, 4 in some order.
  std::vector<std::size_t> sizes;
  for (std::uint32_t f = 0; f < 5; ++f) sizes.push_back(plan.held_out(f).size());
  EXPECT_EQ(
      *std::max_element(sizes.begin(), sizes.end()) - *std::min_element(sizes.begin(), sizes.end()),
      1u);
  // Subset 0 (10 queries) puts exactly 2 in every fold; subset 1 (7) puts 1 or 2.
  std::map<std::pair<std::uint32_t, std::uint32_t>, int> per;  // (subset, fold) -> count
  for (std::size_t i = 0; i < c.queries.size(); ++i)
    ++per[{c.subset_of[c.queries[i]], plan.fold_at(i)}];
  for (std::uint32_t f = 0; f < 5; ++f) {
    EXPECT_EQ((per[{0, f}]), 2);
    EXPECT_GE((per[{1, f}]), 1);
    EXPECT_LE((per[{1, f}]), 2);
  }
}

TEST(KFold, DeterministicBySeed) {
  const Case c;
  const FoldPlan a(c.queries, c.subset_of, 4, 1), b(c.queries, c.subset_of, 4, 1);
  const FoldPlan other(c.queries, c.subset_of, 4, 2);
  bool differs = false;
  for (std::size_t i = 0; i < c.queries.size(); ++i) {
    EXPECT_EQ(a.fold_at(i), b.fold_at(i));
    differs = differs || a.fold_at(i) != other.fold_at(i);
  }
  EXPECT_TRUE(differs);
}

TEST(KFold, RejectsBadFoldCounts) {
  const Case c;
  EXPECT_THROW(FoldPlan(c.queries, c.subset_of, 1, 0), UsageError);
  EXPECT_THROW(FoldPlan(c.queries, c.subset_of, kMaxFolds + 1, 0), UsageError);
  try {
    const FoldPlan plan(std::span(c.queries).first(3), c.subset_of, 5, 0);
    FAIL();
  } catch (const InputError& e) {
    EXPECT_STREQ(e.what(), "k-fold: 3 queries cannot fill 5 folds");
  }
}

}  // namespace
}  // namespace zooter::adapters::router
