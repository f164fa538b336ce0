#include "harness/error.h"

#include <fmt/format.h>

#include <cstdio>
#include <cstdlib>

namespace zooter {
namespace {

std::string locate(const std::string& path, std::size_t line, const std::string& message) {
  if (path.empty()) return message;
  if (line == 0) return fmt::format("{}: {}", path, message);
  return fmt::format("{}:{}: {}", path, line, message);
}

}  // namespace

InputError::InputError(std::string message)
    : std::runtime_error(message), message_(std::move(message)) {}

InputError::InputError(std::string path, std::size_t line, std::string message)
    : std::runtime_error(locate(path, line, message)),
      path_(std::move(path)),
      line_(line),
      message_(std::move(message)) {}

void check_failed(const char* file, int line, const char* condition) {
  std::fprintf(stderr, "%s:%d: internal check failed: %s\n", file, line, condition);
  std::abort();
}

}  // namespace zooter
