// Exact cosine nearest neighbours of sparse, unit-norm feature vectors (the featuriser's), by
// an inverted index: for each bucket, the training rows that have it and their values. A
// query's similarity to every training row is accumulated over its own buckets' postings only,
// so the work is the total length of those postings, not the number of training rows.
//
// Ties are broken by training-row order (the earlier row is nearer), so results never depend
// on the order of evaluation; similarities that round to the same multiple of 2^-20 are ties. Immutable once built; nearest() is thread-safe given one Scratch
// per thread.
#pragma once

#include <cstdint>
#include <vector>

#include "adapters/router/featuriser.h"

namespace zooter::adapters::router {

class NeighbourIndex {
 public:
  NeighbourIndex(const SparseRows& rows, std::uint32_t dimension);

  [[nodiscard]] std::size_t rows() const { return rows_; }

  // One worker's buffers: a similarity per training row and the rows touched so far.
  struct Scratch {
    std::vector<float> similarity;
    std::vector<std::uint32_t> touched;
  };

  // The k (or fewer, when fewer rows share a bucket with the query) most similar rows, most
  // similar first, ties by row order; rows with similarity 0 are never returned. When no row
  // shares a bucket, the result is empty. `similarity`, when given, receives each returned
  // row's cosine similarity, in the same order.
  void nearest(SparseView query, std::size_t k, Scratch& scratch, std::vector<std::uint32_t>& out,
               std::vector<float>* similarity = nullptr) const;

 private:
  std::size_t rows_ = 0;
  std::vector<std::uint64_t> start_;  // postings of bucket b: [start_[b], start_[b + 1])
  std::vector<std::uint32_t> row_;
  std::vector<float> value_;
};

}  // namespace zooter::adapters::router
