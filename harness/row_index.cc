#include "harness/row_index.h"

#include <functional>
#include <stdexcept>

namespace zooter {

std::uint32_t RowIndex::hash_of(std::string_view key) {
  return static_cast<std::uint32_t>(std::hash<std::string_view>{}(key));
}

std::uint32_t RowIndex::find(std::string_view key, std::span<const std::string> column) const {
  if (slots_.empty()) return kAbsent;
  const std::uint32_t hash = hash_of(key);
  // Linear probing at most half full: a probe ends at the key or at an empty slot.
  for (std::size_t i = hash & mask_;; i = (i + 1) & mask_) {
    const Slot& slot = slots_[i];
    if (slot.row == kAbsent) return kAbsent;
    if (slot.hash == hash && column[slot.row] == key) return slot.row;
  }
}

RowIndex::Found RowIndex::find_or_add(std::string_view key, std::uint32_t hash,
                                      std::span<const std::string> column) {
  if (2 * (size_ + 1) > slots_.size()) grow();
  for (std::size_t i = hash & mask_;; i = (i + 1) & mask_) {
    Slot& slot = slots_[i];
    if (slot.row == kAbsent) {
      slot = {hash, static_cast<std::uint32_t>(column.size())};
      ++size_;
      return {slot.row, true};
    }
    if (slot.hash == hash && column[slot.row] == key) return {slot.row, false};
  }
}

void RowIndex::grow() {
  // Home slots come from the 32 stored hash bits, so the table must not outgrow them.
  constexpr std::size_t kMaxSlots = std::size_t{1} << 32;
  const std::size_t capacity = slots_.empty() ? 64 : 2 * slots_.size();
  if (capacity > kMaxSlots) throw std::length_error("RowIndex: more than 2^31 rows");
  std::vector<Slot> old(capacity);
  old.swap(slots_);
  mask_ = capacity - 1;
  for (const Slot& slot : old) {
    if (slot.row == kAbsent) continue;
    std::size_t i = slot.hash & mask_;
    while (slots_[i].row != kAbsent) i = (i + 1) & mask_;
    slots_[i] = slot;
  }
}

}  // namespace zooter
