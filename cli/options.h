// Shared command-line plumbing for sub-commands: parse flags, then the config file they name,
// with flags taking precedence; print help that shows every default.
#pragma once

#include <boost/program_options.hpp>

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "cli/command.h"

namespace zooter::cli {

namespace po = boost::program_options;

struct ParsedOptions {
  po::variables_map values;
  bool help = false;
};

// Adds --help and --config to `description`, parses invocation.args (with `positional`),
// then the config file if one was given. Throws UsageError on bad flags.
[[nodiscard]] ParsedOptions parse_options(const Invocation& invocation,
                                          po::options_description& description,
                                          const po::positional_options_description& positional);

// Prints "usage: zooter NAME USAGE", the summary and the options with their defaults.
void print_help(std::ostream& out, const std::string& name, const std::string& usage,
                const std::string& summary, const po::options_description& description);

// The resolved settings of a run, "key=value" for every option that has a value (defaults
// included), in option order, for the report's provenance.
[[nodiscard]] std::vector<std::pair<std::string, std::string>> resolved_settings(
    const po::options_description& description, const po::variables_map& values);

}  // namespace zooter::cli
