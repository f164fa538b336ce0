#include "adapters/router/bucket_counter.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <utility>
#include <vector>

namespace zooter::adapters::router {
namespace {

using Counts = std::vector<std::pair<std::uint32_t, std::uint32_t>>;

Counts drain(BucketCounter& counter) {
  Counts out;
  counter.drain([&](std::uint32_t bucket, std::uint32_t count) { out.emplace_back(bucket, count); });
  return out;
}

Counts count(std::uint32_t dimension, const std::vector<std::uint32_t>& buckets) {
  BucketCounter counter;
  counter.reset(dimension);
  for (std::uint32_t b : buckets) counter.add(b);
  return drain(counter);
}

TEST(BucketCounter, SortsAndCountsInBitmapMode) {
  // Buckets in three different 64-bit words and two summary words (64 x 64 = 4096 buckets
  // per summary word), with repeats out of order.
  const Counts expected = {{0, 1}, {3, 2}, {63, 1}, {64, 3}, {4096, 1}, {262143, 2}};
  EXPECT_EQ(count(1u << 18, {64, 3, 262143, 0, 64, 4096, 3, 262143, 63, 64}), expected);
}

TEST(BucketCounter, SortsAndCountsInSortingMode) {
  // Above 2^20 the counter sorts a list instead of keeping a bitmap; same answer.
  const std::uint32_t dimension = BucketCounter::kMaxBitmapDimension * 4;
  const Counts expected = {{0, 1}, {3, 2}, {4194303, 1}};
  EXPECT_EQ(count(dimension, {4194303, 3, 0, 3}), expected);
}

TEST(BucketCounter, EmptyDrainEmitsNothing) {
  EXPECT_TRUE(count(1000, {}).empty());
  EXPECT_TRUE(count(1u << 22, {}).empty());
}

TEST(BucketCounter, DrainLeavesItReadyForTheNextText) {
  BucketCounter counter;
  counter.reset(1u << 10);
  counter.add(7);
  counter.add(7);
  EXPECT_EQ(drain(counter), (Counts{{7, 2}}));
  counter.reset(1u << 10);
  counter.add(9);
  EXPECT_EQ(drain(counter), (Counts{{9, 1}}));
}

TEST(BucketCounter, ResetWithoutDrainForgetsEverything) {
  BucketCounter counter;
  counter.reset(1u << 10);
  counter.add(5);
  counter.add(5);
  counter.reset(1u << 10);  // an abandoned text
  counter.add(6);
  EXPECT_EQ(drain(counter), (Counts{{6, 1}}));
}

TEST(BucketCounter, ChangingDimensionBetweenTexts) {
  BucketCounter counter;
  counter.reset(100);
  counter.add(99);
  EXPECT_EQ(drain(counter), (Counts{{99, 1}}));
  counter.reset(1u << 21);  // sorting mode
  counter.add(2000000);
  counter.add(1);
  EXPECT_EQ(drain(counter), (Counts{{1, 1}, {2000000, 1}}));
  counter.reset(100);  // back to a bitmap
  counter.add(42);
  EXPECT_EQ(drain(counter), (Counts{{42, 1}}));
}

TEST(BucketCounter, ManyRepeatsGrowTheRepeatTableAndKeepTheirCounts) {
  // 300 buckets: bucket 1000 + 7 j is added (j mod 5) + 1 times, so 240 of them repeat (more
  // than the table's first 64 slots hold). Buckets 1000 + 7 j and 1000 + 7 j + 4096 share
  // their low bits (a probe collision and a filter false positive); the latter are added once.
  BucketCounter counter;
  counter.reset(1u << 18);
  Counts expected;
  std::vector<std::uint32_t> added;
  for (std::uint32_t round = 0; round < 5; ++round) {
    for (std::uint32_t j = 0; j < 300; ++j) {
      if (j % 5 >= round) added.push_back(1000 + 7 * j);
    }
  }
  for (std::uint32_t j = 0; j < 300; ++j) added.push_back(1000 + 7 * j + 1024 * 4);
  for (std::uint32_t j = 0; j < 300; ++j) {
    expected.emplace_back(1000 + 7 * j, j % 5 + 1);
  }
  for (std::uint32_t j = 0; j < 300; ++j) expected.emplace_back(1000 + 7 * j + 4096, 1);
  std::sort(expected.begin(), expected.end());
  counter.add(added.data(), added.size());
  EXPECT_EQ(drain(counter), expected);
  // Nothing of that text is left: its repeated buckets now count once.
  counter.reset(1u << 18);
  counter.add(1000);
  counter.add(1007);
  EXPECT_EQ(drain(counter), (Counts{{1000, 1}, {1007, 1}}));
}

TEST(BucketCounter, AddingManyAtOnceEqualsAddingOneByOne) {
  const std::vector<std::uint32_t> buckets = {64, 3, 262143, 0, 64, 4096, 3, 262143, 63, 64};
  for (const std::uint32_t dimension : {1u << 18, BucketCounter::kMaxBitmapDimension * 4}) {
    BucketCounter counter;
    counter.reset(dimension);
    counter.add(buckets.data(), buckets.size());
    EXPECT_EQ(drain(counter), count(dimension, buckets));
  }
}

TEST(BucketCounter, AnAbandonedTextsRepeatsDoNotCarryOver) {
  BucketCounter counter;
  counter.reset(1u << 10);
  counter.add(5);
  counter.add(5);
  counter.add(5);
  counter.reset(1u << 10);  // abandoned with bucket 5 repeated
  counter.add(5);
  EXPECT_EQ(drain(counter), (Counts{{5, 1}}));
}

}  // namespace
}  // namespace zooter::adapters::router
