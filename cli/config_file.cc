#include "cli/config_file.h"

#include <sstream>

#include "harness/error.h"
#include "harness/input_file.h"

namespace zooter::cli {
namespace {

std::string trim(const std::string& s) {
  const std::size_t begin = s.find_first_not_of(" \t\r");
  if (begin == std::string::npos) return "";
  const std::size_t end = s.find_last_not_of(" \t\r");
  return s.substr(begin, end - begin + 1);
}

}  // namespace

boost::program_options::parsed_options read_config_file(
    const std::string& path, const boost::program_options::options_description& description) {
  std::istringstream in(read_input_file(path, "(expected a config file)"));
  boost::program_options::parsed_options parsed(&description);
  std::string raw;
  std::size_t line = 0;
  while (std::getline(in, raw)) {
    ++line;
    const std::string text = trim(raw.substr(0, raw.find('#')));
    if (text.empty()) continue;
    const std::size_t eq = text.find('=');
    if (eq == std::string::npos) throw InputError(path, line, "expected \"key = value\", got \"" + text + "\"");
    const std::string key = trim(text.substr(0, eq));
    const std::string value = trim(text.substr(eq + 1));
    if (key == "config") throw InputError(path, line, "config files cannot include other config files");
    const auto* option = description.find_nothrow(key, false);
    if (option == nullptr) {
      throw InputError(path, line, "unknown option \"" + key + "\" for this command");
    }
    boost::program_options::option o;
    o.string_key = key;
    if (!value.empty()) o.value.push_back(value);
    o.original_tokens = {key, value};
    parsed.options.push_back(std::move(o));
  }
  return parsed;
}

}  // namespace zooter::cli
