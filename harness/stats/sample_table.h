// The evaluated sample arranged for resampling: every adapter's and every candidate's answer
// value on every evaluated query, with rows grouped by evaluated subset, plus the one
// resampling scheme (its random keys) that every bootstrap in zooter::stats shares.
//
// Not for: the reported point estimates (harness/evaluator.h computes those), although
// sample_means() reproduces the evaluator's subset scores bit for bit. docs/statistics.md
// describes the scheme.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "harness/evaluation.h"

namespace zooter {
struct AdapterRun;
struct Bundle;
class RunContext;
}  // namespace zooter

namespace zooter::stats {

// The random stream of every bootstrap draw (the bytes of "zboot").
inline constexpr std::uint64_t kBootstrapStream = 0x7a626f6f74;
// The random stream of the training seeds drawn in each replicate (the bytes of "zseed").
inline constexpr std::uint64_t kSeedStream = 0x7a73656564;

class SampleTable {
 public:
  // `queries` are the evaluated queries (indices into the bundle, increasing) and `runs` hold
  // one decision per query, as for evaluate(). Decisions must name valid candidates (checked).
  // `seed_runs`, when given, has one entry per run: empty, or the runs of the same adapter
  // trained on each of its seeds. Such a run's column is then the mean over its seeds: per
  // query (value()), and per subset the mean of the seeds' subset means, the seeds being
  // resampled with replacement in each replicate (replicate_means).
  SampleTable(const Bundle& bundle, std::span<const std::uint32_t> queries,
              const std::vector<AdapterRun>& runs, const RunContext& ctx);
  SampleTable(const Bundle& bundle, std::span<const std::uint32_t> queries,
              const std::vector<AdapterRun>& runs, const RunContext& ctx,
              const std::vector<std::vector<AdapterRun>>& seed_runs);

  // Column c < adapters() is run c's answer value (the candidates' mean for a uniform draw,
  // as in the evaluator); column adapters() + m is candidate m's gold score.
  [[nodiscard]] std::size_t adapters() const { return adapters_; }
  [[nodiscard]] std::size_t candidates() const { return candidates_; }
  [[nodiscard]] std::size_t columns() const { return adapters_ + candidates_; }
  [[nodiscard]] std::size_t rows() const { return row_begin_.back(); }

  // Evaluated subsets and groups in the order of Evaluation::subsets and ::groups.
  [[nodiscard]] const std::vector<EvaluatedSubset>& subsets() const { return subsets_; }
  [[nodiscard]] const std::vector<EvaluatedGroup>& groups() const { return groups_; }
  [[nodiscard]] bool higher_is_better(std::size_t subset) const { return higher_[subset] != 0; }

  // Subset s owns rows [row_begin(s), row_begin(s + 1)), in query order.
  [[nodiscard]] std::size_t row_begin(std::size_t subset) const { return row_begin_[subset]; }
  // The value of column c on row r.
  [[nodiscard]] double value(std::size_t r, std::size_t c) const {
    return values_[r * stride_ + stored_column_[c]];
  }
  // How many distinct columns are stored (equal columns are stored once; see the .cc).
  [[nodiscard]] std::size_t stored_columns() const { return stored_; }

  // Every column's mean on every subset, out[s * columns() + c], over the sample itself:
  // summed in query order, so a run's entry equals the evaluator's subset score exactly (a
  // seeded run's: the sum over its seeds, in seed order, of their subset scores, divided by
  // the seed count, as pipeline/seed_runs.h reports it).
  // `out` must hold subsets().size() * columns() values.
  void sample_means(std::span<double> out) const;

  // The same means over bootstrap replicate `replicate`: subset s's n_s rows are drawn with
  // replacement, draw i being row row_begin(s) + j with
  //   j = random::below(seed, kBootstrapStream, replicate * rows() + row_begin(s) + i, n_s),
  // and summed in draw order. A seeded run with N seeds averages N seeds drawn with
  // replacement, draw k being seed random::below(seed, kSeedStream, replicate * N + k, N), the
  // same draws for every subset (a seed is one trained router) and for every run with N seeds
  // (seed k of two routers is evaluated together). A pure function of (seed, replicate): any
  // thread may compute it.
  void replicate_means(std::uint64_t seed, std::uint64_t replicate, std::span<double> out) const;

 private:
  // `seed_draws[a]`: the seeds run a averages (positions in its seed list), for seeded runs.
  void expand_means(const double* sums, double n, const std::vector<std::vector<std::uint32_t>>& seed_draws,
                    double* out) const;
  [[nodiscard]] std::vector<std::vector<std::uint32_t>> all_seeds() const;

  // Per run: the internal columns of its seeds (after the candidates'), empty when not seeded.
  std::vector<std::vector<std::size_t>> seed_columns_;

  std::size_t adapters_ = 0;
  std::size_t candidates_ = 0;
  std::vector<EvaluatedSubset> subsets_;
  std::vector<EvaluatedGroup> groups_;
  std::vector<char> higher_;
  std::vector<std::size_t> row_begin_;  // subsets().size() + 1 entries
  std::vector<std::size_t> stored_column_;  // per internal column (columns(), then seed columns)
  std::size_t stored_ = 0;              // distinct columns
  std::size_t stride_ = 0;              // stored_ rounded up to a whole number of chunks
  std::vector<double> values_;          // rows() x stride_, row-major, zero padding
};

}  // namespace zooter::stats
