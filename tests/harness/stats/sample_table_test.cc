// The sample table stores columns that are equal on every query once (a single@MODEL run is
// candidate MODEL's gold), and still answers for every column, with the means each column
// would have on its own. Three queries, worked out by hand. A run trained on several seeds
// is the mean of its seeds, per query and per subset, with the seeds resampled per replicate.
#include "harness/stats/sample_table.h"

#include <gtest/gtest.h>

#include <vector>

#include "harness/random.h"
#include "harness/run_context.h"
#include "tests/harness/stats/stats_fixtures.h"

namespace zooter::stats {
namespace {

TEST(StatsSampleTable, EqualColumnsAreStoredOnce) {
  // Gold of m0, m1 per query: (0, 1), (1, 0), (1, 1).
  const Bundle b = test::one_subset_bundle(test::accuracy(), 2, {{0, {0, 1}}, {0, {1, 0}}, {0, {1, 1}}});
  // Columns: "first" = m0's gold, "second" = m1's gold, "mixed" = m1, m0, m0 (gold 1, 1, 1):
  // distinct from both; then the candidates m0 and m1, equal to the first two.
  const std::vector<AdapterRun> runs = {test::run_of("first", {0, 0, 0}), test::run_of("second", {1, 1, 1}),
                                        test::run_of("mixed", {1, 0, 0})};
  const SampleTable table(b, test::all_queries(b), runs, RunContext(1));
  EXPECT_EQ(table.columns(), 5u);
  EXPECT_EQ(table.stored_columns(), 3u);
  const double expected[3][5] = {{0, 1, 1, 0, 1}, {1, 0, 1, 1, 0}, {1, 1, 1, 1, 1}};
  for (std::size_t r = 0; r < 3; ++r) {
    for (std::size_t c = 0; c < 5; ++c) {
      SCOPED_TRACE(testing::Message() << "row " << r << ", column " << c);
      EXPECT_EQ(table.value(r, c), expected[r][c]);
    }
  }
  std::vector<double> means(5);
  table.sample_means(means);
  EXPECT_EQ(means, (std::vector<double>{2.0 / 3, 2.0 / 3, 1.0, 2.0 / 3, 2.0 / 3}));
}


TEST(StatsSampleTable, SeededRunIsTheMeanOfItsSeedsWithSeedsResampled) {
  // Gold of m0, m1 per query: (0, 1), (1, 0), (1, 1). Seed A picks m0 everywhere (gold 0, 1, 1:
  // mean 2/3), seed B picks m1 everywhere (1, 0, 1: 2/3), seed C picks m1, m0, m0 (1, 1, 1: 1).
  const Bundle b = test::one_subset_bundle(test::accuracy(), 2, {{0, {0, 1}}, {0, {1, 0}}, {0, {1, 1}}});
  const std::vector<AdapterRun> seeds = {test::run_of("r", {0, 0, 0}), test::run_of("r", {1, 1, 1}),
                                         test::run_of("r", {1, 0, 0})};
  const std::vector<AdapterRun> runs = {seeds[0], test::run_of("other", {0, 0, 0})};
  const SampleTable table(b, test::all_queries(b), runs, RunContext(1), {seeds, {}});
  EXPECT_EQ(table.columns(), 4u);  // the seeds are not columns of their own
  // Per query: the mean over the seeds, (0 + 1 + 1) / 3, (1 + 0 + 1) / 3, (1 + 1 + 1) / 3.
  EXPECT_EQ(table.value(0, 0), 2.0 / 3);
  EXPECT_EQ(table.value(1, 0), 2.0 / 3);
  EXPECT_EQ(table.value(2, 0), 1.0);
  EXPECT_EQ(table.value(0, 1), 0.0);
  // On the sample: the seeds' subset means added in seed order, then divided by 3.
  std::vector<double> means(4);
  table.sample_means(means);
  EXPECT_EQ(means[0], (2.0 / 3 + 2.0 / 3 + 1.0) / 3);
  EXPECT_EQ(means[1], 2.0 / 3);

  // In each replicate the rows drawn are those of a table holding each seed as a run of its
  // own, and the seeded column averages the seeds drawn by the documented formula.
  const SampleTable unseeded(b, test::all_queries(b), seeds, RunContext(1));
  bool some_replicate_repeats_a_seed = false;
  for (std::uint64_t r = 0; r < 20; ++r) {
    SCOPED_TRACE(testing::Message() << "replicate " << r);
    std::vector<double> seeded_means(4), seed_means(5);
    table.replicate_means(7, r, seeded_means);
    unseeded.replicate_means(7, r, seed_means);
    double total = 0.0;
    std::uint64_t drawn[3];
    for (std::uint64_t k = 0; k < 3; ++k) {
      drawn[k] = random::below(7, kSeedStream, r * 3 + k, 3);
      total += seed_means[drawn[k]];
    }
    some_replicate_repeats_a_seed |= drawn[0] == drawn[1] || drawn[1] == drawn[2] || drawn[0] == drawn[2];
    EXPECT_EQ(seeded_means[0], total / 3);
    EXPECT_EQ(seeded_means[1], seed_means[0]);  // "other" picks m0 as seed A does
  }
  EXPECT_TRUE(some_replicate_repeats_a_seed);  // seeds are drawn with replacement
}

}  // namespace
}  // namespace zooter::stats
