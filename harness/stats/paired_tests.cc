#include "harness/stats/paired_tests.h"

#include <fmt/format.h>

#include "harness/error.h"
#include "harness/evaluator.h"
#include "harness/stats/replicates.h"
#include "harness/stats/sample_table.h"
#include "harness/stats/significance.h"

namespace zooter::stats {
namespace {

// Bootstrap p-value of a difference read from every replicate.
template <typename Read>
double bootstrap_p(const Replicates& replicates, std::size_t a, std::size_t b, Read read) {
  std::vector<double> differences(replicates.count());
  for (std::size_t r = 0; r < replicates.count(); ++r) {
    differences[r] = read(replicates.replicate(r, a)) - read(replicates.replicate(r, b));
  }
  return paired_bootstrap_p(differences);
}

AggregateComparison aggregate(const Comparison& c, std::span<const std::size_t> members,
                              const std::vector<char>& a_better, const std::vector<char>& b_better,
                              const PairedOptions& options) {
  AggregateComparison out;
  out.tally.subsets = members.size();
  for (std::size_t s : members) {
    const SubsetComparison& sc = c.subsets[s];
    // The sign test counts only when its own direction agrees with the scores' (a higher
    // mean can come with more lost queries); the bootstrap tests the mean difference itself.
    const bool sign = options.tally_test == TallyTest::kSignTest;
    const double p = sign ? sc.sign_p_holm : sc.bootstrap_p_holm;
    if (a_better[s] != 0) {
      ++out.tally.better;
      if (p < options.alpha && (!sign || sc.wins > sc.losses)) ++out.tally.significantly_better;
    } else if (b_better[s] != 0) {
      ++out.tally.worse;
      if (p < options.alpha && (!sign || sc.losses > sc.wins)) ++out.tally.significantly_worse;
    }
    out.wins += sc.wins;
    out.losses += sc.losses;
    out.ties += sc.ties;
  }
  out.sign_p = sign_test_p(out.wins, out.losses);
  return out;
}

}  // namespace

void check_options(const PairedOptions& options) {
  if (!(options.alpha > 0.0 && options.alpha < 1.0)) {
    throw UsageError(
        fmt::format("significance level alpha must be inside (0, 1), got {}", options.alpha));
  }
}

Comparison compare(const SampleTable& table, const Replicates& replicates, std::size_t a,
                   std::size_t b, const PairedOptions& options) {
  check_options(options);
  ZOOTER_CHECK(a < table.adapters() && b < table.adapters());
  ZOOTER_CHECK(replicates.adapters() == table.adapters() && replicates.count() > 0);
  const std::size_t n_subsets = table.subsets().size();
  const StatisticsView sample_a = replicates.sample(a);
  const StatisticsView sample_b = replicates.sample(b);

  Comparison out;
  out.a = a;
  out.b = b;
  out.subsets.resize(n_subsets);
  std::vector<char> a_better(n_subsets, 0), b_better(n_subsets, 0);
  std::vector<double> sign_p(n_subsets), boot_p(n_subsets);
  for (std::size_t s = 0; s < n_subsets; ++s) {
    SubsetComparison& sc = out.subsets[s];
    const bool higher = table.higher_is_better(s);
    bool binary = true;
    for (std::size_t r = table.row_begin(s); r < table.row_begin(s + 1); ++r) {
      const double va = table.value(r, a);
      const double vb = table.value(r, b);
      if (va == vb) {
        ++sc.ties;
      } else if ((va > vb) == higher) {
        ++sc.wins;
      } else {
        ++sc.losses;
      }
      binary = binary && (va == 0.0 || va == 1.0) && (vb == 0.0 || vb == 1.0);
    }
    sc.binary = binary;
    sc.difference = sample_a.subset_score[s] - sample_b.subset_score[s];
    const double score_a = sample_a.subset_score[s], score_b = sample_b.subset_score[s];
    a_better[s] = score_a != score_b && (score_a > score_b) == higher ? 1 : 0;
    b_better[s] = score_a != score_b && (score_a < score_b) == higher ? 1 : 0;
    sc.sign_p = sign_test_p(sc.wins, sc.losses);
    sc.bootstrap_p =
        bootstrap_p(replicates, a, b, [s](const StatisticsView& v) { return v.subset_score[s]; });
    sign_p[s] = sc.sign_p;
    boot_p[s] = sc.bootstrap_p;
  }
  // One Holm family per test and comparison: all evaluated subsets.
  const std::vector<double> sign_holm = holm(sign_p);
  const std::vector<double> boot_holm = holm(boot_p);
  for (std::size_t s = 0; s < n_subsets; ++s) {
    out.subsets[s].sign_p_holm = sign_holm[s];
    out.subsets[s].bootstrap_p_holm = boot_holm[s];
  }

  for (std::size_t g = 0; g < table.groups().size(); ++g) {
    AggregateComparison group =
        aggregate(out, table.groups()[g].subsets, a_better, b_better, options);
    group.average_difference = sample_a.group_average[g] - sample_b.group_average[g];
    group.average_bootstrap_p =
        bootstrap_p(replicates, a, b, [g](const StatisticsView& v) { return v.group_average[g]; });
    group.mtr_difference = sample_a.group_mtr[g] - sample_b.group_mtr[g];
    group.mtr_bootstrap_p =
        bootstrap_p(replicates, a, b, [g](const StatisticsView& v) { return v.group_mtr[g]; });
    out.groups.push_back(std::move(group));
  }
  std::vector<std::size_t> all(n_subsets);
  for (std::size_t s = 0; s < n_subsets; ++s) all[s] = s;
  out.overall = aggregate(out, all, a_better, b_better, options);
  out.overall.mtr_difference = sample_a.mtr - sample_b.mtr;
  out.overall.mtr_bootstrap_p =
      bootstrap_p(replicates, a, b, [](const StatisticsView& v) { return v.mtr; });
  return out;
}

std::vector<Comparison> compare(const Bundle& bundle, std::span<const std::uint32_t> queries,
                                const std::vector<AdapterRun>& runs,
                                std::span<const std::pair<std::size_t, std::size_t>> pairs,
                                const BootstrapOptions& bootstrap_options,
                                const PairedOptions& options, const RunContext& ctx) {
  check_options(bootstrap_options);
  check_options(options);
  for (const auto& [a, b] : pairs) ZOOTER_CHECK(a < runs.size() && b < runs.size());
  const SampleTable table(bundle, queries, runs, ctx);
  const Replicates replicates(table, bootstrap_options.replicates, bootstrap_options.seed, ctx);
  std::vector<Comparison> out;
  for (const auto& [a, b] : pairs) out.push_back(compare(table, replicates, a, b, options));
  return out;
}

}  // namespace zooter::stats
