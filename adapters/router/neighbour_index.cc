#include "adapters/router/neighbour_index.h"

#include <algorithm>
#include <cmath>

namespace zooter::adapters::router {
namespace {
constexpr float kTieGrid = 1048576.0f;  // 2^20
}  // namespace

NeighbourIndex::NeighbourIndex(const SparseRows& rows, std::uint32_t dimension)
    : rows_(rows.rows()), start_(std::size_t{dimension} + 1, 0) {
  for (const std::uint32_t b : rows.index) ++start_[b + 1];
  for (std::size_t b = 0; b < dimension; ++b) start_[b + 1] += start_[b];
  row_.resize(rows.index.size());
  value_.resize(rows.index.size());
  std::vector<std::uint64_t> next(start_.begin(), start_.end() - 1);
  // Rows in order, so every posting list is in row order.
  for (std::size_t r = 0; r < rows_; ++r) {
    const SparseView v = rows.row(r);
    for (std::size_t i = 0; i < v.size(); ++i) {
      const std::uint64_t at = next[v.index[i]]++;
      row_[at] = static_cast<std::uint32_t>(r);
      value_[at] = v.value[i];
    }
  }
}

void NeighbourIndex::nearest(SparseView query, std::size_t k, Scratch& s,
                             std::vector<std::uint32_t>& out, std::vector<float>* similarity) const {
  out.clear();
  if (similarity != nullptr) similarity->clear();
  if (s.similarity.size() != rows_) s.similarity.assign(rows_, 0.0f);
  s.touched.clear();
  for (std::size_t i = 0; i < query.size(); ++i) {
    const float q = query.value[i];
    const std::uint32_t b = query.index[i];
    if (std::size_t{b} + 1 >= start_.size()) continue;
    for (std::uint64_t p = start_[b]; p < start_[b + 1]; ++p) {
      float& sim = s.similarity[row_[p]];
      if (sim == 0.0f) s.touched.push_back(row_[p]);
      sim += q * value_[p];
    }
  }
  // The k best touched rows: larger similarity first, then the earlier row. Similarities are
  // compared on a grid of 2^-20: float sums of equal cosines taken in different orders differ
  // in their last bits, and such near-ties must still go to the earlier row.
  auto level = [&](std::uint32_t r) { return std::lround(s.similarity[r] * kTieGrid); };
  auto nearer = [&](std::uint32_t a, std::uint32_t b) {
    const long la = level(a), lb = level(b);
    return la != lb ? la > lb : a < b;
  };
  // Feature values are positive, so a touched row's similarity never returns to 0 and no row
  // is listed twice.
  std::vector<std::uint32_t>& t = s.touched;
  const std::size_t keep = std::min(k, t.size());
  std::partial_sort(t.begin(), t.begin() + static_cast<std::ptrdiff_t>(keep), t.end(), nearer);
  for (std::size_t i = 0; i < keep; ++i) {
    if (s.similarity[t[i]] <= 0.0f) continue;
    out.push_back(t[i]);
    if (similarity != nullptr) similarity->push_back(s.similarity[t[i]]);
  }
  for (const std::uint32_t r : t) s.similarity[r] = 0.0f;
}

}  // namespace zooter::adapters::router
