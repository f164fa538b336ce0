// zooter list adapters|formats|importers|commands: what this build can do, one name and description a line.
#include <fmt/format.h>

#include <ostream>

#include "adapters/adapter.h"
#include "cli/commands_list.h"
#include "cli/options.h"
#include "harness/error.h"
#include "reports/writer.h"
#include "suites/importer.h"

namespace zooter::cli {

int run_list(const Invocation& invocation) {
  po::options_description description("list options");
  description.add_options()("what", po::value<std::string>()->default_value("adapters"),
                            "adapters, formats, importers or commands");
  po::positional_options_description positional;
  positional.add("what", 1);
  const ParsedOptions parsed = parse_options(invocation, description, positional);
  if (parsed.help) {
    print_help(invocation.out, "list", "[adapters|formats|importers|commands]",
               "Lists what this build of zooter knows.", description);
    return 0;
  }
  const std::string what = parsed.values["what"].as<std::string>();
  if (what == "adapters") {
    for (const adapters::AdapterInfo& info : adapters::adapter_catalog()) {
      invocation.out << fmt::format("{:<40} {}\n", info.usage, info.description);
    }
  } else if (what == "formats") {
    for (const std::string& f : reports::writer_formats()) invocation.out << f << '\n';
  } else if (what == "importers") {
    for (const suites::ImporterInfo& info : suites::importer_catalog()) {
      invocation.out << fmt::format("{:<12} {}\n", info.name, info.description);
    }
  } else if (what == "commands") {
    for (const Command& c : commands()) invocation.out << fmt::format("{:<10} {}\n", c.name, c.summary);
  } else {
    throw UsageError("cannot list \"" + what + "\" (choose adapters, formats or commands)");
  }
  return 0;
}

}  // namespace zooter::cli
