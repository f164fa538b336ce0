#include "adapters/child_process.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "harness/error.h"

namespace zooter::adapters {
namespace {

constexpr std::size_t kErrTail = 4096;

// Closes a descriptor once (and only if open).
void close_fd(int& fd) {
  if (fd >= 0) ::close(fd);
  fd = -1;
}

double seconds(const timeval& t) { return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) * 1e-6; }

}  // namespace

ChildResult run_child(const std::string& command, const std::string& input, std::chrono::milliseconds timeout) {
  int in[2] = {-1, -1}, out[2] = {-1, -1}, err[2] = {-1, -1};
  if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, in) != 0 || ::pipe2(out, O_CLOEXEC) != 0 ||
      ::pipe2(err, O_CLOEXEC) != 0) {
    const std::string why = std::strerror(errno);
    for (int* fd : {&in[0], &in[1], &out[0], &out[1], &err[0], &err[1]}) close_fd(*fd);
    throw InputError("cannot start \"" + command + "\": " + why);
  }
  const auto started = std::chrono::steady_clock::now();
  const pid_t pid = ::fork();
  if (pid < 0) {
    const std::string why = std::strerror(errno);
    for (int* fd : {&in[0], &in[1], &out[0], &out[1], &err[0], &err[1]}) close_fd(*fd);
    throw InputError("cannot start \"" + command + "\": " + why);
  }
  if (pid == 0) {
    // The child: only async-signal-safe calls until exec.
    ::setpgid(0, 0);  // its own group, so a timeout kills what it started too
    ::dup2(in[1], 0);
    ::dup2(out[1], 1);
    ::dup2(err[1], 2);
    ::execl("/bin/sh", "sh", "-c", command.c_str(), static_cast<char*>(nullptr));
    ::_exit(127);
  }
  ::setpgid(pid, pid);  // also here: whichever runs first, the group exists before a kill
  close_fd(in[1]);
  close_fd(out[1]);
  close_fd(err[1]);
  ::fcntl(in[0], F_SETFL, O_NONBLOCK);

  ChildResult result;
  std::size_t written = 0;
  if (input.empty()) ::shutdown(in[0], SHUT_WR);
  const auto deadline = started + timeout;
  char buffer[65536];
  while (out[0] >= 0 || err[0] >= 0) {
    pollfd fds[3];
    nfds_t n = 0;
    auto watch = [&](int fd, short events) {
      if (fd >= 0) fds[n++] = {fd, events, 0};
    };
    const bool writing = written < input.size() && in[0] >= 0;
    watch(out[0], POLLIN);
    watch(err[0], POLLIN);
    if (writing) watch(in[0], POLLOUT);
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      result.timed_out = true;
      break;
    }
    const int ready = ::poll(fds, n, static_cast<int>(left.count()));
    if (ready < 0 && errno != EINTR) break;
    for (nfds_t i = 0; i < n && ready > 0; ++i) {
      if (fds[i].revents == 0) continue;
      if (fds[i].fd == in[0]) {
        const ssize_t sent = ::send(in[0], input.data() + written, input.size() - written, MSG_NOSIGNAL);
        if (sent > 0) {
          written += static_cast<std::size_t>(sent);
          if (written == input.size()) ::shutdown(in[0], SHUT_WR);
        } else if (sent < 0 && errno != EAGAIN && errno != EINTR) {
          close_fd(in[0]);  // EPIPE: it closed its input (or exited) early; what it wrote decides
        }
        continue;
      }
      int& fd = fds[i].fd == out[0] ? out[0] : err[0];
      const ssize_t got = ::read(fd, buffer, sizeof buffer);
      if (got > 0) {
        std::string& sink = &fd == &out[0] ? result.out : result.err_tail;
        sink.append(buffer, static_cast<std::size_t>(got));
        if (&fd == &err[0] && result.err_tail.size() > 2 * kErrTail) {
          result.err_tail.erase(0, result.err_tail.size() - kErrTail);
        }
      } else if (got == 0 || (errno != EAGAIN && errno != EINTR)) {
        close_fd(fd);
      }
    }
  }
  if (result.timed_out) ::kill(-pid, SIGKILL);
  close_fd(in[0]);
  close_fd(out[0]);
  close_fd(err[0]);
  int status = 0;
  rusage usage{};
  // Both outputs closed: the program is exiting (or killed). A program that closes them and goes
  // on running is waited for until the deadline, then killed.
  while (true) {
    const pid_t done = ::wait4(pid, &status, result.timed_out ? 0 : WNOHANG, &usage);
    if (done == pid) break;
    if (done < 0 && errno != EINTR) break;
    if (std::chrono::steady_clock::now() >= deadline) {
      result.timed_out = true;
      ::kill(-pid, SIGKILL);
      continue;
    }
    ::usleep(1000);
  }
  if (result.err_tail.size() > kErrTail) result.err_tail.erase(0, result.err_tail.size() - kErrTail);
  result.wall_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  result.cpu_seconds = seconds(usage.ru_utime) + seconds(usage.ru_stime);
  if (!result.timed_out) {
    if (WIFEXITED(status)) result.exit_status = WEXITSTATUS(status);
    if (WIFSIGNALED(status)) result.signal = WTERMSIG(status);
  }
  return result;
}

}  // namespace zooter::adapters
