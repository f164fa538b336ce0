// The paper's Table 2 layout: the routers' mean task rank per group and overall (best-single
// for reference), with the paper's published cells beside ours when the report carries them.
// Written once, for two readers: `zooter ablate` (text) and report.md (a Markdown section).
#pragma once

#include <ostream>

#include "reports/report.h"

namespace zooter::reports {

enum class Table2Style { kText, kMarkdown };

// Writes nothing when the report has no router.
void write_table2(const Report& report, Table2Style style, std::ostream& out);

}  // namespace zooter::reports
