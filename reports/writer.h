// Report writers: one per format, each in its own file, reached through make_writer().
// A writer takes a Report and a stream and knows nothing else.
#pragma once

#include <iosfwd>
#include <memory>
#include <string>
#include <vector>

namespace zooter::reports {

struct Report;

class Writer {
 public:
  virtual ~Writer() = default;
  [[nodiscard]] virtual std::string file_name() const = 0;  // e.g. "report.csv"
  virtual void write(const Report& report, std::ostream& out) const = 0;
};

// "table" (terminal), "csv", "json", "markdown", "html". Throws UsageError for an unknown
// format.
[[nodiscard]] std::unique_ptr<Writer> make_writer(const std::string& format);
[[nodiscard]] std::vector<std::string> writer_formats();

}  // namespace zooter::reports
