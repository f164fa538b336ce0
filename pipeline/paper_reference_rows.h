// Puts the Zooter paper's published Table 1 numbers beside a report of the paper simulation.
// Lives in the pipeline because it joins two layers that do not know each other: suites/ (where
// the numbers are stored) and reports/ (where they are shown).
#pragma once

#include <optional>

#include "reports/report.h"

namespace zooter::pipeline {

// For a report of suite "zooter-paper": one reference row per reported adapter that the
// paper's Table 1 has (Zooter's row goes to the zooter adapter trained as in the paper:
// reward qwen-rm, beta 0.3). Otherwise nullopt.
[[nodiscard]] std::optional<reports::Reference> paper_reference_for(const reports::ReportLayout& layout,
                                                                  const Evaluation& evaluation);

}  // namespace zooter::pipeline
