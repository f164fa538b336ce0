#include "reports/writer.h"

#include "harness/error.h"
#include "reports/writer_factories.h"

namespace zooter::reports {

std::vector<std::string> writer_formats() { return {"table", "csv", "json", "markdown", "html"}; }

std::unique_ptr<Writer> make_writer(const std::string& format) {
  if (format == "table") return make_table_writer();
  if (format == "csv") return make_csv_writer();
  if (format == "json") return make_json_writer();
  if (format == "markdown") return make_markdown_writer();
  if (format == "html") return make_html_writer();
  throw UsageError("unknown report format \"" + format + "\" (known: table, csv, json, markdown, html)");
}

}  // namespace zooter::reports
