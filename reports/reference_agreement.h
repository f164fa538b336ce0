// How many of the paper's published cells a report reproduces within the reference's
// tolerances: the figure behind "the simulation is calibrated to the paper" (docs/simulation.md).
#pragma once

#include <cstddef>
#include <optional>
#include <string>

#include "reports/report.h"

namespace zooter::reports {

struct CellCount {
  std::size_t met = 0;    // cells within tolerance
  std::size_t total = 0;  // published cells compared
};

struct ReferenceAgreement {
  CellCount table1;  // Table 1 rows: per group average and MTR, overall MTR, %Uplift
  CellCount table2;  // Table 2 rows: per group MTR and overall MTR
};

// nullopt when the report has no reference or its reference has no tolerance. A published cell
// of an adapter the report does not have is not counted (the totals say how many were).
[[nodiscard]] std::optional<ReferenceAgreement> reference_agreement(const Report& report);

// "Table 1: 91 of 130 published cells within tolerance; Table 2: 3 of 40", or "" without one.
[[nodiscard]] std::string agreement_text(const Report& report);

}  // namespace zooter::reports
