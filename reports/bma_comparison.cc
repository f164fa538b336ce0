#include "reports/bma_comparison.h"

#include <fmt/format.h>

namespace zooter::reports {
namespace {

const AdapterResult* find_adapter(const Evaluation& ev, const std::string& name) {
  for (const AdapterResult& a : ev.adapters) {
    if (a.name == name) return &a;
  }
  return nullptr;
}

// "MTR 1.73 vs 2.35, %Uplift 0.54 vs 0.35, better on 20 of 26 subsets, worse on 6": subsets
// compared by subset score, higher or lower better as each subset's metric says.
std::string versus(const Report& report, const AdapterResult& a, const AdapterResult& b) {
  std::size_t better = 0, worse = 0;
  for (std::size_t s = 0; s < a.subset_score.size() && s < b.subset_score.size(); ++s) {
    const bool higher = report.subsets[s].higher_is_better;
    const double x = a.subset_score[s], y = b.subset_score[s];
    if (higher ? x > y : x < y) ++better;
    if (higher ? x < y : x > y) ++worse;
  }
  return fmt::format("MTR {:.2f} vs {:.2f}, %Uplift {:.2f} vs {:.2f}, better on {} of {} subsets, "
                     "worse on {}",
                     a.mtr, b.mtr, a.uplift, b.uplift, better, a.subset_score.size(), worse);
}

}  // namespace

std::vector<std::string> bma_comparison_lines(const Report& report) {
  std::vector<std::string> lines;
  if (!report.reference || report.reference->best_model_on_average.empty()) return lines;
  const Evaluation& ev = report.evaluation;
  const AdapterResult* bma = find_adapter(ev, report.reference->best_model_on_average);
  if (bma == nullptr) return lines;
  const AdapterResult* best = ev.best_single ? &ev.adapters[*ev.best_single] : nullptr;
  for (const AdapterResult& a : ev.adapters) {
    if (a.kind != "router" && a.kind != "ranker") continue;
    std::string line = fmt::format("{}: against the paper's BMA {}: {}", a.name, bma->name,
                                   versus(report, a, *bma));
    if (best != nullptr) {
      line += fmt::format("; against {}: {}", best->name, versus(report, a, *best));
    }
    lines.push_back(std::move(line));
  }
  return lines;
}

}  // namespace zooter::reports
