// Assembles a Report from a bundle's manifest and an evaluation: copies the names, metrics and
// group layout a writer needs, so writers never see the Bundle.
#pragma once

#include "reports/report.h"

namespace zooter {
struct Bundle;
}

namespace zooter::reports {

[[nodiscard]] Report make_report(const Bundle& bundle, Evaluation evaluation);

}  // namespace zooter::reports
