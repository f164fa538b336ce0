// The Zooter paper's published numbers (Lu et al., "Routing to the Expert: Efficient
// Reward-guided Ensemble of Large Language Models", NAACL 2024, ACL Anthology
// 2024.naacl-long.109; arXiv:2311.08692): every cell of its Table 1 and Table 2, stored once.
//
// For two readers: the paper simulation calibrates its data to these numbers, and reports print
// them beside replayed numbers. The values are those printed in the paper, including the cells
// that are not consistent with each other (docs/simulation.md, "The paper's inconsistencies").
//
// Not for: anything measured by zooter itself.
#pragma once

#include <array>
#include <optional>
#include <span>
#include <string_view>

namespace zooter::suites {

// The paper's four test groups, in the order of its Table 1 columns; the names are the group
// names of the zooter-paper bundle.
inline constexpr std::array<std::string_view, 4> kPaperGroups = {"alpaca-eval", "flask",
                                                                  "mt-bench", "benchmarks"};

// One row of Table 1 as printed. Group averages follow kPaperGroups; the benchmarks column is in
// percent, as the paper prints it (the bundle's metric is 0..1 accuracy with percent display).
struct PaperRow {
  std::string_view adapter;  // adapter spec: "single@wizardlm", "rmr@qwen-rm", "oracle", "zooter"
  std::array<double, kPaperGroups.size()> group_average;
  std::array<double, kPaperGroups.size()> group_mtr;  // mean task rank within the group
  double mean_task_rank;  // "MTR" over the 26 subsets
  double uplift;          // "%Uplift" as a fraction: 0.44 means 44% of subsets
};

// One row of Table 2 (the ablation of Zooter's label smoothing): MTR per group and overall.
struct PaperAblationRow {
  double beta;      // tag-based label enhancement weight
  bool hard_label;  // trained on the best candidate's one-hot label instead of the distribution
  std::array<double, kPaperGroups.size()> group_mtr;
  double mean_task_rank;
};

// Table 1's thirteen rows of the candidate pool and its ensembles, in the paper's order.
[[nodiscard]] std::span<const PaperRow> paper_table1();
// Table 1's two reference models outside the pool ("gpt-3.5-turbo", "gpt-4"): shown in the
// paper for scale, not simulated.
[[nodiscard]] std::span<const PaperRow> paper_table1_outside_pool();
// Table 2's eight rows, in the paper's order (the hard-label row first).
[[nodiscard]] std::span<const PaperAblationRow> paper_table2();

// The Table 1 row of an adapter (as stored in PaperRow::adapter), or nullptr.
[[nodiscard]] const PaperRow* paper_row(std::string_view adapter);
// The Table 2 row of a variant, or nullptr when the paper has no such variant.
[[nodiscard]] const PaperAblationRow* paper_ablation_row(double beta, bool hard_label);

// The position of `group` in kPaperGroups, or nullopt.
[[nodiscard]] std::optional<std::size_t> paper_group(std::string_view group);

// The printed Table 1 group average of an adapter on a group (benchmarks in percent), or
// std::nullopt when the adapter or group is not in the table.
[[nodiscard]] std::optional<double> paper_group_average(std::string_view adapter,
                                                        std::string_view group);

// How far a replayed cell may lie from the printed one and count as reproduced: group averages
// (kPaperGroups order, benchmarks in percent points), group MTR, overall MTR, %Uplift.
inline constexpr std::array<double, kPaperGroups.size()> kPaperAverageTolerance = {0.02, 0.05, 0.10, 1.0};
inline constexpr double kPaperGroupMtrTolerance = 0.35;
inline constexpr double kPaperMtrTolerance = 0.20;
inline constexpr double kPaperUpliftTolerance = 0.10;

// The candidate the paper calls the best model on average (BMA, section 4.2): Llama-2-Chat.
// It is not the candidate with the best Table 1 MTR (WizardLM); docs/metrics.md says why both
// comparisons are reported.
inline constexpr std::string_view kPaperBestModelOnAverage = "single@llama-2-chat";

}  // namespace zooter::suites
