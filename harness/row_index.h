// Finds the row of a string in a column of distinct strings (query ids, tag names) without a
// second copy of each: a flat open-addressing table of (hash, row) pairs, where a candidate is
// confirmed by comparing the key with the column's own string.
//
// The loader looks up every query id of responses.jsonl; one flat array probed in place takes
// fewer cache misses than std::unordered_map's node per key. It is not a general map: the caller
// owns the column, passes the same one to every call and appends to it in step with
// find_or_add.
#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace zooter {

class RowIndex {
 public:
  static constexpr std::uint32_t kAbsent = std::numeric_limits<std::uint32_t>::max();

  // The row of `key` in `column`, or kAbsent.
  [[nodiscard]] std::uint32_t find(std::string_view key, std::span<const std::string> column) const;

  struct Found {
    std::uint32_t row = kAbsent;
    bool added = false;
  };
  // The row of `key` when it is indexed already (added = false). Otherwise indexes it as row
  // column.size() and returns that (added = true): the caller must append `key` to the column
  // before the next call. Throws std::length_error past 2^31 rows.
  Found find_or_add(std::string_view key, std::span<const std::string> column) {
    return find_or_add(key, hash_of(key), column);
  }
  // The same with `hash` == hash_of(key) computed beforehand: the loader hashes query ids on
  // every thread while it parses, and only probes in the merge, which runs on one.
  Found find_or_add(std::string_view key, std::uint32_t hash, std::span<const std::string> column);

  // Starts fetching the home slot of a key with this hash into the cache (a hint: nothing
  // changes), for a caller that knows the next keys before it looks them up.
  void prefetch(std::uint32_t hash) const {
    if (!slots_.empty()) __builtin_prefetch(&slots_[hash & mask_]);
  }

  [[nodiscard]] std::size_t size() const { return size_; }
  // Slots in the table (0 before the first key, then a power of two at least twice size()).
  [[nodiscard]] std::size_t capacity() const { return slots_.size(); }

  // The hash a key is filed under; its low bits pick the home slot. Public so that tests can
  // build keys that collide.
  [[nodiscard]] static std::uint32_t hash_of(std::string_view key);

 private:
  struct Slot {
    std::uint32_t hash = 0;     // low bits of the key's hash: the home slot, and a cheap filter
    std::uint32_t row = kAbsent;  // kAbsent marks an empty slot
  };

  void grow();

  std::vector<Slot> slots_;
  std::size_t mask_ = 0;  // slots_.size() - 1
  std::size_t size_ = 0;
};

}  // namespace zooter
