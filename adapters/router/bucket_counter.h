// Counts the hash buckets of one text's features and hands them back in increasing order,
// each with its count: what the featuriser needs to build a sorted sparse vector.
//
// For dimensions up to 2^20 it keeps a two-level bitmap (a bit per bucket, and a summary bit
// per 64-bucket word): adding is a bit test and two ORs, and draining walks only the words
// that hold a bucket, so a text's few hundred features cost a few thousand instructions. A
// radix sort of the same features spent most of its time on histograms sized for the whole
// dimension. A bucket seen again goes to a small open-addressing table of counts (a paper-length
// text repeats about a third of its character n-grams: sorting those repeats to merge them in
// was a tenth of routing time), and a 1,024-bit filter says which buckets may be in it, so
// draining probes the table for few buckets. Larger dimensions, where the bitmap would not
// stay in the caches, fall back to sorting the list of buckets.
#pragma once

#include <algorithm>
#include <array>
#include <bit>
#include <cstdint>
#include <vector>

namespace zooter::adapters::router {

class BucketCounter {
 public:
  static constexpr std::uint32_t kMaxBitmapDimension = 1u << 20;

  // Empties the counter and makes it ready for buckets below `dimension`.
  void reset(std::uint32_t dimension) {
    if (dimension != dimension_) {
      dimension_ = dimension;
      const bool bitmap = dimension <= kMaxBitmapDimension;
      words_.assign(bitmap ? (std::size_t{dimension} + 63) / 64 : 0, 0);
      summary_.assign(bitmap ? (words_.size() + 63) / 64 : 0, 0);
    }
    if (pending_) clear_bitmap();
    list_.clear();
    distinct_ = 0;
  }

  // At least the number of distinct buckets added since reset (exact in bitmap mode): what
  // drain will emit at most, so a caller can size its output once.
  [[nodiscard]] std::size_t distinct_bound() const {
    return words_.empty() ? list_.size() : distinct_;
  }

  // Counts one occurrence of `bucket` (< the dimension given to reset).
  void add(std::uint32_t bucket) { add(&bucket, 1); }

  // Counts one occurrence of each of buckets[0, n), with the counter's state in registers for
  // the whole run (the featuriser adds a whole text's buckets at once).
  void add(const std::uint32_t* buckets, std::size_t n) {
    if (words_.empty()) {
      list_.insert(list_.end(), buckets, buckets + n);
      return;
    }
    if (n == 0) return;
    pending_ = true;
    std::uint64_t* const words = words_.data();
    std::uint64_t* const summary = summary_.data();
    std::size_t distinct = distinct_;
    for (std::size_t i = 0; i < n; ++i) {
      const std::uint32_t bucket = buckets[i];
      const std::uint32_t word = bucket >> 6;
      const std::uint64_t bit = std::uint64_t{1} << (bucket & 63);
      if ((words[word] & bit) != 0) {
        add_repeat(bucket);
        continue;
      }
      words[word] |= bit;
      summary[word >> 6] |= std::uint64_t{1} << (word & 63);
      ++distinct;
    }
    distinct_ = distinct;
  }

  // Calls emit(bucket, count) for every bucket added since reset, in increasing order of
  // bucket, then leaves the counter empty (ready for the next text of the same dimension).
  template <typename Emit>
  void drain(Emit&& emit) {
    if (words_.empty()) {
      std::sort(list_.begin(), list_.end());
      for (std::size_t i = 0; i < list_.size();) {
        std::size_t j = i + 1;
        while (j < list_.size() && list_[j] == list_[i]) ++j;
        emit(list_[i], static_cast<std::uint32_t>(j - i));
        i = j;
      }
      list_.clear();
      return;
    }
    // Local copies of the arrays: `emit` writes through pointers the compiler cannot tell
    // apart from this counter's own, and would otherwise make it reload them every bucket.
    std::uint64_t* const words = words_.data();
    std::uint64_t* const summary = summary_.data();
    const std::uint64_t* const filter = filter_.data();
    const std::size_t summary_words = summary_.size();
    for (std::size_t s = 0; s < summary_words; ++s) {
      for (std::uint64_t used = summary[s]; used != 0; used &= used - 1) {
        const std::size_t word = s * 64 + static_cast<std::size_t>(std::countr_zero(used));
        for (std::uint64_t bits = words[word]; bits != 0; bits &= bits - 1) {
          const auto bucket = static_cast<std::uint32_t>(word * 64 + std::countr_zero(bits));
          const bool maybe_repeated = ((filter[filter_word(bucket)] >> (bucket & 63)) & 1) != 0;
          emit(bucket, maybe_repeated ? count_of(bucket) : 1);
        }
        words[word] = 0;
      }
      summary[s] = 0;
    }
    clear_repeats();
    pending_ = false;
    distinct_ = 0;
  }

