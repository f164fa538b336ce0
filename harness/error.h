// Errors that carry where and what.
//
// InputError is for bad user input (data files, configs, command lines): it names the file and
// line so the user can fix it. ZOOTER_CHECK is for programmer invariants only: it prints
// file:line and aborts, and must never guard user input.
#pragma once

#include <cstddef>
#include <stdexcept>
#include <string>

namespace zooter {

// A problem in user input. what() reads "path:line: message" (or "path: message" when the
// line is unknown, or just "message" when there is no file).
class InputError : public std::runtime_error {
 public:
  explicit InputError(std::string message);
  InputError(std::string path, std::size_t line, std::string message);

  [[nodiscard]] const std::string& path() const { return path_; }
  [[nodiscard]] std::size_t line() const { return line_; }
  [[nodiscard]] const std::string& message() const { return message_; }

 private:
  std::string path_;
  std::size_t line_ = 0;
  std::string message_;
};

// A mistake in how a command was called (unknown option, bad adapter spec): exit code 2.
class UsageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

[[noreturn]] void check_failed(const char* file, int line, const char* condition);

}  // namespace zooter

#define ZOOTER_CHECK(condition) \
  ((condition) ? static_cast<void>(0) : ::zooter::check_failed(__FILE__, __LINE__, #condition))
