#include "harness/input_file.h"

#include <sys/stat.h>

#include <cerrno>
#include <cstring>

#include "harness/error.h"

namespace zooter {
namespace {

[[noreturn]] void fail(const std::string& path, const std::string& problem, const std::string& hint) {
  throw InputError(path, 0, hint.empty() ? problem : problem + " " + hint);
}

}  // namespace

std::optional<std::string> input_file_problem(const std::string& path) {
  struct stat info {};
  if (::stat(path.c_str(), &info) != 0) {
    if (errno == ENOENT || errno == ENOTDIR) return "does not exist";
    return std::string("cannot open: ") + std::strerror(errno);
  }
  if (S_ISDIR(info.st_mode)) return "is a directory, not a file";
  if (!S_ISREG(info.st_mode)) return "is not a regular file (a FIFO, device or socket)";
  return std::nullopt;
}

std::optional<std::string> input_directory_problem(const std::string& path) {
  struct stat info {};
  if (::stat(path.c_str(), &info) != 0) {
    if (errno == ENOENT || errno == ENOTDIR) return "does not exist";
    return std::string("cannot open: ") + std::strerror(errno);
  }
  if (!S_ISDIR(info.st_mode)) return "is not a directory";
  return std::nullopt;
}

void require_input_directory(const std::string& path, const std::string& hint) {
  if (const std::optional<std::string> problem = input_directory_problem(path)) fail(path, *problem, hint);
}

void require_input_file(const std::string& path, const std::string& hint) {
  if (const std::optional<std::string> problem = input_file_problem(path)) fail(path, *problem, hint);
}

std::FILE* open_input_file(const std::string& path, const std::string& hint) {
  require_input_file(path, hint);
  std::FILE* file = std::fopen(path.c_str(), "rb");
  if (file == nullptr) fail(path, std::string("cannot open: ") + std::strerror(errno), hint);
  return file;
}

std::string read_input_file(const std::string& path, const std::string& hint) {
  std::FILE* file = open_input_file(path, hint);
  std::string bytes;
  char block[1 << 16];
  for (;;) {
    const std::size_t got = std::fread(block, 1, sizeof block, file);
    bytes.append(block, got);
    if (got < sizeof block) break;
  }
  const bool failed = std::ferror(file) != 0;
  const int error = errno;
  std::fclose(file);
  if (failed) throw InputError(path, 0, std::string("read error: ") + std::strerror(error));
  return bytes;
}

}  // namespace zooter
