// The sample table stores columns that are equal on every query once (a single@MODEL run is
// candidate MODEL's gold), and still answers for every column, with the means each column
// would have on its own. Three queries, worked out by hand.
#include "harness/stats/sample_table.h"

#include <gtest/gtest.h>

#include <vector>

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

}  // namespace
}  // namespace zooter::stats
