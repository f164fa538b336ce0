#include "suites/paper_reference.h"

#include <algorithm>

namespace zooter::suites {
namespace {

constexpr std::nullopt_t kNa = std::nullopt;

// Table 1 of arXiv:2311.08692: AlpacaEval, FLASK, MT-Bench, Benchmarks (%), MTR, %Uplift.
// Only Zooter's MTR and %Uplift are known here; the other rows' are not available.
constexpr PaperRow kTable1[] = {
    {"single@wizardcoder", {0.42, 3.12, 4.44, 30.9}, kNa, kNa},
    {"single@wizardlm", {0.89, 3.89, 7.15, 44.2}, kNa, kNa},
    {"single@wizardmath", {0.47, 3.28, 5.73, 34.8}, kNa, kNa},
    {"single@llama-2-chat", {0.91, 3.88, 6.72, 32.3}, kNa, kNa},
    {"single@openchat", {0.89, 3.79, 7.12, 31.2}, kNa, kNa},
    {"single@vicuna", {0.80, 3.70, 6.58, 33.6}, kNa, kNa},
    {"rmr@oassist-rm", {0.79, 3.75, 6.59, 35.1}, kNa, kNa},
    {"rmr@llm-blender", {0.83, 3.77, 6.21, 36.4}, kNa, kNa},
    {"rmr@auto-j", {0.89, 3.92, 7.03, 32.2}, kNa, kNa},
    {"rmr@ultrarm", {0.92, 4.06, 7.18, 40.1}, kNa, kNa},
    {"rmr@qwen-rm", {0.92, 4.04, 7.26, 38.6}, kNa, kNa},
    {"oracle", {0.98, 4.56, 8.25, 75.3}, kNa, kNa},
    {"zooter", {0.93, 3.89, 7.11, 34.2}, 1.94, 0.44},
};

const PaperRow* find_row(std::string_view adapter) {
  const auto* it = std::find_if(std::begin(kTable1), std::end(kTable1),
                                [&](const PaperRow& row) { return row.adapter == adapter; });
  return it == std::end(kTable1) ? nullptr : it;
}

}  // namespace

std::span<const PaperRow> paper_table1() { return kTable1; }

std::optional<double> paper_group_average(std::string_view adapter, std::string_view group) {
  const PaperRow* row = find_row(adapter);
  if (row == nullptr) return std::nullopt;
  for (std::size_t g = 0; g < kPaperGroups.size(); ++g) {
    if (kPaperGroups[g] == group) return row->group_average[g];
  }
  return std::nullopt;
}

std::optional<double> paper_mean_task_rank(std::string_view adapter) {
  const PaperRow* row = find_row(adapter);
  return row == nullptr ? std::nullopt : row->mean_task_rank;
}

std::optional<double> paper_uplift(std::string_view adapter) {
  const PaperRow* row = find_row(adapter);
  return row == nullptr ? std::nullopt : row->uplift;
}

std::optional<double> paper_ablation(std::string_view /*variant*/, std::string_view /*group*/) {
  return std::nullopt;
}

}  // namespace zooter::suites
