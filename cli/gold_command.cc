// zooter gold DIR --scores FILE: adds gold scores to a gold-pending bundle (what `zooter
// collect` writes), so that `zooter run` can evaluate it (docs/live-collect.md).
#include <fmt/format.h>

#include <filesystem>
#include <optional>
#include <ostream>

#include "harness/bundle.h"
#include "cli/commands_list.h"
#include "cli/options.h"
#include "harness/error.h"
#include "harness/gold_scores.h"
#include "harness/output_lock.h"

namespace zooter::cli {

int run_gold(const Invocation& invocation) {
  po::options_description description("gold options");
  std::string dir, out, metric_name;
  GoldOptions options;
  double metric_min = 0.0, metric_max = 1.0;
  bool lower_is_better = false;
  description.add_options()
      ("bundle", po::value<std::string>(&dir)->required(), "gold-pending bundle directory")
      ("scores", po::value<std::string>(&options.scores_path)->required(),
       "JSONL file of {\"query\", \"model\", \"gold\"}: one line per response of the bundle")
      ("out,o", po::value<std::string>(&out), "output directory (default: DIR, files replaced atomically)")
      ("metric", po::value<std::string>(&metric_name),
       "metric name for the subsets that have none yet (as `zooter collect --queries` writes them)")
      ("metric-min", po::value<double>(&metric_min)->default_value(0.0, "0"), "lower end of that metric's scale")
      ("metric-max", po::value<double>(&metric_max)->default_value(1.0, "1"), "upper end of that metric's scale")
      ("lower-is-better", po::bool_switch(&lower_is_better), "that metric is better when lower");
  po::positional_options_description positional;
  positional.add("bundle", 1);
  const ParsedOptions parsed = parse_options(invocation, description, positional);
  if (parsed.help) {
    print_help(invocation.out, "gold", "DIR --scores FILE [OPTIONS]",
               "Adds a gold score to every response of a gold-pending bundle (zooter collect's\n"
               "output). Every (query, model) exactly once, on its subset's scale, or nothing is written.",
               description);
    return 0;
  }
  Metric metric;
  if (!metric_name.empty()) {
    check_name("--metric", metric_name);
    if (!(metric_min < metric_max)) {
      throw UsageError(fmt::format("--metric-min {} must be below --metric-max {}", metric_min, metric_max));
    }
    metric = {metric_name, metric_min, metric_max, !lower_is_better};
    options.metric = &metric;
  } else if (!parsed.values["metric-min"].defaulted() || !parsed.values["metric-max"].defaulted() ||
             lower_is_better) {
    throw UsageError("--metric-min, --metric-max and --lower-is-better describe --metric: give it too");
  }
  options.out_dir = out.empty() ? dir : out;
  // Held to the end, and taken before DIR is read, as collect and score do: a collect or score
  // still writing into DIR, or a second gold, would otherwise interleave with this one's files.
  // A DIR that does not exist is left to add_gold to report; nothing is created for it.
  std::optional<OutputLock> lock;
  if (std::filesystem::is_directory(dir)) lock.emplace(options.out_dir, "gold");
  const GoldSummary summary = add_gold(dir, options);
  invocation.out << fmt::format("{} gold scores written to {}{}; the bundle is complete: `zooter run {}`\n",
                                summary.scores, options.out_dir,
                                summary.metrics_declared == 0
                                    ? ""
                                    : fmt::format(" (metric \"{}\" declared for {} subsets)", metric_name,
                                                  summary.metrics_declared),
                                options.out_dir);
  return 0;
}

}  // namespace zooter::cli
