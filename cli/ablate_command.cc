// zooter ablate DIR --beta 0,0.1,...: the paper's Table 2 layout. One Zooter router per
// variant (beta values, and the hard-label ablation) is trained and evaluated by the run
// pipeline; the report (with the paper's numbers, on the paper simulation) is printed by the
// Table 2 writer.
#include <fmt/format.h>

#include <ostream>

#include "harness/bundle.h"
#include "harness/bundle_loader.h"
#include "cli/commands_list.h"
#include "cli/options.h"
#include "pipeline/run_pipeline.h"
#include "cli/list_arguments.h"
#include "cli/synth_stamp.h"
#include "harness/default_seed.h"
#include "harness/error.h"
#include "harness/run_context.h"
#include "reports/reference_agreement.h"
#include "reports/table2_writer.h"

namespace zooter::cli {

int run_ablate(const Invocation& invocation) {
  po::options_description description("ablate options");
  std::string betas, reward, router;
  double hard_label_beta = 0.0;
  int threads = 0;
  std::uint64_t seed = kDefaultSeed;
  description.add_options()
      ("bundle", po::value<std::string>()->required(), "bundle directory")
      ("beta", po::value<std::string>(&betas)->default_value("0,0.1,0.3,0.5,0.7,0.9,1"),
       "comma-separated beta values, one router each")
      ("hard-label", po::bool_switch(), "add the hard-label ablation (Table 2's first row)")
      ("hard-label-beta", checked<double>(&hard_label_beta, {.min = 0, .max = 1})->default_value(0, "0"),
       "beta of the hard-label variant (the paper's is 0)")
      ("reward", po::value<std::string>(&reward)->default_value("qwen-rm"), "reward model to distil")
      ("router", po::value<std::string>(&router),
       "training options added to every variant's zooter spec, KEY=VALUE[,KEY=VALUE...] "
       "(e.g. hidden=64,validation=0; docs/adapters.md)")
      ("threads,t", checked<int>(&threads, {.min = 0})->default_value(0), "worker threads (0 = all cores)")
      ("seed", po::value<std::uint64_t>(&seed)->default_value(kDefaultSeed), "seed");
  po::positional_options_description positional;
  positional.add("bundle", 1);
  const ParsedOptions parsed = parse_options(invocation, description, positional);
  if (parsed.help) {
    print_help(invocation.out, "ablate", "DIR [--beta LIST] [--hard-label] [OPTIONS]",
               "Trains and evaluates one Zooter router per variant and prints the paper's\n"
               "Table 2 layout (MTR per group and overall).",
               description);
    return 0;
  }
  // Each item KEY=VALUE: the adapter checks the keys and values, but a bare word would be read
  // as the tail of the value before it.
  if (!router.empty()) {
    for (const std::string& item : split_list(router, "--router")) {
      const std::size_t equals = item.find('=');
      if (equals == 0 || equals == std::string::npos || equals + 1 == item.size()) {
        throw UsageError("--router: expected KEY=VALUE, got \"" + item + "\"");
      }
    }
  }
  const std::string training = router.empty() ? "" : "," + router;
  std::vector<std::string> specs;
  for (const std::string& beta : split_list(betas, "--beta")) {
    specs.push_back(fmt::format("zooter@beta={},reward={}{}", beta, reward, training));
  }
  if (parsed.values["hard-label"].as<bool>()) {
    specs.push_back(fmt::format("zooter@beta={:g},reward={},hard-label=1{}", hard_label_beta, reward,
                                training));
  }
  const std::string dir = parsed.values["bundle"].as<std::string>();
  const RunContext ctx(usable_threads(threads, invocation.err), seed);
  const Bundle bundle = load_bundle(dir);
  invocation.err << other_build_note(dir);
  pipeline::RunSettings settings;
  settings.adapters = specs;
  settings.adapters.push_back("best-single");
  settings.bootstrap = 0;
  const reports::Report report = pipeline::run_evaluation(bundle, settings, ctx);

  reports::write_table2(report, reports::Table2Style::kText, invocation.out);
  // On the paper simulation: Table 2's cells, and Table 1's Zooter row (the beta = 0.3 router).
  if (const std::string agreement = reports::agreement_text(report); !agreement.empty()) {
    invocation.out << "paper: " << agreement << " (tolerances: docs/simulation.md)\n";
  }
  for (const auto& a : report.evaluation.adapters) {
    for (const std::string& note : a.notes) invocation.out << "note: " << note << '\n';
  }
  return 0;
}

}  // namespace zooter::cli
