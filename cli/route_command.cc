// zooter route ROUTER TEXT...: the distribution a saved router puts over its candidates for
// each text, and the candidate it picks.
#include <fmt/format.h>

#include <ostream>

#include "adapters/router/router.h"
#include "adapters/router/router_file.h"
#include "cli/commands_list.h"
#include "cli/options.h"
#include "harness/error.h"

namespace zooter::cli {

int run_route(const Invocation& invocation) {
  namespace router = adapters::router;
  po::options_description description("route options");
  description.add_options()
      ("router", po::value<std::string>()->required(), "router file written by zooter train")
      ("text", po::value<std::vector<std::string>>()->required(), "query text(s) to route");
  po::positional_options_description positional;
  positional.add("router", 1).add("text", -1);
  const ParsedOptions parsed = parse_options(invocation, description, positional);
  if (parsed.help) {
    print_help(invocation.out, "route", "ROUTER TEXT...",
               "Prints the router's probability for each candidate and its pick.", description);
    return 0;
  }
  const router::Router r = router::load_router(parsed.values["router"].as<std::string>());
  for (const std::string& text : parsed.values["text"].as<std::vector<std::string>>()) {
    const std::vector<double> p = r.probabilities(text);
    const std::size_t pick = r.route(text);
    invocation.out << fmt::format("{}\n  -> {}\n", text, r.candidates()[pick]);
    for (std::size_t i = 0; i < p.size(); ++i) {
      invocation.out << fmt::format("  {:<24} {:.4f}\n", r.candidates()[i], p[i]);
    }
  }
  return 0;
}

}  // namespace zooter::cli
