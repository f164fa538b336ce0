#include "adapters/router/neighbour_index.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "harness/error.h"

namespace zooter::adapters::router {
namespace {

constexpr float kTieGrid = 1048576.0f;  // 2^20
// A bucket's postings in one block become a dense slice when they cover at least a quarter of
// the block's rows (the slice then takes at most twice their memory, and adding it is a
// sequential loop instead of a scatter) and at least kDenseMinPostings rows (so a tiny index
// keeps its postings rather than mostly-empty 32 KiB slices).
constexpr std::size_t kDenseShare = 4;
constexpr std::size_t kDenseMinPostings = 64;
// The block scan looks at this many rows at a time: one vectorised comparison per row, then
// one branch (GCC fully unrolls shorter constant loops instead of vectorising them).
constexpr std::size_t kScanChunk = 64;
static_assert(NeighbourIndex::kBlockRows % kScanChunk == 0);

using Candidate = NeighbourIndex::Scratch::Candidate;

// Larger similarity (on the tie grid) first, then the earlier row. Similarities are compared
// on a grid of 2^-20: float sums of equal cosines taken in different orders differ in their
// last bits, and such near-ties must still go to the earlier row.
bool nearer(const Candidate& a, const Candidate& b) {
  return a.level != b.level ? a.level > b.level : a.row < b.row;
}

long tie_level(float similarity) { return std::lround(similarity * kTieGrid); }

// The least similarity whose level exceeds `level`: lround(s x 2^20) > L exactly when
// s x 2^20 >= L + 1/2, and both s x 2^20 and (L + 1/2) x 2^-20 are exact in float (a power of
// two scaling; L < 2^23 since cosines are at most 1 plus rounding).
float least_similarity_above(long level) {
  return static_cast<float>((static_cast<double>(level) + 0.5) / kTieGrid);
}

// Offers every row of block[0, span) (row `first` + j) whose similarity reaches `threshold`
// to the heap of the k best, then zeroes the block for the next one. Rows are offered in
// increasing order, so a row level with the k-th best loses to it (the earlier row): once the
// heap is full, `threshold` is the least similarity of a strictly higher level.
void select_and_clear(float* block, std::size_t span, std::size_t first, std::size_t k,
                      std::vector<Candidate>& best, float& threshold) {
  for (std::size_t c = 0; c < span; c += kScanChunk) {
    float* chunk = block + c;
    int reached = 0;
    for (std::size_t j = 0; j < kScanChunk; ++j) reached |= chunk[j] >= threshold ? 1 : 0;
    if (reached != 0) {
      for (std::size_t j = 0; j < kScanChunk; ++j) {
        const float s = chunk[j];
        if (s < threshold) continue;
        const Candidate candidate{tie_level(s), static_cast<std::uint32_t>(first + c + j), s};
        if (best.size() == k) {
          std::pop_heap(best.begin(), best.end(), nearer);
          best.back() = candidate;
        } else {
          best.push_back(candidate);
        }
        std::push_heap(best.begin(), best.end(), nearer);
        if (best.size() == k) threshold = least_similarity_above(best.front().level);
      }
    }
    std::fill_n(chunk, kScanChunk, 0.0f);
  }
}

}  // namespace

NeighbourIndex::NeighbourIndex(const SparseRows& rows, std::uint32_t dimension)
    : rows_(rows.rows()), dimension_(dimension), slice_start_(std::size_t{dimension} + 1, 0) {
  ZOOTER_CHECK(rows_ <= std::numeric_limits<std::uint32_t>::max());
  // Every posting by bucket, in row order (rows are visited in order).
  std::vector<std::uint64_t> all_start(std::size_t{dimension} + 1, 0);
  for (const std::uint32_t b : rows.index) {
    ZOOTER_CHECK(b < dimension);
    ++all_start[b + 1];
  }
  for (std::size_t b = 0; b < dimension; ++b) {
    const double df = static_cast<double>(all_start[b + 1]);
    pairs_visited_ += df * (df - 1.0);
    all_start[b + 1] += all_start[b];
  }
  postings_ = static_cast<double>(rows.index.size());
  std::vector<std::uint32_t> all_row(rows.index.size());
  std::vector<float> all_value(rows.index.size());
  std::vector<std::uint64_t> next(all_start.begin(), all_start.end() - 1);
  for (std::size_t r = 0; r < rows_; ++r) {
    const SparseView v = rows.row(r);
    for (std::size_t i = 0; i < v.size(); ++i) {
      const std::uint64_t at = next[v.index[i]]++;
      all_row[at] = static_cast<std::uint32_t>(r);
      all_value[at] = v.value[i];
    }
  }
  // Split each bucket's postings by block: dense slices for the blocks it mostly covers,
  // sparse postings for the rest.
  start_.assign(std::size_t{dimension} + 1, 0);
  row_.reserve(all_row.size());
  value_.reserve(all_value.size());
  for (std::size_t b = 0; b < dimension; ++b) {
    std::uint64_t p = all_start[b];
    while (p < all_start[b + 1]) {
      const std::uint32_t block = all_row[p] / kBlockRows;
      const std::size_t first = std::size_t{block} * kBlockRows;
      const std::size_t length = std::min<std::size_t>(kBlockRows, rows_ - first);
      std::uint64_t q = p;
      while (q < all_start[b + 1] && all_row[q] / kBlockRows == block) ++q;
      const std::size_t count = q - p;
      if (count >= kDenseMinPostings && count * kDenseShare >= length) {
        slice_block_.push_back(block);
        const std::size_t at = slice_value_.size();
        slice_value_.resize(at + kBlockRows, 0.0f);
        for (; p < q; ++p) slice_value_[at + (all_row[p] - first)] = all_value[p];
      } else {
        row_.insert(row_.end(), all_row.begin() + static_cast<std::ptrdiff_t>(p),
                    all_row.begin() + static_cast<std::ptrdiff_t>(q));
        value_.insert(value_.end(), all_value.begin() + static_cast<std::ptrdiff_t>(p),
                      all_value.begin() + static_cast<std::ptrdiff_t>(q));
        p = q;
      }
    }
    start_[b + 1] = row_.size();
    slice_start_[b + 1] = static_cast<std::uint32_t>(slice_block_.size());
  }
  row_.shrink_to_fit();
  value_.shrink_to_fit();
}

double NeighbourIndex::mean_features() const {
  return rows_ == 0 ? 0.0 : postings_ / static_cast<double>(rows_);
}

double NeighbourIndex::mean_postings_visited() const {
  return rows_ == 0 ? 0.0 : pairs_visited_ / static_cast<double>(rows_);
}

void NeighbourIndex::nearest(SparseView query, std::size_t k, Scratch& s,
                             std::vector<std::uint32_t>& out, std::vector<float>* similarity) const {
  out.clear();
  if (similarity != nullptr) similarity->clear();
  s.best.clear();
  if (k == 0 || rows_ == 0) return;
  const std::size_t n = query.size();
  s.posting.resize(n);
  s.slice.resize(n);
  for (std::size_t i = 0; i < n; ++i) {
    const std::uint32_t b = query.index[i];
    if (b >= dimension_) continue;
    s.posting[i] = start_[b];
    s.slice[i] = slice_start_[b];
  }
  if (s.block.size() != kBlockRows) s.block.assign(kBlockRows, 0.0f);
  float* block = s.block.data();
  // Until k rows are found, any row sharing a bucket (similarity > 0) qualifies.
  float threshold = std::numeric_limits<float>::denorm_min();
  for (std::size_t first = 0; first < rows_; first += kBlockRows) {
    const auto block_id = static_cast<std::uint32_t>(first / kBlockRows);
    const std::size_t end = std::min<std::size_t>(first + kBlockRows, rows_);
    // The rows scanned: the block's, rounded up to whole chunks (the rest of `block` stays 0).
    const std::size_t span = (end - first + kScanChunk - 1) / kScanChunk * kScanChunk;
    bool touched = false;
    // The query's buckets in order, so each row sums its products in the same order whether
    // they come from postings or from slices.
    for (std::size_t i = 0; i < n; ++i) {
      const std::uint32_t b = query.index[i];
      if (b >= dimension_) continue;
      const float q = query.value[i];
      std::uint32_t& slice = s.slice[i];
      if (slice < slice_start_[b + 1] && slice_block_[slice] == block_id) {
        const float* v = slice_value_.data() + std::size_t{slice} * kBlockRows;
        for (std::size_t j = 0; j < span; ++j) block[j] += q * v[j];
        ++slice;
        touched = true;
        continue;
      }
      std::uint64_t p = s.posting[i];
      const std::uint64_t stop = start_[b + 1];
      if (p == stop || row_[p] >= end) continue;
      for (; p < stop && row_[p] < end; ++p) block[row_[p] - first] += q * value_[p];
      s.posting[i] = p;
      touched = true;
    }
    if (touched) select_and_clear(block, span, first, k, s.best, threshold);
  }
  std::sort_heap(s.best.begin(), s.best.end(), nearer);
  for (const Candidate& c : s.best) {
    out.push_back(c.row);
    if (similarity != nullptr) similarity->push_back(c.similarity);
  }
}

}  // namespace zooter::adapters::router
