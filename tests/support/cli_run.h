// Runs the zooter command line in-process, as main() does, and captures what it prints: how
// tests check a command's exit code and messages without spawning the binary.
#pragma once

#include <sstream>
#include <string>
#include <vector>

#include "cli/command.h"

namespace zooter::test {

struct CliRun {
  int code = -1;
  std::string out;
  std::string err;
};

// `zooter ARGS...`: args[0] is the command name ("run", "collect", ...).
inline CliRun zooter(const std::vector<std::string>& args) {
  std::ostringstream out, err;
  const int code = cli::run_main(args, out, err);
  return {code, out.str(), err.str()};
}

}  // namespace zooter::test
