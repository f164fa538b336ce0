// zooter route ROUTER TEXT...: the distribution a saved router puts over its candidates for
// each text, and the candidate it picks. zooter route ROUTER --queries FILE: the same for every
// query of a file, written as a decisions file (adapters/decision_file.h) that
// decisions@file=PATH evaluates.
#include <fmt/format.h>

#include <ostream>

#include "adapters/router/router.h"
#include "adapters/router/router_file.h"
#include "cli/query_file.h"
#include "harness/atomic_file.h"
#include "harness/json_quote.h"
#include "cli/commands_list.h"
#include "cli/options.h"
#include "harness/error.h"

namespace zooter::cli {

int run_route(const Invocation& invocation) {
  namespace router = adapters::router;
  po::options_description description("route options");
  description.add_options()
      ("router", po::value<std::string>()->required(), "router file written by zooter train")
      ("text", po::value<std::vector<std::string>>(), "query text(s) to route")
      ("queries", po::value<std::string>()->default_value(""),
       "JSONL file of {\"id\", \"text\"} lines (a bundle's queries.jsonl) to route in one batch")
      ("out,o", po::value<std::string>()->default_value(""),
       "with --queries: the decisions file to write (default: standard output)");
  po::positional_options_description positional;
  positional.add("router", 1).add("text", -1);
  const ParsedOptions parsed = parse_options(invocation, description, positional);
  if (parsed.help) {
    print_help(invocation.out, "route", "ROUTER TEXT... | ROUTER --queries FILE [--out PATH]",
               "Prints the router's probability for each candidate and its pick; with --queries,\n"
               "writes one decision line per query (docs/byo-router.md), its scores the probabilities.",
               description);
    return 0;
  }
  const std::string queries = parsed.values["queries"].as<std::string>();
  const bool has_texts = parsed.values.count("text") > 0;
  if (queries.empty() == !has_texts) throw UsageError("give query texts or --queries FILE (one of the two)");
  const router::Router r = router::load_router(parsed.values["router"].as<std::string>());
  if (!queries.empty()) {
    std::string lines;
    for (const QueryText& q : read_query_file(queries)) {
      const std::vector<double> p = r.probabilities(q.text);
      lines += fmt::format("{{\"query\": {}, \"model\": {}, \"scores\": {{", json_quote(q.id),
                           json_quote(r.candidates()[r.route(q.text)]));
      for (std::size_t i = 0; i < p.size(); ++i) {
        lines += fmt::format("{}{}: {}", i ? ", " : "", json_quote(r.candidates()[i]), p[i]);
      }
      lines += "}}\n";
    }
    const std::string out = parsed.values["out"].as<std::string>();
    if (out.empty()) {
      invocation.out << lines;
    } else {
      write_file_atomically(out, lines);
    }
    return 0;
  }
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
