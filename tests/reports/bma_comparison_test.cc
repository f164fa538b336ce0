// The paper's BMA comparison beside best-single's: subsets compared by score in each metric's
// direction, one line per router or ranker, nothing without a named BMA in the report.
#include "reports/bma_comparison.h"

#include <gtest/gtest.h>

namespace zooter::reports {
namespace {

AdapterResult result(const std::string& name, const std::string& kind,
                     std::vector<double> scores, double mtr, double uplift) {
  AdapterResult a;
  a.name = name;
  a.kind = kind;
  a.subset_score = std::move(scores);
  a.mtr = mtr;
  a.uplift = uplift;
  return a;
}

// Three subsets, the third lower-is-better (a latency-like metric).
Report three_subset_report() {
  Report r;
  r.subsets = {{"a", "a", "score", 0, 1, true, 10},
               {"b", "b", "score", 0, 1, true, 10},
               {"c", "c", "seconds", 0, 100, false, 10}};
  r.evaluation.adapters = {
      result("single@llama", "candidate", {0.5, 0.6, 20.0}, 2.0, 0.0),
      result("single@wizard", "candidate", {0.7, 0.4, 30.0}, 1.67, 0.33),
      result("best-single", "baseline", {0.7, 0.4, 30.0}, 1.67, 0.33),
      // Against llama: better on a (0.8 > 0.5), equal on b, worse on c (25 > 20 seconds).
      // Against best-single: better on a and b, better on c (25 < 30).
      result("zooter@beta=0.3", "router", {0.8, 0.6, 25.0}, 1.333, 0.6667),
  };
  r.evaluation.best_single = 2;
  Reference ref;
  ref.best_model_on_average = "single@llama";
  r.reference = ref;
  return r;
}

TEST(BmaComparison, OneLinePerRouterAgainstTheBmaAndBestSingle) {
  const std::vector<std::string> lines = bma_comparison_lines(three_subset_report());
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0],
            "zooter@beta=0.3: against the paper's BMA single@llama: MTR 1.33 vs 2.00, %Uplift 0.67 "
            "vs 0.00, better on 1 of 3 subsets, worse on 1; against best-single: MTR 1.33 vs 1.67, "
            "%Uplift 0.67 vs 0.33, better on 3 of 3 subsets, worse on 0");
}

TEST(BmaComparison, NothingWithoutTheBmaInTheReport) {
  Report r = three_subset_report();
  r.reference->best_model_on_average = "single@absent";
  EXPECT_TRUE(bma_comparison_lines(r).empty());
  r.reference->best_model_on_average.clear();
  EXPECT_TRUE(bma_comparison_lines(r).empty());
  r.reference.reset();
  EXPECT_TRUE(bma_comparison_lines(r).empty());
}

TEST(BmaComparison, WithoutBestSingleOnlyTheBma) {
  Report r = three_subset_report();
  r.evaluation.best_single.reset();
  const std::vector<std::string> lines = bma_comparison_lines(r);
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0],
            "zooter@beta=0.3: against the paper's BMA single@llama: MTR 1.33 vs 2.00, %Uplift 0.67 "
            "vs 0.00, better on 1 of 3 subsets, worse on 1");
}

}  // namespace
}  // namespace zooter::reports
