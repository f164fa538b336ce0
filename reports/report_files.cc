#include "reports/report_files.h"

#include <filesystem>
#include <fstream>

#include "harness/error.h"
#include "reports/writer.h"

namespace zooter::reports {

void write_report_files(const Report& report, const std::string& dir,
                        const std::vector<std::string>& formats) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) throw InputError(dir, 0, "cannot create output directory: " + ec.message());
  for (const std::string& format : formats) {
    const auto writer = make_writer(format);
    const std::string path = (std::filesystem::path(dir) / writer->file_name()).string();
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    if (!out) throw InputError(path, 0, "cannot open for writing");
    writer->write(report, out);
    if (!out.flush()) throw InputError(path, 0, "write failed");
  }
}

}  // namespace zooter::reports
