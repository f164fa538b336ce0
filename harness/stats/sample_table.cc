#include "harness/stats/sample_table.h"

#include <algorithm>
#include <cstdint>
#include <cstring>

#include "harness/bundle.h"
#include "harness/error.h"
#include "harness/evaluator.h"
#include "harness/parallel.h"
#include "harness/random.h"

namespace zooter::stats {
namespace {

constexpr std::size_t kChunk = 8;  // columns summed per pass: 4 SSE2 or 2 AVX registers

// Sums the rows `draws` of a subset's block into out[0, columns), each column in draw order.
// The hot loop of every bootstrap: columns are taken kChunk at a time so the partial sums stay
// in registers (a row-at-a-time loop is bound by storing every running sum after each draw);
// rows are padded with zeros to a multiple of kChunk columns.
void sum_rows(const double* block, std::size_t stride, std::size_t columns,
              std::span<const std::uint32_t> draws, double* out) {
  for (std::size_t first = 0; first < columns; first += kChunk) {
    double sum[kChunk] = {};
    const double* base = block + first;
    for (std::uint32_t j : draws) {
      const double* row = base + static_cast<std::size_t>(j) * stride;
      for (std::size_t c = 0; c < kChunk; ++c) sum[c] += row[c];
    }
    const std::size_t valid = std::min(kChunk, columns - first);
    for (std::size_t c = 0; c < valid; ++c) out[first + c] = sum[c];
  }
}

}  // namespace

SampleTable::SampleTable(const Bundle& bundle, std::span<const std::uint32_t> queries,
                         const std::vector<AdapterRun>& runs, const RunContext& ctx)
    : SampleTable(bundle, queries, runs, ctx, {}) {}

SampleTable::SampleTable(const Bundle& bundle, std::span<const std::uint32_t> queries,
                         const std::vector<AdapterRun>& runs, const RunContext& ctx,
                         const std::vector<std::vector<AdapterRun>>& seed_runs)
    : adapters_(runs.size()), candidates_(bundle.model_count()) {
  const Manifest& manifest = bundle.manifest;
  const auto n_models = static_cast<std::int16_t>(bundle.model_count());
  auto check_run = [&](const AdapterRun& run) {
    ZOOTER_CHECK(run.decisions.size() == queries.size());
    for (const Decision& d : run.decisions) {
      ZOOTER_CHECK(d.answer == Decision::kUniform || (d.answer >= 0 && d.answer < n_models));
    }
  };
  for (const AdapterRun& run : runs) check_run(run);
  ZOOTER_CHECK(seed_runs.empty() || seed_runs.size() == runs.size());

  // A seeded run's seeds get internal columns after the candidates': the bootstrap sums them
  // like any column and averages the seeds it draws (expand_means).
  seed_columns_.resize(adapters_);
  std::vector<const AdapterRun*> seed_run_of;  // per seed column
  for (std::size_t a = 0; a < seed_runs.size(); ++a) {
    for (const AdapterRun& run : seed_runs[a]) {
      check_run(run);
      seed_columns_[a].push_back(columns() + seed_run_of.size());
      seed_run_of.push_back(&run);
    }
  }
  const std::size_t internal_columns = columns() + seed_run_of.size();

  // The evaluator's layout (subset_layout), and its answer values (answer_value, below).
  SubsetLayout layout = subset_layout(bundle, queries);
  subsets_ = std::move(layout.subsets);
  groups_ = std::move(layout.groups);
  for (const EvaluatedSubset& s : subsets_) {
    higher_.push_back(manifest.subsets[s.subset].metric.higher_is_better ? 1 : 0);
  }
  row_begin_.assign(subsets_.size() + 1, 0);
  for (std::size_t s = 0; s < subsets_.size(); ++s) {
    row_begin_[s + 1] = row_begin_[s] + subsets_[s].queries;
  }

  // Each query's row: its subset's block, in query order within the block.
  std::vector<std::size_t> next(row_begin_.begin(), row_begin_.end() - 1);
  std::vector<std::size_t> row_of(queries.size());
  for (std::size_t i = 0; i < queries.size(); ++i) {
    row_of[i] = next[layout.subset_of[i]]++;
  }

  // Columns that are equal on every query are stored once: every single@MODEL adapter's
  // column is candidate MODEL's gold. The bootstrap gathers random rows, so at a million
  // queries its time is cache misses, and it goes with the bytes of a row. A stored column's
  // sums are the same additions in the same order as its copies' would be: the same bits.
  stored_column_.resize(internal_columns);
  std::vector<std::size_t> stored_from;  // per stored column, the first column holding it
  auto column_value = [&](std::size_t i, std::size_t c) {
    const std::size_t q = queries[i];
    if (c >= columns()) return answer_value(bundle, q, seed_run_of[c - columns()]->decisions[i]);
    if (c >= adapters_) return bundle.gold(q, c - adapters_);
    if (seed_columns_[c].empty()) return answer_value(bundle, q, runs[c].decisions[i]);
    // The per-query seed-mean, for paired tests; subset means average the seeds' means.
    double sum = 0.0;
    for (const AdapterRun& seeded : seed_runs[c]) sum += answer_value(bundle, q, seeded.decisions[i]);
    return sum / static_cast<double>(seed_runs[c].size());
  };
  auto same_bits = [&](std::size_t c, std::size_t d) {
    for (std::size_t i = 0; i < queries.size(); ++i) {
      const double x = column_value(i, c), y = column_value(i, d);
      if (std::memcmp(&x, &y, sizeof x) != 0) return false;
    }
    return true;
  };
  for (std::size_t c = 0; c < internal_columns; ++c) {
    std::size_t s = 0;
    while (s < stored_from.size() && !same_bits(stored_from[s], c)) ++s;
    if (s == stored_from.size()) stored_from.push_back(c);
    stored_column_[c] = s;
  }
  stored_ = stored_from.size();
  stride_ = (stored_ + kChunk - 1) / kChunk * kChunk;
  values_.assign(rows() * stride_, 0.0);
  parallel_for_each(ctx, queries.size(), [&](std::size_t i) {
    double* row = values_.data() + row_of[i] * stride_;
    for (std::size_t s = 0; s < stored_; ++s) row[s] = column_value(i, stored_from[s]);
  });
}

// Expands the stored columns' sums (in) into every column's mean (out); a seeded run's mean
// is the mean of its drawn seeds' means, added in draw order.
void SampleTable::expand_means(const double* sums, double n,
                               const std::vector<std::vector<std::uint32_t>>& seed_draws,
                               double* out) const {
  for (std::size_t c = 0; c < columns(); ++c) {
    if (c >= adapters_ || seed_columns_[c].empty()) {
      out[c] = sums[stored_column_[c]] / n;
      continue;
    }
    const std::vector<std::size_t>& seeds = seed_columns_[c];
    double total = 0.0;
    for (const std::uint32_t k : seed_draws[c]) total += sums[stored_column_[seeds[k]]] / n;
    out[c] = total / static_cast<double>(seeds.size());
  }
}

std::vector<std::vector<std::uint32_t>> SampleTable::all_seeds() const {
  std::vector<std::vector<std::uint32_t>> out(adapters_);
  for (std::size_t a = 0; a < adapters_; ++a) {
    for (std::size_t k = 0; k < seed_columns_[a].size(); ++k) out[a].push_back(static_cast<std::uint32_t>(k));
  }
  return out;
}

void SampleTable::sample_means(std::span<double> out) const {
  const std::size_t width = columns();
  ZOOTER_CHECK(out.size() == subsets_.size() * width);
  const std::vector<std::vector<std::uint32_t>> seeds = all_seeds();
  std::vector<std::uint32_t> draws;
  std::vector<double> sums(stored_);
  for (std::size_t s = 0; s < subsets_.size(); ++s) {
    const std::size_t n = subsets_[s].queries;
    draws.resize(n);
    for (std::size_t i = 0; i < n; ++i) draws[i] = static_cast<std::uint32_t>(i);
    sum_rows(values_.data() + row_begin_[s] * stride_, stride_, stored_, draws, sums.data());
    expand_means(sums.data(), static_cast<double>(n), seeds, out.data() + s * width);
  }
}

void SampleTable::replicate_means(std::uint64_t seed, std::uint64_t replicate,
                                  std::span<double> out) const {
  const std::size_t width = columns();
  ZOOTER_CHECK(out.size() == subsets_.size() * width);
  const std::uint64_t key_base = replicate * rows();
  std::vector<std::vector<std::uint32_t>> seeds(adapters_);
  for (std::size_t a = 0; a < adapters_; ++a) {
    const std::uint64_t n_seeds = seed_columns_[a].size();
    for (std::uint64_t k = 0; k < n_seeds; ++k) {
      seeds[a].push_back(
          static_cast<std::uint32_t>(random::below(seed, kSeedStream, replicate * n_seeds + k, n_seeds)));
    }
  }
  std::vector<std::uint32_t> draws;
  std::vector<double> sums(stored_);
  for (std::size_t s = 0; s < subsets_.size(); ++s) {
    const std::size_t first = row_begin_[s];
    const std::uint64_t n = subsets_[s].queries;
    draws.resize(n);
    for (std::uint64_t i = 0; i < n; ++i) {
      draws[i] = static_cast<std::uint32_t>(
          random::below(seed, kBootstrapStream, key_base + first + i, n));
    }
    sum_rows(values_.data() + first * stride_, stride_, stored_, draws, sums.data());
    expand_means(sums.data(), static_cast<double>(n), seeds, out.data() + s * width);
  }
}

}  // namespace zooter::stats
