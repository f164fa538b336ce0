// Options from a config file (configs/*.cfg): one "key = value" per line, '#' starts a
// comment, a key may repeat when its option does (adapter). Keys are the long option names
// of the sub-command. Command-line flags override the file.
#pragma once

#include <boost/program_options.hpp>

#include <string>

namespace zooter::cli {

// Reads `path` into options for `description`. Throws InputError "path:line: message" for an
// unreadable file, a line without '=', or a key the sub-command does not know.
[[nodiscard]] boost::program_options::parsed_options read_config_file(
    const std::string& path, const boost::program_options::options_description& description);

}  // namespace zooter::cli
