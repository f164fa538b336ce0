#include "cli/options.h"

#include <ostream>
#include <set>

#include "cli/config_file.h"
#include "harness/error.h"

namespace zooter::cli {

ParsedOptions parse_options(const Invocation& invocation, po::options_description& description,
                            const po::positional_options_description& positional) {
  description.add_options()
      ("config", po::value<std::string>(), "read options from this file (flags override it)")
      ("help,h", "show this help");
  ParsedOptions parsed;
  try {
    const po::parsed_options flags = po::command_line_parser(invocation.args)
                                         .options(description)
                                         .positional(positional)
                                         .run();
    po::store(flags, parsed.values);
    if (parsed.values.count("config")) {
      // A flag replaces the config file's value(s) for that option. Dropping the file's
      // entries is needed: repeatable options would otherwise merge both lists.
      po::parsed_options file =
          read_config_file(parsed.values["config"].as<std::string>(), description);
      std::set<std::string> given;
      for (const po::option& o : flags.options) given.insert(o.string_key);
      std::erase_if(file.options, [&](const po::option& o) { return given.count(o.string_key) > 0; });
      po::store(file, parsed.values);
    }
    parsed.help = parsed.values.count("help") > 0;
    if (!parsed.help) po::notify(parsed.values);
  } catch (const po::error& e) {
    throw UsageError(e.what());
  }
  return parsed;
}

void print_help(std::ostream& out, const std::string& name, const std::string& usage,
                const std::string& summary, const po::options_description& description) {
  out << "usage: zooter " << name << ' ' << usage << "\n\n" << summary << "\n\n" << description;
}

std::vector<std::pair<std::string, std::string>> resolved_settings(
    const po::options_description& description, const po::variables_map& values) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& option : description.options()) {
    const std::string& key = option->long_name();
    if (key == "help" || key == "config" || !values.count(key)) continue;
    const boost::any& v = values[key].value();
    std::string text;
    if (const auto* s = boost::any_cast<std::string>(&v)) {
      text = *s;
    } else if (const auto* list = boost::any_cast<std::vector<std::string>>(&v)) {
      for (const std::string& item : *list) text += (text.empty() ? "" : " ") + item;
    } else if (const auto* i = boost::any_cast<int>(&v)) {
      text = std::to_string(*i);
    } else if (const auto* u = boost::any_cast<std::uint64_t>(&v)) {
      text = std::to_string(*u);
    } else if (const auto* d = boost::any_cast<double>(&v)) {
      text = std::to_string(*d);
    } else if (const auto* b = boost::any_cast<bool>(&v)) {
      text = *b ? "true" : "false";
    } else {
      text = "(set)";
    }
    out.emplace_back(key, text);
  }
  if (values.count("config")) out.emplace_back("config", values["config"].as<std::string>());
  return out;
}

}  // namespace zooter::cli
