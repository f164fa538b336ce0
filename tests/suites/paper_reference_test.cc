#include "suites/paper_reference.h"

#include <gtest/gtest.h>

#include <string>

namespace zooter::suites {
namespace {

TEST(PaperReference, Table1GroupAverages) {
  struct Case {
    const char* adapter;
    const char* group;
    double value;
  };
  // A sample checked by hand against the paper's Table 1, every row and column at least once.
  const Case cases[] = {
      {"single@wizardcoder", "alpaca-eval", 0.42}, {"single@wizardlm", "benchmarks", 44.2},
      {"single@wizardmath", "mt-bench", 5.73},     {"single@llama-2-chat", "flask", 3.88},
      {"single@openchat", "mt-bench", 7.12},       {"single@vicuna", "alpaca-eval", 0.80},
      {"rmr@oassist-rm", "benchmarks", 35.1},      {"rmr@llm-blender", "mt-bench", 6.21},
      {"rmr@auto-j", "benchmarks", 32.2},          {"rmr@ultrarm", "flask", 4.06},
      {"rmr@qwen-rm", "mt-bench", 7.26},           {"oracle", "benchmarks", 75.3},
      {"zooter", "alpaca-eval", 0.93},             {"zooter", "flask", 3.89},
      {"zooter", "mt-bench", 7.11},                {"zooter", "benchmarks", 34.2},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(std::string(c.adapter) + " " + c.group);
    const auto value = paper_group_average(c.adapter, c.group);
    ASSERT_TRUE(value.has_value());
    EXPECT_DOUBLE_EQ(*value, c.value);
  }
  EXPECT_EQ(paper_table1().size(), 13u);
  for (const PaperRow& row : paper_table1()) {
    for (const auto& cell : row.group_average) EXPECT_TRUE(cell.has_value()) << row.adapter;
  }
}

TEST(PaperReference, OnlyZooterHasRankAndUplift) {
  EXPECT_EQ(paper_mean_task_rank("zooter"), 1.94);
  EXPECT_EQ(paper_uplift("zooter"), 0.44);
  for (const PaperRow& row : paper_table1()) {
    if (row.adapter == "zooter") continue;
    EXPECT_FALSE(row.mean_task_rank.has_value()) << row.adapter;
    EXPECT_FALSE(row.uplift.has_value()) << row.adapter;
  }
}

TEST(PaperReference, UnknownCellsAreNotAvailable) {
  EXPECT_FALSE(paper_group_average("best-single", "flask").has_value());
  EXPECT_FALSE(paper_group_average("single@wizardlm", "divinstruct").has_value());
  EXPECT_FALSE(paper_mean_task_rank("single@wizardlm").has_value());
  EXPECT_FALSE(paper_uplift("nonsense").has_value());
  EXPECT_FALSE(paper_ablation("zooter@beta=1", "flask").has_value());
}

}  // namespace
}  // namespace zooter::suites
