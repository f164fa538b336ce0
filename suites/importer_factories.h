// The factories of the importers, one per importer file (make_ and the file's name), for the
// list in importer.cc. Internal to suites/.
#pragma once

#include <memory>

#include "suites/importer.h"

namespace zooter::suites {

[[nodiscard]] std::unique_ptr<Importer> make_alpaca_eval_importer();
[[nodiscard]] std::unique_ptr<Importer> make_routerdc_importer();
[[nodiscard]] std::unique_ptr<Importer> make_routerbench_importer();
[[nodiscard]] std::unique_ptr<Importer> make_table_importer();

}  // namespace zooter::suites
