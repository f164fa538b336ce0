#include "adapters/router/neighbour_index.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstring>
#include <limits>

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#endif

#include <fmt/format.h>

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
// The block scan looks at kScanChunk rows at a time: one 64-bit mask of the rows that reach
// the threshold, then one branch.
constexpr std::size_t kScanChunk = NeighbourIndex::kScanChunk;
// How many segments ahead of the one being added the search prefetches postings, and how much
// of each segment.
constexpr std::size_t kPrefetchAhead = 4;
constexpr std::size_t kLine = 64;
constexpr std::size_t kMaxPrefetchBytes = 8 * kLine;

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

// Offers row `first` + j of `chunk` to the heap of the k best for every bit j of `bits` (the
// rows that reached `threshold` when the chunk was compared), in increasing j. The threshold
// may rise while they are offered, so each is compared again. Rows are offered in increasing
// order, so a row level with the k-th best loses to it (the earlier row): once the heap is
// full, `threshold` is the least similarity of a strictly higher level.
void offer_rows(std::uint64_t bits, const float* chunk, std::size_t first, std::size_t k,
                std::vector<Candidate>& best, float& threshold) {
  for (; bits != 0; bits &= bits - 1) {
    const auto j = static_cast<std::size_t>(std::countr_zero(bits));
    const float s = chunk[j];
    if (s < threshold) continue;
    const Candidate candidate{tie_level(s), static_cast<std::uint32_t>(first + j), s};
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

// Offers every row of block[0, span) (row `first` + j) whose similarity reaches `threshold`
// to the heap of the k best, then zeroes the block for the next one. The scan reads every row
// of the block, and was a quarter of the search: each chunk of 64 rows becomes a 64-bit mask
// of the rows that reach the threshold (usually none), and only those rows are looked at.
void select_and_clear_portable(float* block, std::size_t span, std::size_t first, std::size_t k,
                               std::vector<Candidate>& best, float& threshold) {
  for (std::size_t c = 0; c < span; c += kScanChunk) {
    const float* chunk = block + c;
    const float t = threshold;
    std::uint64_t bits = 0;
    for (std::size_t j = 0; j < kScanChunk; ++j) bits |= std::uint64_t{chunk[j] >= t} << j;
    if (bits != 0) offer_rows(bits, chunk, first + c, k, best, threshold);
  }
  // One clear of the whole span: libc's vectorised memset, where a clear per chunk compiles to
  // a `rep stos` whose start-up cost was a sixth of the search.
  std::memset(block, 0, span * sizeof(float));
}

#if defined(__x86_64__) && defined(__GNUC__)
// The same with AVX2: 8 rows a comparison, and each chunk zeroed right after it is read, while
// its lines are in L1 (a separate memset read the whole block again from L2).
__attribute__((target("avx2"))) void select_and_clear_avx2(float* block, std::size_t span,
                                                          std::size_t first, std::size_t k,
                                                          std::vector<Candidate>& best,
                                                          float& threshold) {
  static_assert(kScanChunk == 64);
  const __m256 zero = _mm256_setzero_ps();
  for (std::size_t c = 0; c < span; c += kScanChunk) {
    float* chunk = block + c;
    const __m256 t = _mm256_set1_ps(threshold);
    std::uint64_t bits = 0;
    for (unsigned g = 0; g < 8; ++g) {
      const __m256 reached = _mm256_cmp_ps(_mm256_loadu_ps(chunk + 8 * g), t, _CMP_GE_OQ);
      bits |= std::uint64_t{static_cast<unsigned>(_mm256_movemask_ps(reached))} << (8 * g);
    }
    if (bits != 0) offer_rows(bits, chunk, first + c, k, best, threshold);
    for (unsigned g = 0; g < 8; ++g) _mm256_storeu_ps(chunk + 8 * g, zero);
  }
}
#endif

void select_and_clear(float* block, std::size_t span, std::size_t first, std::size_t k,
                      std::vector<Candidate>& best, float& threshold, bool portable) {
#if defined(__x86_64__) && defined(__GNUC__)
  static const bool kAvx2 = __builtin_cpu_supports("avx2");
  if (kAvx2 && !portable) return select_and_clear_avx2(block, span, first, k, best, threshold);
#endif
  select_and_clear_portable(block, span, first, k, best, threshold);
}

// The rows a block's scan covers: `rows` rounded up to whole chunks.
std::size_t scan_span(std::size_t rows) { return (rows + kScanChunk - 1) / kScanChunk * kScanChunk; }

}  // namespace

NeighbourIndex::NeighbourIndex(const SparseRows& rows, std::uint32_t dimension,
                               std::uint32_t block_rows)
    : rows_(rows.rows()), block_rows_(block_rows), dimension_(dimension) {
  if (block_rows == kAutomaticBlockRows) {
    const bool feature_rich = rows_ != 0 && rows.index.size() > kFeatureRichRow * rows_;
    block_rows_ = feature_rich ? kFeatureRichBlockRows : kMaxBlockRows;
  } else if (block_rows > kMaxBlockRows || block_rows % kScanChunk != 0) {
    throw UsageError(fmt::format("neighbour index: block of {} rows (want a multiple of {} up to {})",
                                 block_rows, kScanChunk, kMaxBlockRows));
  }
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
  // Cut each bucket's postings at block boundaries: a dense slice for a block the bucket
  // mostly covers, sparse postings for the others.
  segment_start_.assign(std::size_t{dimension} + 1, 0);
  posting_.reserve(all_row.size());
  for (std::size_t b = 0; b < dimension; ++b) {
    std::uint64_t p = all_start[b];
    while (p < all_start[b + 1]) {
      const std::uint32_t block = all_row[p] / block_rows_;
      const std::size_t first = std::size_t{block} * block_rows_;
      const std::size_t length = std::min<std::size_t>(block_rows_, rows_ - first);
      std::uint64_t q = p;
      while (q < all_start[b + 1] && all_row[q] / block_rows_ == block) ++q;
      const std::size_t count = q - p;
      if (count >= kDenseMinPostings && count * kDenseShare >= length) {
        segment_.push_back({block, Segment::kDense, slice_value_.size()});
        const std::size_t at = slice_value_.size();
        slice_value_.resize(at + scan_span(length), 0.0f);
        for (; p < q; ++p) slice_value_[at + (all_row[p] - first)] = all_value[p];
        ++dense_slices_;
      } else {
        segment_.push_back({block, static_cast<std::uint32_t>(count), posting_.size()});
        for (; p < q; ++p) {
          posting_.push_back({static_cast<std::uint16_t>(all_row[p] - first), all_value[p]});
        }
      }
    }
    ZOOTER_CHECK(segment_.size() <= std::numeric_limits<std::uint32_t>::max());
    segment_start_[b + 1] = static_cast<std::uint32_t>(segment_.size());
  }
  posting_.shrink_to_fit();
}

void NeighbourIndex::prefetch_postings(const Segment& segment) const {
  if (segment.count == Segment::kDense) return;  // read sequentially: the hardware prefetches
  // Every cache line of the segment's postings, up to a few: the hardware prefetcher
  // takes over on longer runs. Addresses stay inside the segment.
  const auto* begin = reinterpret_cast<const char*>(posting_.data() + segment.at);
  const std::size_t bytes = std::min(segment.count * sizeof(Posting), kMaxPrefetchBytes);
  for (std::size_t at = 0; at < bytes; at += kLine) __builtin_prefetch(begin + at);
  __builtin_prefetch(begin + bytes - 1);  // the last line when `begin` is not line-aligned
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
  s.segment.resize(n);
  s.segment_end.resize(n);
  for (std::size_t i = 0; i < n; ++i) {
    const std::uint32_t b = query.index[i];
    s.segment[i] = b < dimension_ ? segment_start_[b] : 0;
    s.segment_end[i] = b < dimension_ ? segment_start_[b + 1] : 0;
  }
  for (std::size_t i = 0; i < n; ++i) __builtin_prefetch(segment_.data() + s.segment[i]);
  // The block array only ever holds zeros between calls, so growing it keeps that true.
  const std::size_t block_size = std::min<std::size_t>(block_rows_, scan_span(rows_));
  if (s.block.size() < block_size) s.block.assign(block_size, 0.0f);
  float* block = s.block.data();
  // Until k rows are found, any row sharing a bucket (similarity > 0) qualifies.
  float threshold = std::numeric_limits<float>::denorm_min();
  for (std::size_t first = 0; first < rows_; first += block_rows_) {
    const auto block_id = static_cast<std::uint32_t>(first / block_rows_);
    const std::size_t end = std::min<std::size_t>(first + block_rows_, rows_);
    // The rows scanned: the block's, rounded up to whole chunks (the rest of `block` stays 0).
    const std::size_t span = scan_span(end - first);
    // The query's segments in this block, in the order of its buckets (so each row sums its
    // products in the same order whether they come from postings or from slices).
    s.active.clear();
    for (std::size_t i = 0; i < n; ++i) {
      std::uint32_t& at = s.segment[i];
      if (at == s.segment_end[i] || segment_[at].block != block_id) continue;
      s.active.push_back({at++, query.value[i]});
    }
    // A query's segments lie scattered over the whole index, and waiting for each in turn was
    // most of the search time: the postings of the segment kPrefetchAhead places on are asked
    // for while this one is added.
    const std::size_t active = s.active.size();
    for (std::size_t a = 0; a < std::min(active, kPrefetchAhead); ++a) {
      prefetch_postings(segment_[s.active[a].segment]);
    }
    for (std::size_t a = 0; a < active; ++a) {
      if (a + kPrefetchAhead < active) prefetch_postings(segment_[s.active[a + kPrefetchAhead].segment]);
      const Segment& segment = segment_[s.active[a].segment];
      const float q = s.active[a].weight;
      if (segment.count == Segment::kDense) {
        const float* v = slice_value_.data() + segment.at;
        for (std::size_t j = 0; j < span; ++j) block[j] += q * v[j];
        continue;
      }
      const Posting* posting = posting_.data() + segment.at;
      for (std::uint32_t j = 0; j < segment.count; ++j) block[posting[j].offset] += q * posting[j].value;
    }
    if (!s.active.empty()) select_and_clear(block, span, first, k, s.best, threshold, s.portable_scan);
  }
  std::sort_heap(s.best.begin(), s.best.end(), nearer);
  for (const Candidate& c : s.best) {
    out.push_back(c.row);
    if (similarity != nullptr) similarity->push_back(c.similarity);
  }
}

}  // namespace zooter::adapters::router
