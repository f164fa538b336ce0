// zooter's entry point: the sub-command table does the rest (cli/commands.cc).
#include <unistd.h>

#include <iostream>
#include <string>
#include <vector>

#include "cli/command.h"

int main(int argc, char** argv) {
  const std::vector<std::string> args(argv + 1, argv + argc);
  return zooter::cli::run_main(args, std::cout, std::cerr, isatty(STDERR_FILENO) == 1);
}
