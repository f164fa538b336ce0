#include "suites/paper_reference.h"

#include <gtest/gtest.h>

#include <array>
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
  EXPECT_EQ(paper_table1_outside_pool().size(), 2u);
}

// Every row's per-group MTR, overall MTR and %Uplift, checked by hand against Table 1.
TEST(PaperReference, Table1RanksAndUplift) {
  const PaperRow* wizardcoder = paper_row("single@wizardcoder");
  ASSERT_NE(wizardcoder, nullptr);
  EXPECT_EQ(wizardcoder->group_mtr, (std::array<double, 4>{5.6, 5.2, 5.38, 4.33}));
  EXPECT_EQ(wizardcoder->mean_task_rank, 5.3);
  EXPECT_EQ(wizardcoder->uplift, 0.06);
  const PaperRow* zooter = paper_row("zooter");
  ASSERT_NE(zooter, nullptr);
  EXPECT_EQ(zooter->group_mtr, (std::array<double, 4>{1.17, 1.82, 2.33, 3.0}));
  EXPECT_EQ(zooter->mean_task_rank, 1.94);
  EXPECT_EQ(zooter->uplift, 0.44);
  const PaperRow* ultrarm = paper_row("rmr@ultrarm");
  ASSERT_NE(ultrarm, nullptr);
  EXPECT_EQ(ultrarm->group_mtr, (std::array<double, 4>{1.17, 1.0, 1.89, 3.25}));
  EXPECT_EQ(ultrarm->mean_task_rank, 1.53);
  EXPECT_EQ(ultrarm->uplift, 0.72);
  const PaperRow* oracle = paper_row("oracle");
  ASSERT_NE(oracle, nullptr);
  EXPECT_EQ(oracle->group_mtr, (std::array<double, 4>{1.0, 1.0, 1.0, 1.0}));
  EXPECT_EQ(oracle->uplift, 1.0);
  // A rank is at least 1 and a share lies in [0, 1] in every stored row.
  for (const PaperRow& row : paper_table1()) {
    for (const double mtr : row.group_mtr) EXPECT_GE(mtr, 1.0) << row.adapter;
    EXPECT_GE(row.mean_task_rank, 1.0) << row.adapter;
    EXPECT_GE(row.uplift, 0.0) << row.adapter;
    EXPECT_LE(row.uplift, 1.0) << row.adapter;
  }
}

TEST(PaperReference, Table2Rows) {
  ASSERT_EQ(paper_table2().size(), 8u);
  const PaperAblationRow* hard = paper_ablation_row(0.0, true);
  ASSERT_NE(hard, nullptr);
  EXPECT_EQ(hard->group_mtr, (std::array<double, 4>{1.4, 2.3, 3.12, 4.00}));
  EXPECT_EQ(hard->mean_task_rank, 2.31);
  const PaperAblationRow* soft = paper_ablation_row(0.3, false);
  ASSERT_NE(soft, nullptr);
  EXPECT_EQ(soft->group_mtr, (std::array<double, 4>{1.2, 1.9, 2.50, 3.67}));
  EXPECT_EQ(soft->mean_task_rank, 1.97);
  const PaperAblationRow* one = paper_ablation_row(1.0, false);
  ASSERT_NE(one, nullptr);
  EXPECT_EQ(one->mean_task_rank, 2.34);
  // The paper has no hard-label row at beta 1, nor a beta of 0.2.
  EXPECT_EQ(paper_ablation_row(1.0, true), nullptr);
  EXPECT_EQ(paper_ablation_row(0.2, false), nullptr);
}

TEST(PaperReference, UnknownCellsAreNotAvailable) {
  EXPECT_FALSE(paper_group_average("best-single", "flask").has_value());
  EXPECT_FALSE(paper_group_average("single@wizardlm", "divinstruct").has_value());
  EXPECT_EQ(paper_row("nonsense"), nullptr);
  EXPECT_EQ(paper_row("gpt-4"), nullptr) << "outside the pool: not a row of the simulation";
}

}  // namespace
}  // namespace zooter::suites
