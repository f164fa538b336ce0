#include "harness/atomic_file.h"

#include <filesystem>
#include <fstream>

#include "harness/error.h"

namespace zooter {

void write_file_atomically(const std::string& path, const std::string& bytes) {
  const std::string partial = path + ".partial";
  {
    std::ofstream out(partial, std::ios::binary | std::ios::trunc);
    if (!out) throw InputError(partial, 0, "cannot open for writing");
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    if (!out.flush()) throw InputError(partial, 0, "write failed");
  }
  std::error_code ec;
  std::filesystem::rename(partial, path, ec);
  if (ec) throw InputError(path, 0, "cannot replace: " + ec.message());
}

}  // namespace zooter