 private:
  // The repeat table: open addressing with linear probing, keyed by the bucket itself (buckets
  // are hash values, so their low bits are already uniform); a slot with count 0 is empty.
  struct Repeat {
    std::uint32_t bucket;
    std::uint32_t count;
  };
  static constexpr std::size_t kFilterWords = 16;  // 1,024 bits
  static std::size_t filter_word(std::uint32_t bucket) { return (bucket >> 6) % kFilterWords; }

  // A second or later occurrence of a bucket already in the bitmap. Out of line, so that add()'s
  // loop stays small.
  [[gnu::noinline]] void add_repeat(std::uint32_t bucket) {
    if (2 * (used_.size() + 1) > repeats_.size()) grow_repeats();
    const std::size_t mask = repeats_.size() - 1;
    for (std::size_t i = bucket & mask;; i = (i + 1) & mask) {
      Repeat& slot = repeats_[i];
      if (slot.count == 0) {
        slot = {bucket, 2};
        used_.push_back(static_cast<std::uint32_t>(i));
        filter_[filter_word(bucket)] |= std::uint64_t{1} << (bucket & 63);
        return;
      }
      if (slot.bucket == bucket) {
        ++slot.count;
        return;
      }
    }
  }

  // How often `bucket` (in the bitmap) was added: its repeat count, or 1.
  [[nodiscard]] std::uint32_t count_of(std::uint32_t bucket) const {
    if (used_.empty()) return 1;
    const std::size_t mask = repeats_.size() - 1;
    for (std::size_t i = bucket & mask;; i = (i + 1) & mask) {
      const Repeat& slot = repeats_[i];
      if (slot.count == 0) return 1;
      if (slot.bucket == bucket) return slot.count;
    }
  }

  void grow_repeats() {
    std::vector<Repeat> old;
    old.swap(repeats_);
    repeats_.assign(std::max<std::size_t>(64, old.size() * 2), Repeat{0, 0});
    used_.clear();
    const std::size_t mask = repeats_.size() - 1;
    for (const Repeat& r : old) {
      if (r.count == 0) continue;
      std::size_t i = r.bucket & mask;
      while (repeats_[i].count != 0) i = (i + 1) & mask;
      repeats_[i] = r;
      used_.push_back(static_cast<std::uint32_t>(i));
    }
  }

  void clear_repeats() {
    for (const std::uint32_t i : used_) repeats_[i].count = 0;
    used_.clear();
    filter_.fill(0);
  }

  // Only after an add without a drain (an interrupted text): drain leaves the bitmap clean.
  void clear_bitmap() {
    std::fill(words_.begin(), words_.end(), 0);
    std::fill(summary_.begin(), summary_.end(), 0);
    clear_repeats();
    pending_ = false;
  }

  std::uint32_t dimension_ = 0;
  bool pending_ = false;                // bits set since the last drain
  std::size_t distinct_ = 0;            // bits set since the last drain
  std::vector<std::uint64_t> words_;    // bit b: bucket b seen (bitmap mode)
  std::vector<std::uint64_t> summary_;  // bit w: words_[w] is not zero
  // Bitmap mode: buckets seen more than once and their counts, the slots in use, and bit
  // (bucket mod 1,024) set for each such bucket.
  std::vector<Repeat> repeats_;
  std::vector<std::uint32_t> used_;
  std::array<std::uint64_t, kFilterWords> filter_{};
  // Sorting mode: every occurrence.
  std::vector<std::uint32_t> list_;
};

}  // namespace zooter::adapters::router
