#include "reports/reference_agreement.h"

#include <fmt/format.h>

#include <cmath>

namespace zooter::reports {
namespace {

// Printed paper values carry two decimals: a cell within the tolerance up to rounding noise is met.
constexpr double kSlack = 1e-9;

void count(CellCount& c, double ours, const std::optional<double>& paper, double tolerance) {
  if (!paper) return;
  ++c.total;
  if (std::isfinite(ours) && std::abs(ours - *paper) <= tolerance + kSlack) ++c.met;
}

const AdapterResult* find_adapter(const Evaluation& ev, const std::string& name) {
  for (const AdapterResult& a : ev.adapters) {
    if (a.name == name) return &a;
  }
  return nullptr;
}

}  // namespace

std::optional<ReferenceAgreement> reference_agreement(const Report& report) {
  if (!report.reference || !report.reference->tolerance) return std::nullopt;
  const ReferenceTolerance& tol = *report.reference->tolerance;
  ReferenceAgreement out;
  for (const ReferenceRow& row : report.reference->rows) {
    const AdapterResult* a = find_adapter(report.evaluation, row.adapter);
    if (a == nullptr) continue;
    for (std::size_t g = 0; g < report.groups.size(); ++g) {
      const double tolerance = g < tol.group_average.size() ? tol.group_average[g] : 0.0;
      count(out.table1, display_average(report.groups[g], a->group_average[g]),
            reference_cell(&row, &ReferenceRow::group_average, g), tolerance);
      count(out.table1, a->group_mtr[g], reference_cell(&row, &ReferenceRow::group_mtr, g), tol.group_mtr);
    }
    count(out.table1, a->mtr, row.mtr, tol.mtr);
    count(out.table1, a->uplift, row.uplift, tol.uplift);
  }
  for (const ReferenceRow& row : report.reference->ablation) {
    const AdapterResult* a = find_adapter(report.evaluation, row.adapter);
    if (a == nullptr) continue;
    for (std::size_t g = 0; g < report.groups.size(); ++g) {
      count(out.table2, a->group_mtr[g], reference_cell(&row, &ReferenceRow::group_mtr, g), tol.group_mtr);
    }
    count(out.table2, a->mtr, row.mtr, tol.mtr);
  }
  return out;
}

std::string agreement_text(const Report& report) {
  const std::optional<ReferenceAgreement> a = reference_agreement(report);
  if (!a) return "";
  std::string text = fmt::format("Table 1: {} of {} published cells within tolerance", a->table1.met, a->table1.total);
  if (a->table2.total > 0) text += fmt::format("; Table 2: {} of {}", a->table2.met, a->table2.total);
  return text;
}

}  // namespace zooter::reports
