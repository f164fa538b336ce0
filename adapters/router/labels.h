// The training targets of the Zooter router (paper §3.2): silver labels distilled from reward
// scores, optionally sharpened or flattened, and the tag-based label enhancement.
//
// Pure functions on small dense matrices (queries x candidates), so every step can be checked
// by hand. Where the rewards come from (a reward model, or gold) is training_set.h's business.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace zooter::adapters::router {

// A queries x candidates matrix of doubles, row-major by query.
struct LabelMatrix {
  std::size_t columns = 0;
  std::vector<double> values;

  LabelMatrix() = default;
  LabelMatrix(std::size_t rows, std::size_t columns)
      : columns(columns), values(rows * columns, 0.0) {}

  [[nodiscard]] std::size_t rows() const { return columns == 0 ? 0 : values.size() / columns; }
  [[nodiscard]] std::span<double> row(std::size_t r) {
    return {values.data() + r * columns, columns};
  }
  [[nodiscard]] std::span<const double> row(std::size_t r) const {
    return {values.data() + r * columns, columns};
  }
};

// How raw rewards are rescaled before the softmax. The paper uses them raw (kNone).
enum class Normalisation {
  kNone,
  kQueryZ,       // per query: (r - mean) / sd over the candidates
  kModelZ,       // per candidate: (r - mean) / sd over the training queries
  kQueryMinMax,  // per query: (r - min) / (max - min)
};

// "none", "query-z", "model-z", "query-minmax".
[[nodiscard]] std::string normalisation_name(Normalisation n);
// Throws UsageError listing the valid names.
[[nodiscard]] Normalisation parse_normalisation(const std::string& name);

// Returns the rescaled rewards. A zero spread (all candidates equal on a query, or a candidate
// constant over all queries) leaves the centred value 0 rather than dividing by zero.
[[nodiscard]] LabelMatrix normalise_rewards(const LabelMatrix& rewards, Normalisation how);

// Zooter paper, silver labels: s(q) = softmax(r(q) / temperature) per row. temperature > 0.
[[nodiscard]] LabelMatrix silver_labels(const LabelMatrix& rewards, double temperature = 1.0);

// The hard-label ablation: one-hot on the arg-max reward per row (ties: the first candidate).
[[nodiscard]] LabelMatrix hard_labels(const LabelMatrix& rewards);

// Tags of each row of a label matrix (CSR, like Queries::tags): row r carries
// ids[offset[r] .. offset[r+1]), each < `count`.
struct TagLists {
  std::size_t count = 0;  // number of distinct tag ids
  std::vector<std::uint32_t> offset{0};
  std::vector<std::uint32_t> ids;

  [[nodiscard]] std::size_t rows() const { return offset.size() - 1; }
  [[nodiscard]] std::span<const std::uint32_t> of(std::size_t r) const {
    return {ids.data() + offset[r], ids.data() + offset[r + 1]};
  }
  [[nodiscard]] bool any() const { return !ids.empty(); }
};

// Zooter paper, tag-based label enhancement. With s_t the mean of s(q') over the rows q'
// carrying tag t, each row becomes s*(q) = (1 - beta) s(q) + beta mean over q's tags t of s_t.
// beta = 0 returns the labels unchanged (plain distillation, the paper's "beta = 0" row that its
// hard-label ablation is compared with); beta = 1 keeps only the tag-level part. A row without
// tags keeps s(q). `tags` has one row per label row; beta in [0, 1].
[[nodiscard]] LabelMatrix enhance_with_tags(const LabelMatrix& labels, const TagLists& tags,
                                            double beta);

}  // namespace zooter::adapters::router
