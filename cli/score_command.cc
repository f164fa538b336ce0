// zooter score DIR: fills one reward model's scores into a bundle (or a `zooter collect` output)
// by calling a reward-model server named in an endpoints file (docs/live-collect.md). Resumable.
#include <fmt/format.h>

#include <filesystem>
#include <ostream>

#include "cli/commands_list.h"
#include "cli/options.h"
#include "cli/progress_output.h"
#include "harness/error.h"
#include "live/endpoints_file.h"
#include "live/scorer.h"

namespace zooter::cli {

int run_score(const Invocation& invocation) {
  po::options_description description("score options");
  std::string dir, endpoints_path, reward, out, journal;
  double parameters = 0.0;
  std::size_t threads = 1;
  bool quiet = false;
  description.add_options()
      ("bundle", po::value<std::string>(&dir)->required(), "bundle (or collect output) directory")
      ("endpoints", po::value<std::string>(&endpoints_path)->required(), "endpoints file (JSON)")
      ("reward", po::value<std::string>(&reward)->required(), "name of a reward_models entry of the endpoints file")
      ("out,o", po::value<std::string>(&out), "output directory (default: DIR, files replaced atomically)")
      ("journal", po::value<std::string>(&journal),
       "journal file (default: OUT/score-REWARD.journal.jsonl)")
      ("reward-parameters", checked<double>(&parameters, {.min = 0})->default_value(0.0, "0"),
       "parameter count of the reward model, needed when it is new to the bundle's manifest")
      ("threads,t", checked<std::size_t>(&threads, {.min = 1, .max = kMaxIoThreads})->default_value(1), "threads driving the network I/O")
      ("quiet,q", po::bool_switch(&quiet), "no progress line");
  po::positional_options_description positional;
  positional.add("bundle", 1);
  const ParsedOptions parsed = parse_options(invocation, description, positional);
  if (parsed.help) {
    print_help(invocation.out, "score", "DIR --endpoints FILE --reward NAME [OPTIONS]",
               "Calls a reward-model server for every (query, response) and writes each reward into\n"
               "the response's \"rewards\". Resumable; exit 1 when calls failed (nothing written then).",
               description);
    return 0;
  }
  if (parameters < 0) throw UsageError("--reward-parameters must be positive");
  const live::EndpointsFile endpoints = live::load_endpoints_file(endpoints_path);
  const live::RewardEndpoint* endpoint = nullptr;
  for (const live::RewardEndpoint& r : endpoints.reward_models) {
    if (r.name == reward) endpoint = &r;
  }
  if (endpoint == nullptr) {
    throw UsageError(fmt::format("--reward {}: {} has no such entry in \"reward_models\"", reward, endpoints_path));
  }
  live::ScoreOptions options;
  options.in_dir = dir;
  options.out_dir = out.empty() ? dir : out;
  options.journal_path = journal.empty()
                             ? (std::filesystem::path(options.out_dir) / ("score-" + reward + ".journal.jsonl")).string()
                             : journal;
  if (parameters > 0) options.reward_parameters = parameters;
  options.threads = threads;
  const live::ScoreSummary summary = live::score(*endpoint, options, progress_output(invocation, quiet), invocation.err);
  if (summary.failed.empty()) {
    invocation.out << fmt::format("{} rewards \"{}\" written to {} ({} from the journal, {} calls made)\n",
                                  summary.total, reward, options.out_dir, summary.from_journal, summary.called);
    return 0;
  }
  invocation.err << fmt::format("{} of {} reward calls failed after retries; nothing written (a rerun retries "
                                "only these):\n",
                                summary.failed.size(), summary.total);
  for (const std::string& f : summary.failed) invocation.err << "  " << f << '\n';
  return 1;
}

}  // namespace zooter::cli
