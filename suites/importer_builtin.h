// The factories of the importers, one per suites/*_importer.cc, for make_importer's explicit
// list. Internal to suites/.
#pragma once

#include <memory>

#include "suites/importer.h"

namespace zooter::suites {

[[nodiscard]] std::unique_ptr<Importer> make_alpaca_eval_importer();
[[nodiscard]] std::unique_ptr<Importer> make_routerdc_importer();
[[nodiscard]] std::unique_ptr<Importer> make_routerbench_importer();
[[nodiscard]] std::unique_ptr<Importer> make_table_importer();

}  // namespace zooter::suites
