// The parts of a Report that come from the bundle: the names, metrics and group layout a writer
// needs (so writers never see the Bundle), and the per-query drill-down.
#pragma once

#include <cstdint>
#include <span>
#include <string>

#include "harness/evaluator.h"
#include "reports/report.h"

namespace zooter {
struct Bundle;
}

namespace zooter::reports {

// The suite, candidates, evaluated subsets and groups of `evaluation`, named as the bundle names
// them.
[[nodiscard]] ReportLayout make_layout(const Bundle& bundle, const Evaluation& evaluation);

// "14 queries of the source were left out when the bundle was imported (missing_output 2,
// null_preference 12); ...", from an importer's provenance (the manifest's JSON text,
// docs/importers.md); "" when none were left out.
[[nodiscard]] std::string exclusions_note(const std::string& provenance_json);

// The per-query detail of `queries` (the evaluated split, increasing) for the HTML drill-down:
// text, gold and rewards per candidate, and each run's chosen candidate.
[[nodiscard]] Drilldown make_drilldown(const Bundle& bundle, const Evaluation& evaluation,
                                       std::span<const std::uint32_t> queries,
                                       std::span<const AdapterRun> runs);

}  // namespace zooter::reports
