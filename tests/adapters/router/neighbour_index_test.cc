// The blocked inverted index against a brute-force search that sums each row's products in the
// query's bucket order: the same rows, in the same order, with bit-identical similarities,
// across block boundaries, dense slices and exact ties; and the counts behind knn's FLOPs.
#include "adapters/router/neighbour_index.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <map>

#include "harness/error.h"
#include "harness/random.h"

namespace zooter::adapters::router {
namespace {

constexpr std::uint32_t kDimension = 1u << 14;
// Small blocks, so that three of them (the last one short) take little time; results do not
// depend on the block size (checked below against the default).
constexpr std::uint32_t kBlockRows = 4096;
constexpr std::size_t kRows = 2 * kBlockRows + 3000;

SparseVector unit(const std::map<std::uint32_t, float>& features) {
  SparseVector v;
  double norm2 = 0.0;
  for (const auto& [b, x] : features) norm2 += static_cast<double>(x) * x;
  for (const auto& [b, x] : features) {
    v.index.push_back(b);
    v.value.push_back(static_cast<float>(x / std::sqrt(norm2)));
  }
  return v;
}

// Row r: bucket 5 in 70% of rows (dense in every block), bucket 9 in half of block 1 and 1%
// elsewhere (dense in block 1 only), one of 37 medium buckets, a few rare ones, and from block
// 1 on every 97th row repeats the row a block earlier (an exact tie across blocks).
SparseRows training_rows() {
  SparseRows rows;
  std::vector<SparseVector> made;
  for (std::size_t r = 0; r < kRows; ++r) {
    if (r >= kBlockRows && r % 97 == 0) {
      made.push_back(made[r - kBlockRows]);
    } else {
      std::map<std::uint32_t, float> f;
      auto draw = [&](std::uint64_t i) { return random::uniform01(7, r, i); };
      if (draw(0) < 0.7) f[5] = 1.0f;
      const bool block1 = r / kBlockRows == 1;
      if (draw(1) < (block1 ? 0.5 : 0.01)) f[9] = 2.0f;
      f[static_cast<std::uint32_t>(100 + r % 37)] = static_cast<float>(0.5 + draw(2));
      for (std::uint64_t i = 0; i < 4; ++i) {
        f[static_cast<std::uint32_t>(1000 + random::below(7, r, 10 + i, 3000))] =
            static_cast<float>(0.1 + draw(20 + i));
      }
      made.push_back(unit(f));
    }
    rows.append(view(made.back()));
  }
  return rows;
}

SparseVector query(std::size_t j, const SparseRows& rows) {
  if (j % 4 == 0) {  // a training row itself: it and its repeats tie at the top
    const SparseView v = rows.row(j * 131 % kRows);
    return {{v.index.begin(), v.index.end()}, {v.value.begin(), v.value.end()}};
  }
  std::map<std::uint32_t, float> f;
  if (j % 3 != 0) f[5] = 0.8f;
  if (j % 5 == 0) f[9] = 0.6f;
  f[static_cast<std::uint32_t>(100 + j % 37)] = 1.0f;
  for (std::uint64_t i = 0; i < 6; ++i) {
    f[static_cast<std::uint32_t>(1000 + random::below(8, j, i, 3000))] =
        static_cast<float>(0.2 + random::uniform01(8, j, 10 + i));
  }
  return unit(f);
}

struct Found {
  std::vector<std::uint32_t> rows;
  std::vector<float> similarity;
};

// Every row's similarity summed in the query's bucket order, then the k best by (similarity
// on the 2^-20 grid, descending; row, ascending) among rows sharing a bucket.
Found brute_force(const SparseRows& rows, SparseView q, std::size_t k) {
  std::vector<std::pair<std::uint32_t, float>> scored;
  for (std::size_t r = 0; r < rows.rows(); ++r) {
    const SparseView v = rows.row(r);
    float sim = 0.0f;
    bool shares = false;
    for (std::size_t i = 0; i < q.size(); ++i) {
      const auto at = std::lower_bound(v.index.begin(), v.index.end(), q.index[i]);
      if (at == v.index.end() || *at != q.index[i]) continue;
      sim += q.value[i] * v.value[static_cast<std::size_t>(at - v.index.begin())];
      shares = true;
    }
    if (shares) scored.emplace_back(static_cast<std::uint32_t>(r), sim);
  }
  auto level = [](float s) { return std::lround(s * 1048576.0f); };
  std::stable_sort(scored.begin(), scored.end(),
                   [&](const auto& a, const auto& b) { return level(a.second) > level(b.second); });
  Found out;
  for (std::size_t i = 0; i < std::min(k, scored.size()); ++i) {
    out.rows.push_back(scored[i].first);
    out.similarity.push_back(scored[i].second);
  }
  return out;
}

std::vector<std::uint32_t> bits_of(const std::vector<float>& v) {
  std::vector<std::uint32_t> out;
  for (const float x : v) out.push_back(std::bit_cast<std::uint32_t>(x));
  return out;
}

TEST(NeighbourIndex, MatchesABruteForceSearchBitForBit) {
  const SparseRows rows = training_rows();
  const NeighbourIndex blocked(rows, kDimension, kBlockRows);
  const NeighbourIndex whole(rows, kDimension);  // automatic: one block of all rows
  EXPECT_EQ(whole.block_rows(), NeighbourIndex::kMaxBlockRows);  // ~7 features a row
  ASSERT_EQ(blocked.rows(), kRows);
  // Bucket 5 in every block, bucket 9 in block 1: the dense path is exercised.
  EXPECT_GE(blocked.dense_slices(), 4u);
  EXPECT_EQ(whole.dense_slices(), 1u);  // bucket 5 only: bucket 9 covers 1/6 of all rows
  NeighbourIndex::Scratch scratch;  // reused across queries, k and indexes, as adapters do
  std::vector<std::uint32_t> out;
  std::vector<float> similarity;
  for (std::size_t j = 0; j < 40; ++j) {
    const SparseVector q = query(j, rows);
    for (const std::size_t k : {1, 3, 10, 200, 50000}) {
      const Found expected = brute_force(rows, view(q), k);
      for (const NeighbourIndex* index : {&blocked, &whole}) {
        // The AVX2 scan (where the CPU has it) and the portable one.
        for (const bool portable : {false, true}) {
          SCOPED_TRACE("query " + std::to_string(j) + ", k " + std::to_string(k) +
                       (index == &whole ? ", one block" : ", blocks of 4096") +
                       (portable ? ", portable scan" : ""));
          scratch.portable_scan = portable;
          index->nearest(view(q), k, scratch, out, &similarity);
          EXPECT_EQ(out, expected.rows);
          EXPECT_EQ(bits_of(similarity), bits_of(expected.similarity));
        }
      }
    }
  }
}

TEST(NeighbourIndex, RejectsABlockSizeItCannotAddress) {
  SparseRows rows;
  rows.append(view(unit({{1, 1.0f}})));
  for (const std::uint32_t bad : {100u, NeighbourIndex::kMaxBlockRows + 64}) {
    SCOPED_TRACE(bad);
    EXPECT_THROW(NeighbourIndex(rows, 4, bad), zooter::UsageError);
  }
  EXPECT_EQ(NeighbourIndex(rows, 4, NeighbourIndex::kScanChunk).block_rows(), NeighbourIndex::kScanChunk);
}

TEST(NeighbourIndex, PicksSmallerBlocksForFeatureRichRows) {
  SparseRows sparse, rich;
  std::map<std::uint32_t, float> few, many;
  for (std::uint32_t b = 0; b < 128; ++b) few[b] = 1.0f;
  for (std::uint32_t b = 0; b < 129; ++b) many[b] = 1.0f;
  sparse.append(view(unit(few)));
  rich.append(view(unit(many)));
  EXPECT_EQ(NeighbourIndex(sparse, 256).block_rows(), NeighbourIndex::kMaxBlockRows);
  EXPECT_EQ(NeighbourIndex(rich, 256).block_rows(), 8192u);
}

TEST(NeighbourIndex, ExactTiesGoToTheEarlierRowAcrossBlocks) {
  const SparseRows rows = training_rows();
  const NeighbourIndex index(rows, kDimension, kBlockRows);
  NeighbourIndex::Scratch scratch;
  std::vector<std::uint32_t> out;
  const std::uint32_t repeat = 97 * 100;  // in block 1, a copy of the row a block earlier
  ASSERT_GE(repeat, kBlockRows);
  const SparseView row = rows.row(repeat);
  index.nearest(row, 2, scratch, out);
  EXPECT_EQ(out, (std::vector<std::uint32_t>{repeat - kBlockRows, repeat}));
}

TEST(NeighbourIndex, IgnoresBucketsPastTheDimensionAndKZero) {
  SparseRows rows;
  rows.append(view(unit({{1, 1.0f}, {2, 1.0f}})));
  rows.append(view(unit({{2, 1.0f}})));
  const NeighbourIndex index(rows, 4);
  NeighbourIndex::Scratch scratch;
  std::vector<std::uint32_t> out;
  std::vector<float> similarity;
  const SparseVector q = unit({{2, 1.0f}, {9, 1.0f}});  // bucket 9 >= dimension 4
  index.nearest(view(q), 5, scratch, out, &similarity);
  EXPECT_EQ(out, (std::vector<std::uint32_t>{1, 0}));
  ASSERT_EQ(similarity.size(), 2u);
  EXPECT_FLOAT_EQ(similarity[0], 1.0f / std::sqrt(2.0f));        // (1/sqrt 2) x 1
  EXPECT_FLOAT_EQ(similarity[1], 0.5f);                          // (1/sqrt 2) x (1/sqrt 2)
  index.nearest(view(q), 0, scratch, out, &similarity);
  EXPECT_TRUE(out.empty());
  EXPECT_TRUE(similarity.empty());
  const NeighbourIndex empty(SparseRows{}, 4);
  empty.nearest(view(q), 3, scratch, out);
  EXPECT_TRUE(out.empty());
}

TEST(NeighbourIndex, CountsFeaturesAndPostingsVisited) {
  // Rows {0, 1}, {0}, {0, 2}: df = 3, 1, 1. A row's search visits the other rows' postings of
  // its buckets: sum of df x (df - 1) = 3 x 2 = 6 over 3 rows = 2 per query; 5 features / 3.
  SparseRows rows;
  rows.append(view(unit({{0, 1.0f}, {1, 1.0f}})));
  rows.append(view(unit({{0, 1.0f}})));
  rows.append(view(unit({{0, 1.0f}, {2, 1.0f}})));
  const NeighbourIndex index(rows, 8);
  EXPECT_DOUBLE_EQ(index.mean_features(), 5.0 / 3.0);
  EXPECT_DOUBLE_EQ(index.mean_postings_visited(), 2.0);
  EXPECT_EQ(index.dense_slices(), 0u);  // far below a slice's minimum
  const NeighbourIndex empty(SparseRows{}, 8);
  EXPECT_EQ(empty.mean_features(), 0.0);
  EXPECT_EQ(empty.mean_postings_visited(), 0.0);
}

}  // namespace
}  // namespace zooter::adapters::router
