// Writes a report into a directory, one file per format (report.csv, report.json, ...).
#pragma once

#include <string>
#include <vector>

#include "reports/report.h"

namespace zooter::reports {

// Creates `dir` when missing; throws InputError (path) when it or a file cannot be written.
void write_report_files(const Report& report, const std::string& dir,
                        const std::vector<std::string>& formats);

}  // namespace zooter::reports
