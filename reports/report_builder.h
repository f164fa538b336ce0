// Assembles a Report from a bundle's manifest and an evaluation: copies the names, metrics and
// group layout a writer needs, so writers never see the Bundle.
#pragma once

#include <cstdint>
#include <span>

#include "harness/evaluator.h"
#include "reports/report.h"

namespace zooter {
struct Bundle;
}

namespace zooter::reports {

[[nodiscard]] Report make_report(const Bundle& bundle, Evaluation evaluation);

// The per-query detail of `queries` (the evaluated split, increasing) for the HTML drill-down:
// text, gold and rewards per candidate, and each run's chosen candidate. `report` must have
// been made from the same evaluation (its subsets give the positions).
[[nodiscard]] Drilldown make_drilldown(const Bundle& bundle, const Report& report,
                                       std::span<const std::uint32_t> queries,
                                       std::span<const AdapterRun> runs);

}  // namespace zooter::reports
