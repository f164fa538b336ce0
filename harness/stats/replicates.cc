#include "harness/stats/replicates.h"

#include "harness/error.h"
#include "harness/parallel.h"
#include "harness/stats/sample_table.h"

namespace zooter::stats {
namespace {

// Every adapter's statistics from one set of subset means (out: adapters x per-adapter block),
// by the definitions of docs/metrics.md and in the evaluator's summation order.
void statistics_from_means(const SampleTable& table, std::span<const double> means,
                           std::span<double> out) {
  const std::size_t width = table.columns();
  const std::size_t n_subsets = table.subsets().size();
  const std::size_t n_groups = table.groups().size();
  const std::size_t block = 2 * n_subsets + 2 * n_groups + 2;
  for (std::size_t a = 0; a < table.adapters(); ++a) {
    double* score = out.data() + a * block;
    double* rank = score + n_subsets;
    double* group_average = rank + n_subsets;
    double* group_mtr = group_average + n_groups;
    double* overall = group_mtr + n_groups;  // MTR, then uplift
    std::size_t firsts = 0;
    double rank_sum = 0.0;
    for (std::size_t s = 0; s < n_subsets; ++s) {
      const double* subset_means = means.data() + s * width;
      const double own = subset_means[a];
      const double* candidates = subset_means + table.adapters();
      // 1 + candidates strictly better; ties share the best rank.
      int r = 1;
      if (table.higher_is_better(s)) {
        for (std::size_t m = 0; m < table.candidates(); ++m) r += candidates[m] > own ? 1 : 0;
      } else {
        for (std::size_t m = 0; m < table.candidates(); ++m) r += candidates[m] < own ? 1 : 0;
      }
      score[s] = own;
      rank[s] = r;
      rank_sum += r;
      if (r == 1) ++firsts;
    }
    for (std::size_t g = 0; g < n_groups; ++g) {
      const std::vector<std::size_t>& members = table.groups()[g].subsets;
      double score_sum = 0.0, group_rank_sum = 0.0;
      for (std::size_t s : members) {
        score_sum += score[s];
        group_rank_sum += rank[s];
      }
      group_average[g] = score_sum / static_cast<double>(members.size());
      group_mtr[g] = group_rank_sum / static_cast<double>(members.size());
    }
    overall[0] = rank_sum / static_cast<double>(n_subsets);
    overall[1] = static_cast<double>(firsts) / static_cast<double>(n_subsets);
  }
}

}  // namespace

Replicates::Replicates(const SampleTable& table, std::size_t count, std::uint64_t seed,
                       const RunContext& ctx)
    : count_(count),
      seed_(seed),
      adapters_(table.adapters()),
      subsets_(table.subsets().size()),
      groups_(table.groups().size()) {
  ZOOTER_CHECK(subsets_ > 0);
  const std::size_t block = adapters_ * statistics_per_adapter();
  const std::size_t means_size = subsets_ * table.columns();

  std::vector<double> means(means_size);
  table.sample_means(means);
  sample_.resize(block);
  statistics_from_means(table, means, sample_);

  values_.resize(count_ * block);
  // One replicate per task: a replicate is ~subset queries x columns of work, far above
  // TBB's per-task overhead, and a grain of 1 keeps both cores busy for small counts.
  parallel_for_each(
      ctx, count_,
      [&](std::size_t r) {
        std::vector<double> replicate_means(means_size);
        table.replicate_means(seed_, r, replicate_means);
        statistics_from_means(table, replicate_means,
                              std::span<double>(values_.data() + r * block, block));
      },
      1);
}

StatisticsView Replicates::view(const double* block) const {
  StatisticsView v;
  v.subset_score = {block, subsets_};
  v.subset_rank = {block + subsets_, subsets_};
  v.group_average = {block + 2 * subsets_, groups_};
  v.group_mtr = {block + 2 * subsets_ + groups_, groups_};
  v.mtr = block[2 * subsets_ + 2 * groups_];
  v.uplift = block[2 * subsets_ + 2 * groups_ + 1];
  return v;
}

StatisticsView Replicates::sample(std::size_t adapter) const {
  ZOOTER_CHECK(adapter < adapters_);
  return view(sample_.data() + adapter * statistics_per_adapter());
}

StatisticsView Replicates::replicate(std::size_t r, std::size_t adapter) const {
  ZOOTER_CHECK(r < count_ && adapter < adapters_);
  return view(values_.data() + (r * adapters_ + adapter) * statistics_per_adapter());
}

}  // namespace zooter::stats
