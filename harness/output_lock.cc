#include "harness/output_lock.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <fmt/format.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <string_view>

#include "harness/error.h"

namespace zooter {
namespace {

// What the holder wrote into the lock file: "PID COMMAND" ("" when it has not yet).
std::string holder_of(int fd) {
  char buffer[128];
  const ssize_t n = ::pread(fd, buffer, sizeof buffer - 1, 0);
  if (n <= 0) return "";
  std::string_view text(buffer, static_cast<std::size_t>(n));
  if (const std::size_t nl = text.find('\n'); nl != std::string_view::npos) text = text.substr(0, nl);
  const std::size_t space = text.find(' ');
  if (space == std::string_view::npos || space == 0 || space + 1 == text.size()) return "";
  return fmt::format("{} (pid {})", text.substr(space + 1), text.substr(0, space));
}

}  // namespace

OutputLock::OutputLock(const std::string& dir, const std::string& command) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) throw InputError(dir, 0, "cannot create directory: " + ec.message());
  const std::string path = (std::filesystem::path(dir) / kOutputLockFile).string();
  fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd_ < 0) throw InputError(path, 0, std::string("cannot open the lock file: ") + std::strerror(errno));
  int status;
  do {
    status = ::flock(fd_, LOCK_EX | LOCK_NB);
  } while (status != 0 && errno == EINTR);
  if (status != 0) {
    const int error = errno;
    const std::string holder = error == EWOULDBLOCK ? holder_of(fd_) : "";
    ::close(fd_);
    fd_ = -1;
    if (error != EWOULDBLOCK) throw InputError(path, 0, std::string("cannot lock: ") + std::strerror(error));
    throw InputError(dir, 0,
                     fmt::format("another zooter {} is writing into this directory; wait for it to end, or write "
                                 "into another directory (two runs into one directory would make every call "
                                 "twice and interleave the journal)",
                                 holder.empty() ? "run" : holder));
  }
  // Who holds it, for the message above; the lock, not this text, is what keeps others out.
  const std::string text = fmt::format("{} {}\n", ::getpid(), command);
  if (::ftruncate(fd_, 0) != 0 || ::pwrite(fd_, text.data(), text.size(), 0) != static_cast<ssize_t>(text.size())) {
    // Not fatal: the lock is held; only a refused writer's message loses the holder.
  }
}

OutputLock::~OutputLock() {
  if (fd_ >= 0) ::close(fd_);  // closing the last descriptor of the open file releases the lock
}

}  // namespace zooter
