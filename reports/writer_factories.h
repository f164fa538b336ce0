// Factories of the built-in writers, one per format file. Internal to reports/.
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
