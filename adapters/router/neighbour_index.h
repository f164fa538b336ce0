// Exact cosine nearest neighbours of sparse, unit-norm feature vectors (the featuriser's), by
// an inverted index: for each bucket, the training rows that have it and their values.
//
// A query's similarity to the training rows is accumulated block by block: for each block of
// kBlockRows consecutive rows, a dense array of kBlockRows floats (small enough to stay in the
// core's L1/L2 cache) receives the products of the query's buckets' postings in that block, and
// is then scanned for rows that beat the k-th best so far (a small heap) and zeroed for the
// next block. A bucket that most rows of a block have (stop-word-like features, common
// character n-grams) keeps that block's values as a dense slice instead of postings: adding
// q x slice is a sequential, vectorisable loop where postings would be a scatter. Every row
// still receives its products in the order of the query's buckets (rows lacking a dense
// bucket receive an exact +0), so each similarity is the same float, bit for bit, as a plain
// posting-by-posting sum over the query's buckets.
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
  // Rows per block of the similarity search: 8,192 floats are 32 KiB.
  static constexpr std::uint32_t kBlockRows = 8192;

  NeighbourIndex(const SparseRows& rows, std::uint32_t dimension);

  [[nodiscard]] std::size_t rows() const { return rows_; }
  // Mean non-zero features per training row.
  [[nodiscard]] double mean_features() const;
  // Mean postings a query visits when it is like the training rows: for each training row, the
  // postings of its buckets in every other row (sum over buckets b of df_b x (df_b - 1), over
  // the number of rows; df_b = rows having b). A deterministic estimate for FLOP counts.
  [[nodiscard]] double mean_postings_visited() const;
  // How many (bucket, block) pairs are stored as dense slices (for tests and diagnostics).
  [[nodiscard]] std::size_t dense_slices() const { return slice_block_.size(); }

  // One worker's buffers, reused from query to query: nearest() allocates nothing once they
  // have grown.
  struct Scratch {
    std::vector<float> block;            // similarities of one block's rows; all 0 between calls
    std::vector<std::uint64_t> posting;  // per query bucket: its next sparse posting
    std::vector<std::uint32_t> slice;    // per query bucket: its next dense slice
    struct Candidate {
      std::int64_t level;  // similarity on the tie grid
      std::uint32_t row;
      float similarity;
    };
    std::vector<Candidate> best;  // a heap, the farthest of the k best on top
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
  std::uint32_t dimension_ = 0;
  double postings_ = 0.0;        // non-zeros over all rows
  double pairs_visited_ = 0.0;   // sum over buckets of df x (df - 1)
  // Sparse postings of bucket b, in row order: [start_[b], start_[b + 1]).
  std::vector<std::uint64_t> start_;
  std::vector<std::uint32_t> row_;
  std::vector<float> value_;
  // Dense slices of bucket b, in block order: [slice_start_[b], slice_start_[b + 1]); slice s
  // holds block slice_block_[s]'s values at slice_value_[s x kBlockRows], 0 where a row lacks b.
  std::vector<std::uint32_t> slice_start_;
  std::vector<std::uint32_t> slice_block_;
  std::vector<float> slice_value_;
};

}  // namespace zooter::adapters::router
