#include "suites/paper_reference.h"

#include <algorithm>
#include <cmath>

namespace zooter::suites {
namespace {

// Table 1: per group (AlpacaEval, FLASK, MT-Bench, Benchmarks %) Avg, then per group MTR, then
// MTR over all 26 subsets and %Uplift.
constexpr PaperRow kTable1[] = {
    {"single@wizardcoder", {0.42, 3.12, 4.44, 30.9}, {5.6, 5.2, 5.38, 4.33}, 5.3, 0.06},
    {"single@wizardlm", {0.89, 3.89, 7.15, 44.2}, {2.0, 1.8, 2.0, 2.0}, 1.83, 0.25},
    {"single@wizardmath", {0.47, 3.28, 5.73, 34.8}, {5.0, 5.0, 4.38, 4.0}, 4.6, 0.03},
    {"single@llama-2-chat", {0.91, 3.88, 6.72, 32.3}, {1.6, 1.5, 2.88, 3.67}, 2.23, 0.31},
    {"single@openchat", {0.89, 3.79, 7.12, 31.2}, {2.2, 3.1, 2.0, 3.33}, 2.67, 0.19},
    {"single@vicuna", {0.80, 3.70, 6.58, 33.6}, {3.8, 3.5, 3.25, 2.67}, 3.4, 0.06},
    {"zooter", {0.93, 3.89, 7.11, 34.2}, {1.17, 1.82, 2.33, 3.0}, 1.94, 0.44},
    {"rmr@oassist-rm", {0.79, 3.75, 6.59, 35.1}, {4.0, 3.73, 3.22, 3.25}, 3.42, 0.19},
    {"rmr@llm-blender", {0.83, 3.77, 6.21, 36.4}, {3.67, 3.36, 4.0, 2.75}, 3.39, 0.17},
    {"rmr@auto-j", {0.89, 3.92, 7.03, 32.2}, {2.67, 1.64, 2.22, 3.5}, 2.25, 0.42},
    {"rmr@ultrarm", {0.92, 4.06, 7.18, 40.1}, {1.17, 1.0, 1.89, 3.25}, 1.53, 0.72},
    {"rmr@qwen-rm", {0.92, 4.04, 7.26, 38.6}, {1.33, 1.0, 2.11, 3.0}, 1.58, 0.67},
    {"oracle", {0.98, 4.56, 8.25, 75.3}, {1.0, 1.0, 1.0, 1.0}, 1.0, 1.0},
};

constexpr PaperRow kOutsidePool[] = {
    {"gpt-3.5-turbo", {0.89, 4.06, 7.94, 73.0}, {2.67, 1.91, 1.78, 1.0}, 1.78, 0.61},
    {"gpt-4", {0.94, 4.37, 8.99, 88.3}, {1.0, 1.0, 1.0, 1.0}, 1.0, 1.0},
};

// Table 2: MTR per group, then overall.
constexpr PaperAblationRow kTable2[] = {
    {0.0, true, {1.4, 2.3, 3.12, 4.00}, 2.31},
    {0.0, false, {1.4, 2.2, 2.25, 3.67}, 2.06},
    {0.1, false, {1.2, 2.1, 2.38, 3.67}, 2.00},
    {0.3, false, {1.2, 1.9, 2.50, 3.67}, 1.97},
    {0.5, false, {1.2, 2.2, 3.12, 3.67}, 2.23},
    {0.7, false, {1.2, 2.2, 3.38, 4.00}, 2.31},
    {0.9, false, {1.2, 2.3, 3.12, 4.00}, 2.31},
    {1.0, false, {1.2, 2.3, 3.25, 4.00}, 2.34},
};

}  // namespace

std::span<const PaperRow> paper_table1() { return kTable1; }
std::span<const PaperRow> paper_table1_outside_pool() { return kOutsidePool; }
std::span<const PaperAblationRow> paper_table2() { return kTable2; }

const PaperRow* paper_row(std::string_view adapter) {
  const auto* it = std::find_if(std::begin(kTable1), std::end(kTable1),
                                [&](const PaperRow& row) { return row.adapter == adapter; });
  return it == std::end(kTable1) ? nullptr : it;
}

const PaperAblationRow* paper_ablation_row(double beta, bool hard_label) {
  const auto* it = std::find_if(std::begin(kTable2), std::end(kTable2), [&](const PaperAblationRow& row) {
    return row.hard_label == hard_label && std::abs(row.beta - beta) < 1e-9;
  });
  return it == std::end(kTable2) ? nullptr : it;
}

std::optional<std::size_t> paper_group(std::string_view group) {
  for (std::size_t g = 0; g < kPaperGroups.size(); ++g) {
    if (kPaperGroups[g] == group) return g;
  }
  return std::nullopt;
}

std::optional<double> paper_group_average(std::string_view adapter, std::string_view group) {
  const PaperRow* row = paper_row(adapter);
  const std::optional<std::size_t> g = paper_group(group);
  if (row == nullptr || !g) return std::nullopt;
  return row->group_average[*g];
}

}  // namespace zooter::suites
