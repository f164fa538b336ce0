// zooter run DIR: evaluate adapters on a bundle, print the Table 1 layout, write reports.
#include <algorithm>
#include <ostream>

#include "harness/bundle.h"
#include "harness/bundle_loader.h"
#include "harness/default_seed.h"
#include "cli/commands_list.h"
#include "cli/list_arguments.h"
#include "cli/options.h"
#include "cli/synth_stamp.h"
#include "pipeline/run_pipeline.h"
#include "harness/run_context.h"
#include "reports/report_files.h"
#include "reports/writer.h"

namespace zooter::cli {
namespace {
// Each replicate resamples every score; beyond this a typo runs for hours or runs out of memory.
constexpr std::size_t kMaxBootstrap = 1'000'000;
}  // namespace

int run_run(const Invocation& invocation) {
  po::options_description description("run options");
  pipeline::RunSettings settings;
  int threads = 0;
  std::uint64_t seed = kDefaultSeed;
  std::string out_dir;
  std::vector<std::string> formats;
  std::string sweep;
  description.add_options()
      ("bundle", po::value<std::string>()->required(), "bundle directory")
      ("adapter,a", po::value<std::vector<std::string>>(&settings.adapters)->composing(),
       "adapter spec, repeatable: NAME or NAME@ARGS (see `zooter list adapters`); "
       "default: every candidate and every baseline")
      ("split", po::value<std::string>(&settings.split)->default_value(""),
       "split to evaluate (default: \"test\", or the only split)")
      ("train-split", po::value<std::string>(&settings.train_split)->default_value(""),
       "split learned adapters train on (default: \"train\" when present)")
      ("threads,t", checked<int>(&threads, {.min = 0})->default_value(0),
       "worker threads (0 = all cores); results are identical for any value")
      ("seed", po::value<std::uint64_t>(&seed)->default_value(kDefaultSeed), "seed for anything random")
      ("out,o", po::value<std::string>(&out_dir)->default_value(""),
       "directory for report files (none when empty)")
      ("format", po::value<std::vector<std::string>>(&formats)->composing(),
       "report files written into --out, repeatable: csv, json, markdown, html, table "
       "(default: csv, json and markdown)")
      ("bootstrap", checked<std::size_t>(&settings.bootstrap, {.min = 0, .max = kMaxBootstrap})->default_value(1000),
       "bootstrap replicates for confidence intervals and paired tests (0 = none)")
      ("ci", checked<double>(&settings.level, kOpenUnit)->default_value(0.95, "0.95"), "confidence level of the intervals")
      ("alpha", checked<double>(&settings.alpha, kOpenUnit)->default_value(0.05, "0.05"),
       "significance level of the paired tests (Holm-corrected)")
      ("versus", po::value<std::vector<std::string>>(&settings.versus)->composing(),
       "adapter of the run to paired-test every adapter against, besides best-single, repeatable: "
       "its name as the report prints it or its kind alone when the run has one of that kind "
       "(e.g. --versus sw-ranking)")
      ("sweep-lambda", po::value<std::string>(&sweep)->default_value(""),
       "comma-separated lambdas: re-decide every cost-aware adapter (zooter) at each, for the "
       "cost-quality frontier (e.g. 0,0.05,0.1,0.2,0.5,1)")
      ("strong", po::value<std::string>(&settings.strong)->default_value(""),
       "strong candidate of a strong/weak pair: adds RouteLLM's APGR and CPT to the sweep")
      ("weak", po::value<std::string>(&settings.weak)->default_value(""), "weak candidate of the pair")
      ("decisions", po::value<std::string>(&settings.decisions_dir)->default_value(""),
       "directory for every adapter's per-query decisions: one file each that "
       "decisions@file=PATH reads back, and decisions.csv (docs/byo-router.md)")
      ("quiet,q", po::bool_switch(), "do not print the table");
  po::positional_options_description positional;
  positional.add("bundle", 1);
  const ParsedOptions parsed = parse_options(invocation, description, positional);
  if (parsed.help) {
    print_help(invocation.out, "run", "DIR [--adapter SPEC]... [OPTIONS]",
               "Evaluates adapters on a replay bundle: per-subset scores, group averages, ranks\n"
               "against the candidate pool, MTR, %Uplift, win rates and compute cost.",
               description);
    return 0;
  }
  if (formats.empty()) formats = {"csv", "json", "markdown"};
  for (const std::string& f : formats) (void)reports::make_writer(f);  // fail before the work
  settings.sweep_lambdas = parse_number_list(sweep, "--sweep-lambda");
  settings.drilldown = std::find(formats.begin(), formats.end(), "html") != formats.end();

  const std::string dir = parsed.values["bundle"].as<std::string>();
  const RunContext ctx(usable_threads(threads, invocation.err), seed);
  const Bundle bundle = load_bundle(dir, {}, ctx);
  invocation.err << other_build_note(dir);
  reports::Report report = pipeline::run_evaluation(bundle, settings, ctx);
  pipeline::stamp_provenance(report, dir, bundle, ctx, resolved_settings(description, parsed.values));
  if (!parsed.values["quiet"].as<bool>()) reports::make_writer("table")->write(report, invocation.out);
  if (!out_dir.empty()) {
    reports::write_report_files(report, out_dir, formats);
    invocation.err << "reports written to " << out_dir << '\n';
  }
  return 0;
}

}  // namespace zooter::cli
