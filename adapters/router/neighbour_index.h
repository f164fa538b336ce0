// Exact cosine nearest neighbours of sparse, unit-norm feature vectors (the featuriser's), by
// an inverted index: for each bucket, the training rows that have it and their values.
//
// A query's similarity to the training rows is accumulated block by block: for each block of
// up to 65,536 consecutive rows, a dense array of floats (256 KiB at most, held in the core's L2
// cache) receives the products of the query's buckets' postings in that block, and is then
// scanned for rows that beat the k-th best so far (a small heap) and zeroed for the next
// block. Postings are stored cut at block boundaries ("segments"), with rows as 16-bit offsets
// into their block, and the segments a query needs are prefetched a few ahead of their use:
// they lie scattered over the whole index, and waiting for each in turn was most of the
// search time. A bucket that most rows of a block have (stop-word-like features, common
// character n-grams) keeps that block's values as a dense slice instead of postings: adding
// q x slice is a sequential, vectorisable loop where postings would be a scatter. Every row
// still receives its products in the order of the query's buckets (rows lacking a dense
// bucket receive an exact +0), so each similarity is the same float, bit for bit, as a plain
// posting-by-posting sum over the query's buckets, whatever the block size.
//
// Ties are broken by training-row order (the earlier row is nearer), so results never depend
// on the order of evaluation; similarities that round to the same multiple of 2^-20 are ties.
// Feature values must be positive (the featuriser's are), so a row's similarity is positive
// exactly when it shares a bucket with the query. Immutable once built; nearest() is
// thread-safe given one Scratch per thread.
#pragma once

#include <cstdint>
#include <vector>

#include "adapters/router/featuriser.h"

namespace zooter::adapters::router {

class NeighbourIndex {
 public:
  // Rows per block of the similarity search, at most: offsets within a block are 16 bits.
  static constexpr std::uint32_t kMaxBlockRows = 65536;
  // Block granularity: the scan for the k best looks at this many rows at a time.
  static constexpr std::uint32_t kScanChunk = 64;
  // Picks the block size from the rows' mean features (below).
  static constexpr std::uint32_t kAutomaticBlockRows = 0;
  // Rows of more than kFeatureRichRow features on average get blocks of kFeatureRichBlockRows.
  static constexpr std::size_t kFeatureRichRow = 128;
  static constexpr std::uint32_t kFeatureRichBlockRows = 8192;

  // `block_rows` (a multiple of kScanChunk, at most kMaxBlockRows) changes the speed only,
  // never a result; tests use small blocks to cross block boundaries cheaply. Automatic:
  // kMaxBlockRows for rows of at most 128 features (word features: each bucket's postings are
  // then read in one run, and one block of 48,000 floats in L2 beat blocks of 8,192 in L1 by a
  // fifth in bench/knn_bench.cc), else 8,192 (with character n-grams, ~275 features a row, the
  // L1-sized blocks were a quarter faster).
  NeighbourIndex(const SparseRows& rows, std::uint32_t dimension,
                 std::uint32_t block_rows = kAutomaticBlockRows);

  [[nodiscard]] std::uint32_t block_rows() const { return block_rows_; }
  [[nodiscard]] std::size_t rows() const { return rows_; }
  // Mean non-zero features per training row.
  [[nodiscard]] double mean_features() const;
  // Mean postings a query visits when it is like the training rows: for each training row, the
  // postings of its buckets in every other row (sum over buckets b of df_b x (df_b - 1), over
  // the number of rows; df_b = rows having b). A deterministic estimate for FLOP counts.
  [[nodiscard]] double mean_postings_visited() const;
  // How many (bucket, block) pairs are stored as dense slices (for tests and diagnostics).
  [[nodiscard]] std::size_t dense_slices() const { return dense_slices_; }

  // One worker's buffers, reused from query to query: nearest() allocates nothing once they
  // have grown.
  struct Scratch {
    std::vector<float> block;            // similarities of one block's rows; all 0 between calls
    std::vector<std::uint32_t> segment;      // per query bucket: its next segment
    std::vector<std::uint32_t> segment_end;  // per query bucket: past its last segment
    struct Active {
      std::uint32_t segment;  // of the block searched
      float weight;           // the query's value for the segment's bucket
    };
    std::vector<Active> active;  // the block's segments, in query order
    struct Candidate {
      std::int64_t level;  // similarity on the tie grid
      std::uint32_t row;
      float similarity;
    };
    std::vector<Candidate> best;  // a heap, the farthest of the k best on top
    // Scan blocks with the portable code even where the CPU has AVX2 (for tests: both scans
    // must give the same results).
    bool portable_scan = false;
  };

  // The k (or fewer, when fewer rows share a bucket with the query) most similar rows, most
  // similar first, ties by row order; rows with similarity 0 are never returned. When no row
  // shares a bucket, the result is empty. `similarity`, when given, receives each returned
  // row's cosine similarity, in the same order. Query buckets at or past the dimension are
  // ignored.
  void nearest(SparseView query, std::size_t k, Scratch& scratch, std::vector<std::uint32_t>& out,
               std::vector<float>* similarity = nullptr) const;

 private:
  std::size_t rows_ = 0;
  std::uint32_t block_rows_ = 0;
  std::uint32_t dimension_ = 0;
  double postings_ = 0.0;        // non-zeros over all rows
  double pairs_visited_ = 0.0;   // sum over buckets of df x (df - 1)
  // Bucket b's postings, cut at block boundaries: segments [segment_start_[b],
  // segment_start_[b + 1]), in block order, one per block where b occurs. A sparse segment
  // holds `count` postings at posting_[at], rows as offsets from the block's first row (16
  // bits: 2 bytes a row instead of 4, and no comparison against the block's end); a
  // dense one (count == kDense) a slice of the block's values (its rows rounded up to whole
  // scan chunks) at slice_value_[at], 0 where a row lacks b.
  struct Segment {
    static constexpr std::uint32_t kDense = 0xffffffffu;
    std::uint32_t block;
    std::uint32_t count;
    std::uint64_t at;
  };
  // Asks the cache for the first lines of a sparse segment's postings.
  void prefetch_postings(const Segment& segment) const;

  std::vector<std::uint32_t> segment_start_;
  std::vector<Segment> segment_;
  // A row offset and its value side by side, 6 bytes unpadded: one stream to fetch per
  // segment instead of two was a tenth faster (bench/knn_bench.cc, eight runs each).
  struct Posting {
    std::uint16_t offset;
    float value;
  } __attribute__((packed));
  static_assert(sizeof(Posting) == 6);
  std::vector<Posting> posting_;
  std::vector<float> slice_value_;
  std::size_t dense_slices_ = 0;
};

}  // namespace zooter::adapters::router
