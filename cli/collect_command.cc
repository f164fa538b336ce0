// zooter collect: asks every candidate of an endpoints file for its answer to every query and
// writes the answers, token usage, latency and cost as a gold-pending bundle
// (docs/live-collect.md). Resumable.
#include <fmt/format.h>

#include <filesystem>
#include <ostream>

#include "cli/commands_list.h"
#include "cli/options.h"
#include "cli/progress_output.h"
#include "harness/error.h"
#include "live/collector.h"
#include "live/endpoints_file.h"
#include "live/query_file.h"

namespace zooter::cli {

int run_collect(const Invocation& invocation) {
  po::options_description description("collect options");
  std::string bundle, queries_path, endpoints_path, out, journal;
  std::size_t max_tokens = 0, limit = 0, threads = 1;
  double temperature = -1.0;
  bool quiet = false;
  description.add_options()
      ("bundle", po::value<std::string>(&bundle), "bundle directory whose queries.jsonl is sent")
      ("queries", po::value<std::string>(&queries_path), "JSONL file of {\"id\", \"text\"} queries")
      ("endpoints", po::value<std::string>(&endpoints_path)->required(), "endpoints file (JSON)")
      ("out,o", po::value<std::string>(&out)->required(), "output directory")
      ("journal", po::value<std::string>(&journal), "journal file (default: OUT/journal.jsonl)")
      ("max-tokens", po::value<std::size_t>(&max_tokens)->default_value(0),
       "max_tokens sent with each request (0: not sent, the server's default applies)")
      ("temperature", po::value<double>(&temperature)->default_value(-1.0, "-1"),
       "temperature sent with each request (negative: not sent)")
      ("limit", po::value<std::size_t>(&limit)->default_value(0), "only the first N queries (0: all)")
      ("threads,t", checked<std::size_t>(&threads, {.min = 1, .max = kMaxIoThreads})->default_value(1),
       "threads driving the network I/O (concurrency is set per endpoint in the endpoints file)")
      ("quiet,q", po::bool_switch(&quiet), "no progress line");
  po::positional_options_description positional;
  const ParsedOptions parsed = parse_options(invocation, description, positional);
  if (parsed.help) {
    print_help(invocation.out, "collect", "(--bundle DIR | --queries FILE) --endpoints FILE --out DIR [OPTIONS]",
               "Calls /chat/completions of every candidate for every query and writes a bundle whose\n"
               "gold is pending; resumable through a journal (rerun the same command after a crash).\n"
               "Exit 1 when calls failed or token counts are unknown.",
               description);
    return 0;
  }
  if (bundle.empty() == queries_path.empty()) throw UsageError("give exactly one of --bundle and --queries");
  const std::string query_path = bundle.empty() ? queries_path : (std::filesystem::path(bundle) / "queries.jsonl").string();
  const live::EndpointsFile endpoints = live::load_endpoints_file(endpoints_path);
  if (endpoints.candidates.empty()) throw InputError(endpoints_path, 0, "no \"candidates\" to collect from");
  const live::QueryFile queries = live::read_query_file(query_path);

  live::CollectOptions options;
  if (max_tokens > 0) options.max_tokens = max_tokens;
  if (temperature >= 0) options.temperature = temperature;
  options.limit = limit;
  options.threads = threads;
  options.out_dir = out;
  options.source_bundle = bundle;
  options.journal_path = journal.empty() ? (std::filesystem::path(out) / "journal.jsonl").string() : journal;
  const live::CollectSummary summary =
      live::collect(queries, endpoints.candidates, options, progress_output(invocation, quiet), invocation.err);
  invocation.out << fmt::format("{} responses of {} written to {} ({} from the journal, {} calls made)\n",
                                summary.total - summary.failed.size(), summary.total, out, summary.from_journal,
                                summary.called);
  const bool incomplete = summary.usage_unknown > 0 || summary.input_tokens_unknown > 0;
  if (summary.failed.empty() && !incomplete) {
    invocation.out << fmt::format("{}: gold pending; next: `zooter score {} ...` for rewards (optional), "
                                  "`zooter gold {} --scores FILE`, then `zooter run {}`\n",
                                  out, out, out, out);
    return 0;
  }
  if (summary.failed.empty()) {
    invocation.err << fmt::format("{}: the bundle is incomplete (unknown token counts, see the notes above); "
                                  "`zooter validate {}` lists each line to fix\n",
                                  out, out);
    return 1;
  }
  invocation.err << fmt::format("{} calls failed after retries (a rerun retries only these):\n", summary.failed.size());
  for (const live::CollectedCall& c : summary.failed) {
    invocation.err << fmt::format("  query {} candidate {} after {} attempts: {}\n", c.query, c.candidate, c.attempts,
                                  c.error);
  }
  return 1;
}

}  // namespace zooter::cli
