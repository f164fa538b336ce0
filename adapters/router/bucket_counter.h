// Counts the hash buckets of one text's features and hands them back in increasing order,
// each with its count: what the featuriser needs to build a sorted sparse vector.
//
// For dimensions up to 2^20 it keeps a two-level bitmap (a bit per bucket, and a summary bit
// per 64-bucket word): adding is a bit test and two ORs, and draining walks only the words
// that hold a bucket, so a text's few hundred features cost a few thousand instructions. A
// radix sort of the same features spent most of its time on histograms sized for the whole
// dimension. Repeats are rare (a text repeats a few words), so they go to a short list that is
// sorted and merged in while draining. Larger dimensions, where the bitmap would not stay in
// the caches, fall back to sorting the list of buckets.
#pragma once

#include <algorithm>
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
  void add(std::uint32_t bucket) {
    if (words_.empty()) {
      add_to_list(bucket);
      return;
    }
    pending_ = true;
    const std::uint32_t word = bucket >> 6;
    const std::uint64_t bit = std::uint64_t{1} << (bucket & 63);
    if ((words_[word] & bit) != 0) {
      add_to_list(bucket);
      return;
    }
    words_[word] |= bit;
    summary_[word >> 6] |= std::uint64_t{1} << (word & 63);
    ++distinct_;
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
    std::sort(list_.begin(), list_.end());
    // Local copies of the arrays: `emit` writes through pointers the compiler cannot tell
    // apart from this counter's own, and would otherwise make it reload them every bucket.
    const std::uint32_t* repeat = list_.data();
    const std::uint32_t* const repeat_end = repeat + list_.size();
    std::uint64_t* const words = words_.data();
    std::uint64_t* const summary = summary_.data();
    const std::size_t summary_words = summary_.size();
    for (std::size_t s = 0; s < summary_words; ++s) {
      for (std::uint64_t used = summary[s]; used != 0; used &= used - 1) {
        const std::size_t word = s * 64 + static_cast<std::size_t>(std::countr_zero(used));
        for (std::uint64_t bits = words[word]; bits != 0; bits &= bits - 1) {
          const auto bucket = static_cast<std::uint32_t>(word * 64 + std::countr_zero(bits));
          std::uint32_t count = 1;
          while (repeat != repeat_end && *repeat == bucket) {
            ++count;
            ++repeat;
          }
          emit(bucket, count);
        }
        words[word] = 0;
      }
      summary[s] = 0;
    }
    list_.clear();
    pending_ = false;
    distinct_ = 0;
  }

 private:
  // Out of line, so that add() stays small enough to inline into the featuriser's loops.
  [[gnu::noinline]] void add_to_list(std::uint32_t bucket) { list_.push_back(bucket); }

  // Only after an add without a drain (an interrupted text): drain leaves the bitmap clean.
  void clear_bitmap() {
    std::fill(words_.begin(), words_.end(), 0);
    std::fill(summary_.begin(), summary_.end(), 0);
    pending_ = false;
  }

  std::uint32_t dimension_ = 0;
  bool pending_ = false;                // bits set since the last drain
  std::size_t distinct_ = 0;            // bits set since the last drain
  std::vector<std::uint64_t> words_;    // bit b: bucket b seen (bitmap mode)
  std::vector<std::uint64_t> summary_;  // bit w: words_[w] is not zero
  // Bitmap mode: the second and later occurrences of a bucket; sorting mode: every occurrence.
  std::vector<std::uint32_t> list_;
};

}  // namespace zooter::adapters::router
