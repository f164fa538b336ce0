#include "harness/stats/bootstrap.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "harness/error.h"
#include "harness/parallel.h"
#include "harness/stats/replicates.h"
#include "harness/stats/sample_table.h"

namespace zooter::stats {

void check_options(const BootstrapOptions& options) {
  if (options.replicates < 2) {
    throw UsageError(
        fmt::format("bootstrap replicates must be at least 2, got {}", options.replicates));
  }
  if (!(options.level > 0.0 && options.level < 1.0)) {
    throw UsageError(fmt::format("confidence level must be inside (0, 1), got {}", options.level));
  }
}

std::size_t percentile_rank(std::size_t replicates, double level) {
  // Efron & Tibshirani (1993), section 12.5: with B replicates the alpha-tail endpoint is the
  // k-th ordered value, k = floor((B + 1) * alpha), taken symmetrically from both ends. The
  // relative slack keeps B = 999, level = 0.95 at k = 25 despite 0.025 not being exact.
  const double tail = (static_cast<double>(replicates) + 1.0) * (1.0 - level) / 2.0;
  const auto k = static_cast<std::size_t>(std::floor(tail * (1.0 + 1e-12)));
  return std::clamp<std::size_t>(k, 1, (replicates + 1) / 2);
}

Interval percentile_interval(std::span<const double> values, double level) {
  const std::size_t n = values.size();
  ZOOTER_CHECK(n >= 2);
  std::vector<double> sorted(values.begin(), values.end());
  std::sort(sorted.begin(), sorted.end());
  const std::size_t k = percentile_rank(n, level);
  Interval out;
  out.lo = sorted[k - 1];
  out.hi = sorted[n - k];
  if (sorted.front() == sorted.back()) return out;  // a constant statistic: se exactly 0
  double sum = 0.0;
  for (double v : values) sum += v;
  const double mean = sum / static_cast<double>(n);
  double squares = 0.0;
  for (double v : values) squares += (v - mean) * (v - mean);
  out.se = std::sqrt(squares / static_cast<double>(n - 1));
  return out;
}

Uncertainty bootstrap(const Replicates& replicates, double level, const RunContext& ctx) {
  check_options({replicates.count(), level, replicates.seed()});
  const std::size_t per_adapter = replicates.statistics_per_adapter();
  const std::size_t n_adapters = replicates.adapters();
  const std::size_t count = replicates.count();
  const std::span<const double> values = replicates.values();

  // One interval per (adapter, statistic), each from its own column of the replicates.
  const std::vector<Interval> intervals = parallel_map<Interval>(
      ctx, n_adapters * per_adapter,
      [&](std::size_t item) {
        std::vector<double> column(count);
        for (std::size_t r = 0; r < count; ++r)
          column[r] = values[r * n_adapters * per_adapter + item];
        return percentile_interval(column, level);
      },
      16);

  Uncertainty out;
  out.replicates = count;
  out.level = level;
  out.seed = replicates.seed();
  const std::size_t n_subsets = replicates.subsets();
  const std::size_t n_groups = replicates.groups();
  for (std::size_t a = 0; a < n_adapters; ++a) {
    const auto first = intervals.begin() + static_cast<std::ptrdiff_t>(a * per_adapter);
    auto take = [&](std::size_t from, std::size_t n) {
      return std::vector<Interval>(first + static_cast<std::ptrdiff_t>(from),
                                   first + static_cast<std::ptrdiff_t>(from + n));
    };
    AdapterUncertainty u;
    u.subset_score = take(0, n_subsets);
    u.subset_rank = take(n_subsets, n_subsets);
    u.group_average = take(2 * n_subsets, n_groups);
    u.group_mtr = take(2 * n_subsets + n_groups, n_groups);
    u.mtr = first[static_cast<std::ptrdiff_t>(2 * n_subsets + 2 * n_groups)];
    u.uplift = first[static_cast<std::ptrdiff_t>(2 * n_subsets + 2 * n_groups + 1)];
    out.adapters.push_back(std::move(u));
  }
  return out;
}

Uncertainty bootstrap(const Bundle& bundle, std::span<const std::uint32_t> queries,
                      const std::vector<AdapterRun>& runs, const BootstrapOptions& options,
                      const RunContext& ctx) {
  check_options(options);
  const SampleTable table(bundle, queries, runs, ctx);
  const Replicates replicates(table, options.replicates, options.seed, ctx);
  return bootstrap(replicates, options.level, ctx);
}

}  // namespace zooter::stats
