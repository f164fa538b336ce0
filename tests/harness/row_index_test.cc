// RowIndex: lookups of present and absent keys, growth, and keys that share a home slot or a
// whole hash (built by search, so the test does not depend on the hash function's values).
#include "harness/row_index.h"

#include <gtest/gtest.h>

#include <string>
#include <unordered_map>
#include <vector>

namespace zooter {
namespace {

// A column and its index, filled the way the loader fills them.
struct Column {
  std::vector<std::string> strings;
  RowIndex index;

  RowIndex::Found add(const std::string& key) {
    const RowIndex::Found found = index.find_or_add(key, strings);
    if (found.added) strings.push_back(key);
    return found;
  }
  [[nodiscard]] std::uint32_t find(const std::string& key) const {
    return index.find(key, strings);
  }
};

// `count` keys whose hashes agree in the bits `mask` keeps, starting from prefix + number.
std::vector<std::string> keys_sharing(std::uint32_t mask, std::size_t count,
                                      const std::string& prefix) {
  std::unordered_map<std::uint32_t, std::vector<std::string>> by_bits;
  for (std::size_t i = 0;; ++i) {
    std::string key = prefix + std::to_string(i);
    std::vector<std::string>& group = by_bits[RowIndex::hash_of(key) & mask];
    group.push_back(std::move(key));
    if (group.size() == count) return group;
  }
}

TEST(RowIndex, EmptyFindsNothing) {
  const Column c;
  EXPECT_EQ(c.find("q1"), RowIndex::kAbsent);
  EXPECT_EQ(c.find(""), RowIndex::kAbsent);
  EXPECT_EQ(c.index.size(), 0u);
  EXPECT_EQ(c.index.capacity(), 0u);
}

TEST(RowIndex, RowsInOrderOfAddition) {
  Column c;
  EXPECT_EQ(c.add("q1").row, 0u);
  EXPECT_EQ(c.add("q2").row, 1u);
  EXPECT_EQ(c.add("").row, 2u);  // the empty string is a key like any other
  EXPECT_EQ(c.find("q2"), 1u);
  EXPECT_EQ(c.find("q1"), 0u);
  EXPECT_EQ(c.find(""), 2u);
  EXPECT_EQ(c.index.size(), 3u);
}

TEST(RowIndex, AddingAPresentKeyReturnsItsRow) {
  Column c;
  c.add("a");
  c.add("b");
  const RowIndex::Found again = c.add("a");
  EXPECT_FALSE(again.added);
  EXPECT_EQ(again.row, 0u);
  EXPECT_EQ(c.strings.size(), 2u);
  EXPECT_EQ(c.index.size(), 2u);
}

TEST(RowIndex, AbsentKeysNearPresentOnes) {
  Column c;
  for (const char* key : {"q1", "q10", "model", "model-1"}) c.add(key);
  for (const char* absent : {"q", "q100", "q2", "Q1", "model-", "model-10", "q1 ", " q1"}) {
    SCOPED_TRACE(absent);
    EXPECT_EQ(c.find(absent), RowIndex::kAbsent);
  }
}

TEST(RowIndex, GrowsAndKeepsEveryKey) {
  Column c;
  constexpr std::size_t kKeys = 10000;
  for (std::size_t i = 0; i < kKeys; ++i) {
    ASSERT_TRUE(c.add("query-" + std::to_string(i)).added);
    // At most half full, so every probe meets an empty slot.
    ASSERT_GE(c.index.capacity(), 2 * c.index.size());
  }
  EXPECT_EQ(c.index.size(), kKeys);
  EXPECT_EQ(c.index.capacity() & (c.index.capacity() - 1), 0u);  // a power of two
  for (std::size_t i = 0; i < kKeys; ++i) {
    ASSERT_EQ(c.find("query-" + std::to_string(i)), i);
    ASSERT_EQ(c.find("query-" + std::to_string(i + kKeys)), RowIndex::kAbsent);
  }
}

// Keys with one home slot in the first table (64 slots) probe past each other, and the probe
// wraps from the last slot to the first.
TEST(RowIndex, KeysSharingAHomeSlot) {
  for (const std::uint32_t home : {0u, 63u}) {
    SCOPED_TRACE(home);
    std::vector<std::string> keys;
    for (std::size_t i = 0; keys.size() < 20; ++i) {
      std::string key = "k" + std::to_string(i);
      if ((RowIndex::hash_of(key) & 63) == home) keys.push_back(std::move(key));
    }
    Column c;
    for (std::size_t i = 0; i < 10; ++i) ASSERT_EQ(c.add(keys[i]).row, i);
    ASSERT_EQ(c.index.capacity(), 64u);  // no growth yet: the probes really collide
    for (std::size_t i = 0; i < 10; ++i) EXPECT_EQ(c.find(keys[i]), i);
    for (std::size_t i = 10; i < 20; ++i) EXPECT_EQ(c.find(keys[i]), RowIndex::kAbsent);
    EXPECT_EQ(c.find("k-not-there"), RowIndex::kAbsent);
  }
}

// Two different keys with the same 32-bit hash are told apart by comparing the strings.
TEST(RowIndex, KeysWithTheSameHash) {
  const std::vector<std::string> twins = keys_sharing(0xFFFFFFFFu, 2, "id");
  ASSERT_NE(twins[0], twins[1]);
  ASSERT_EQ(RowIndex::hash_of(twins[0]), RowIndex::hash_of(twins[1]));
  Column c;
  EXPECT_TRUE(c.add(twins[0]).added);
  EXPECT_EQ(c.find(twins[1]), RowIndex::kAbsent);
  const RowIndex::Found second = c.add(twins[1]);
  EXPECT_TRUE(second.added);
  EXPECT_EQ(second.row, 1u);
  EXPECT_EQ(c.find(twins[0]), 0u);
  EXPECT_EQ(c.find(twins[1]), 1u);
}

// Growth re-files every key from its stored hash: keys that shared a home slot in a small
// table still resolve after several doublings.
TEST(RowIndex, CollidingKeysSurviveGrowth) {
  const std::vector<std::string> crowd = keys_sharing(63, 30, "c");
  Column c;
  for (const std::string& key : crowd) c.add(key);
  for (std::size_t i = 0; i < 1000; ++i) c.add("filler-" + std::to_string(i));
  EXPECT_GE(c.index.capacity(), 2048u);
  for (std::size_t i = 0; i < crowd.size(); ++i) EXPECT_EQ(c.find(crowd[i]), i);
}

// The loader hashes ids on the parsing threads and passes the hash in (prefetching the slot
// first): the index must come out as if each key had been hashed on the spot.
TEST(RowIndex, KeysAddedWithTheirHashPrecomputedAreFoundByKeyAlone) {
  std::vector<std::string> strings;
  RowIndex index;
  for (int i = 0; i < 300; ++i) {
    const std::string key = "q" + std::to_string(i % 200);  // the last 100 repeat the first
    const std::uint32_t hash = RowIndex::hash_of(key);
    index.prefetch(hash);
    const RowIndex::Found found = index.find_or_add(key, hash, strings);
    ASSERT_EQ(found.added, i < 200) << key;
    ASSERT_EQ(found.row, static_cast<std::uint32_t>(i % 200)) << key;
    if (found.added) strings.push_back(key);
  }
  EXPECT_EQ(index.size(), 200u);
  for (std::uint32_t i = 0; i < 200; ++i) EXPECT_EQ(index.find("q" + std::to_string(i), strings), i);
  EXPECT_EQ(index.find("q200", strings), RowIndex::kAbsent);
}

}  // namespace
}  // namespace zooter
