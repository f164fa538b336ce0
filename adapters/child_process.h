// Runs one outside program to completion: `/bin/sh -c COMMAND` in its own process group, its
// standard input fed from a string and its standard output and error collected, all three
// through pipes served by one poll() loop (so a program that writes before it has read
// everything cannot deadlock against zooter). Not a general process library: no environment
// changes, no interactive exchange, one program at a time per call, and no process-wide state:
// standard input is a socket pair written with MSG_NOSIGNAL, so a program that exits without
// reading its input gives EPIPE here, not a SIGPIPE that would need a process-wide handler.
#pragma once

#include <chrono>
#include <string>

namespace zooter::adapters {

struct ChildResult {
  std::string out;             // everything the program wrote to standard output
  std::string err_tail;        // the last bytes (up to 4 KiB) it wrote to standard error
  bool timed_out = false;      // killed (SIGKILL to its process group) at the deadline
  int exit_status = -1;        // when it exited on its own
  int signal = 0;              // when a signal ended it (0: none)
  double wall_seconds = 0.0;
  double cpu_seconds = 0.0;    // user + system time of the program and its children
};

// Runs `command` with `input` on its standard input (closed after it) and waits at most
// `timeout` for it to exit. Throws InputError only when the program cannot be started at all
// (fork or pipe failure); everything the program does is reported in ChildResult.
[[nodiscard]] ChildResult run_child(const std::string& command, const std::string& input,
                                    std::chrono::milliseconds timeout);

}  // namespace zooter::adapters
