// zooter validate DIR: loads a bundle with every check on and says what is wrong.
#include <fmt/format.h>

#include <ostream>

#include "harness/bundle.h"
#include "harness/bundle_loader.h"
#include "cli/commands_list.h"
#include "cli/options.h"
#include "harness/error.h"
#include "harness/run_context.h"

namespace zooter::cli {

int run_validate(const Invocation& invocation) {
  po::options_description description("validate options");
  std::size_t max_problems = 20;
  int threads = 0;
  description.add_options()
      ("bundle", po::value<std::string>()->required(), "bundle directory")
      ("max-problems", po::value<std::size_t>(&max_problems)->default_value(20),
       "problems listed per file before only counting the rest")
      ("threads,t", checked<int>(&threads, {.min = 0})->default_value(0),
       "worker threads parsing the files (0 = all cores); the result is identical for any value");
  po::positional_options_description positional;
  positional.add("bundle", 1);
  const ParsedOptions parsed = parse_options(invocation, description, positional);
  if (parsed.help) {
    print_help(invocation.out, "validate", "DIR [OPTIONS]",
               "Checks a replay bundle (docs/bundle-format.md). Exit 0 when valid, 1 otherwise.",
               description);
    return 0;
  }
  const std::string dir = parsed.values["bundle"].as<std::string>();
  LoadOptions options;
  options.max_problems_per_file = max_problems;
  options.allow_gold_pending = true;  // a valid state of a bundle, reported below
  const Bundle bundle = load_bundle(dir, options, RunContext(usable_threads(threads, invocation.err)));
  std::size_t train = 0;
  invocation.out << fmt::format(
      "{}: valid zooter bundle, suite \"{}\": {} queries, {} candidates, {} reward models, "
      "{} subsets in {} groups, {} tags\n",
      dir, bundle.manifest.suite, bundle.query_count(), bundle.model_count(),
      bundle.manifest.reward_models.size(), bundle.manifest.subsets.size(),
      bundle.manifest.groups.size(), bundle.tag_names.size());
  if (bundle.manifest.gold_pending) {
    invocation.out << fmt::format(
        "  gold pending: {} responses awaiting gold (collected live); add them with `zooter gold {} "
        "--scores FILE`\n",
        bundle.query_count() * bundle.model_count(), dir);
  }
  for (std::size_t s = 0; s < bundle.manifest.splits.size(); ++s) {
    train = 0;
    for (std::uint32_t split : bundle.queries.split) train += split == s;
    invocation.out << fmt::format("  split {}: {} queries\n", bundle.manifest.splits[s].name, train);
  }
  return 0;
}

}  // namespace zooter::cli
