// The factories of the writers, one per format file (make_ and the file's name), for the list
// in writer.cc. Internal to reports/.
#pragma once

#include <memory>

#include "reports/writer.h"

namespace zooter::reports {

[[nodiscard]] std::unique_ptr<Writer> make_table_writer();
[[nodiscard]] std::unique_ptr<Writer> make_csv_writer();
[[nodiscard]] std::unique_ptr<Writer> make_json_writer();
[[nodiscard]] std::unique_ptr<Writer> make_markdown_writer();
[[nodiscard]] std::unique_ptr<Writer> make_html_writer();

}  // namespace zooter::reports
