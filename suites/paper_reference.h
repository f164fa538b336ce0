// The Zooter paper's published numbers (Lu et al. 2023, "Routing to the Expert: Efficient
// Reward-guided Ensemble of Large Language Models", arXiv:2311.08692), stored once.
//
// For two readers: the paper simulation calibrates its data to these numbers, and reports print
// them beside replayed numbers. Only what is known here is stored: Table 1's group averages for
// the six candidates, the five reward-model rankings and the oracle, and Zooter's full row.
// Every other cell (the other rows' mean task rank and %Uplift, all of the Table 2 ablation) is
// std::nullopt, "not available"; it is never filled in from memory.
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
  std::array<std::optional<double>, kPaperGroups.size()> group_average;
  std::optional<double> mean_task_rank;  // "MTR" over the 26 subsets
  std::optional<double> uplift;          // "%Uplift" as a fraction: 0.44 means 44% of subsets
};

// The stored rows of Table 1, in the paper's order.
[[nodiscard]] std::span<const PaperRow> paper_table1();

// The printed Table 1 group average of an adapter on a group (benchmarks in percent), or
// std::nullopt when the adapter or group is not in the table or the cell is not available.
[[nodiscard]] std::optional<double> paper_group_average(std::string_view adapter,
                                                        std::string_view group);

// Table 1's mean task rank / %Uplift (as a fraction) of an adapter, or std::nullopt.
[[nodiscard]] std::optional<double> paper_mean_task_rank(std::string_view adapter);
[[nodiscard]] std::optional<double> paper_uplift(std::string_view adapter);

// A Table 2 (ablation) cell. None is available here, so this is always std::nullopt; it exists
// so that report code asks in one place and prints "n/a" rather than guessing.
[[nodiscard]] std::optional<double> paper_ablation(std::string_view variant,
                                                   std::string_view group);

}  // namespace zooter::suites
