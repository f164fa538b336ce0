// The sub-command table: one entry per `zooter NAME`, driving dispatch and `zooter --help`.
// Each sub-command lives in its own file (cli/NAME_command.cc) with its own options.
#pragma once

#include <iosfwd>
#include <string>
#include <vector>

namespace zooter::cli {

// Streams and arguments of one invocation; commands never touch std::cout directly, so tests
// can run them in-process and read what they print.
struct Invocation {
  std::vector<std::string> args;  // after the sub-command name
  std::ostream& out;
  std::ostream& err;
  // `err` is a terminal: progress may redraw in place. Elsewhere (a log, a pipe, a test's
  // stream) it is written line by line.
  bool err_is_terminal = false;
};

struct Command {
  std::string name;
  std::string summary;
  // Returns the exit code: 0 success, 1 bad data or I/O (thrown as InputError), 2 usage
  // (thrown as UsageError). Exceptions are caught by main, which picks the code.
  int (*run)(const Invocation&);
};

[[nodiscard]] const std::vector<Command>& commands();

// Runs `zooter ARGS...` in-process: the table lookup, `--help`, and the error-to-exit-code
// mapping main uses. Returns the exit code. `err_is_terminal`: see Invocation.
int run_main(const std::vector<std::string>& args, std::ostream& out, std::ostream& err,
             bool err_is_terminal = false);

}  // namespace zooter::cli
