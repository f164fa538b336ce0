// zooter import FORMAT SOURCE --out DIR: turns public evaluation results into a replay bundle
// through one of the importers of suites/importer.h, writes it, and checks that it loads
// before it replaces anything in the output directory.
#include <fmt/format.h>
#include <rapidjson/document.h>  // for reading the exclusion counts back from the provenance

#include <algorithm>
#include <ostream>

#include "harness/bundle.h"
#include "harness/bundle_loader.h"
#include "harness/bundle_writer.h"
#include "cli/commands_list.h"
#include "cli/options.h"
#include "cli/list_arguments.h"
#include "harness/error.h"
#include "suites/importer.h"

namespace zooter::cli {
namespace {

std::string formats_help() {
  std::string out = "formats:\n";
  for (const suites::ImporterInfo& info : suites::importer_catalog()) {
    out += fmt::format("  {:<12} {}\n  {:<12} SOURCE: {}\n", info.name, info.description, "",
                       info.source);
    if (!info.options.empty()) {
      std::string options;
      for (const std::string& o : info.options) options += (options.empty() ? "--" : ", --") + o;
      out += fmt::format("  {:<12} its options: {}\n", "", options);
    }
  }
  return out;
}

// Options set on the command line (or in a config file) that the chosen format does not read.
void check_applicable(const po::variables_map& values, const suites::ImporterInfo& info,
                      const std::vector<std::string>& format_options) {
  const std::vector<std::string>& common = suites::common_import_options();
  for (const std::string& name : format_options) {
    if (!values.count(name) || values[name].defaulted()) continue;
    if (std::find(common.begin(), common.end(), name) != common.end()) continue;
    if (std::find(info.options.begin(), info.options.end(), name) != info.options.end()) continue;
    throw UsageError(fmt::format("--{} does not apply to format {}", name, info.name));
  }
}

// ", 8 dropped (missing_output 2, null_preference 6)", read back from the provenance.
std::string dropped_summary(const Bundle& bundle) {
  rapidjson::Document provenance;
  provenance.Parse(bundle.manifest.provenance_json.c_str());
  if (provenance.HasParseError() || !provenance.IsObject() ||
      !provenance.HasMember("queries_dropped") || !provenance["queries_dropped"].IsUint64()) {
    return "";
  }
  std::string out = fmt::format(", {} dropped", provenance["queries_dropped"].GetUint64());
  if (provenance.HasMember("exclusions") && provenance["exclusions"].IsObject()) {
    std::string reasons;
    for (const auto& m : provenance["exclusions"].GetObject()) {
      if (!m.value.IsUint64()) continue;
      reasons += fmt::format("{}{} {}", reasons.empty() ? "" : ", ", m.name.GetString(),
                             m.value.GetUint64());
    }
    if (!reasons.empty()) out += " (" + reasons + ")";
  }
  return out;
}

}  // namespace

int run_import(const Invocation& invocation) {
  suites::ImportOptions o;
  std::string format, out, models, parameters, null_policy = "drop", rewards, reward_columns;
  int threads = 0;
  // A string option bound to `target`, whose current value is the default help shows.
  const auto text = [](std::string& target) {
    return po::value<std::string>(&target)->default_value(target);
  };
  // clang-format off
  po::options_description main_options("import options");
  main_options.add_options()
      ("format", po::value<std::string>(&format)->required(),
       "alpaca-eval, routerdc, routerbench or table")
      ("source", po::value<std::string>(&o.source)->required(),
       "what to read (see the formats above)")
      ("out,o", po::value<std::string>(&out)->required(),
       "bundle directory to write (created if needed)")
      ("threads,t", checked<int>(&threads, {.min = 0})->default_value(0),
       "accepted like run's; import reads its files in order, and the bundle is the same "
       "for any value");
  po::options_description common("options of every format");
  common.add_options()
      ("suite", text(o.suite), "suite name (default: the format's name)")
      ("models", text(models),
       "the pool, comma-separated, in this order (default: every model found; alpaca-eval: "
       "required)")
      ("parameters", text(parameters),
       "parameter counts NAME=COUNT,... (override the built-in tables; required for models "
       "they lack)")
      ("null-policy", text(null_policy),
       "a query some pool model has no usable result for (null judgement, missing row, empty "
       "cell): drop (leave it out for every model and count it) or fail")
      ("reward", text(rewards),
       "derived rewards to add, comma-separated: length (the response's output tokens)")
      ("max-problems", po::value<std::size_t>(&o.max_problems)->default_value(o.max_problems),
       "problems listed per file before only counting the rest");
  po::options_description alpaca("alpaca-eval options");
  alpaca.add_options()
      ("gold-annotator", text(o.gold_annotator),
       "annotator folder whose preferences give the gold win (vs its reference model)")
      ("reward-annotator", text(o.reward_annotator),
       "a second annotator folder imported as a reward (e.g. weighted_alpaca_eval_gpt4_turbo)")
      ("reward-name", text(o.reward_name), "name of that reward (default: the annotator's)");
  po::options_description table("table options (an empty column is not read)");
  table.add_options()
      ("query-column", text(o.query_column), "query id")
      ("model-column", text(o.model_column), "model name")
      ("score-column", text(o.score_column), "gold score")
      ("text-column", text(o.text_column), "query text")
      ("response-column", text(o.response_column), "response text")
      ("subset-column", text(o.subset_column), "subset (default: every query in subset \"all\")")
      ("split-column", text(o.split_column), "split (default: every query in split \"test\")")
      ("output-tokens-column", text(o.output_tokens_column),
       "output tokens (default: estimated from --response-column, else 0)")
      ("cost-column", text(o.cost_column), "dollars per response")
      ("reward-columns", text(reward_columns),
       "reward columns, comma-separated; each becomes a reward model of that name")
      ("metric-name", text(o.metric_name), "metric name")
      ("metric-min", po::value<double>(&o.metric_min)->default_value(o.metric_min, fmt::format("{}", o.metric_min)),
       "lowest score")
      ("metric-max", po::value<double>(&o.metric_max)->default_value(o.metric_max, fmt::format("{}", o.metric_max)),
       "highest score");
  // clang-format on
  po::options_description description;
  description.add(main_options).add(common).add(alpaca).add(table);
  po::positional_options_description positional;
  positional.add("format", 1).add("source", 1);
  const ParsedOptions parsed = parse_options(invocation, description, positional);
  if (parsed.help) {
    const std::string summary =
        "Turns public evaluation results into a replay bundle (docs/importers.md), writes it\n"
        "to DIR and checks that it loads. Importing the same source twice gives the same "
        "bytes.\n\n" +
        formats_help();
    print_help(invocation.out, "import", "FORMAT SOURCE --out DIR [OPTIONS]", summary, description);
    return 0;
  }
  const std::unique_ptr<suites::Importer> importer = suites::make_importer(format);
  std::vector<std::string> names;  // FORMAT, SOURCE, --out and --threads apply to every format
  for (const po::options_description* group : {&common, &alpaca, &table}) {
    for (const auto& option : group->options()) names.push_back(option->long_name());
  }
  check_applicable(parsed.values, importer->info(), names);
  if (null_policy != "drop" && null_policy != "fail") {
    throw UsageError("--null-policy must be drop or fail, not \"" + null_policy + "\"");
  }
  o.null_policy = null_policy == "drop" ? suites::GapPolicy::kDrop : suites::GapPolicy::kFail;
  o.models = split_list(models, "--models");
  o.parameters = suites::parse_parameters(parameters);
  o.derived_rewards = split_list(rewards, "--reward");
  o.reward_columns = split_list(reward_columns, "--reward-columns");

  const Bundle bundle = importer->import(o);
  // All or nothing: the bundle is written beside OUT, loaded from there, and only then moved
  // into OUT, so a bundle that does not load never replaces what OUT held.
  Bundle loaded;
  bool loading = false;
  try {
    write_bundle(bundle, out, [&](const std::string& staged) {
      loading = true;
      try {
        loaded = load_bundle(staged);
      } catch (const InputError& e) {
        std::string what = e.what();
        for (std::size_t at; (at = what.find(staged)) != std::string::npos;) what.replace(at, staged.size(), out);
        throw InputError(o.source, 0,
                         fmt::format("the bundle imported from it does not load, so nothing was written "
                                     "(an importer bug: please report it): {}",
                                     what));
      }
    });
  } catch (const InputError& e) {
    if (loading) throw;
    throw InputError(o.source, 0, fmt::format("cannot import: {}", e.what()));
  }
  invocation.out << fmt::format(
      "{}: suite \"{}\" from {} {}: {} queries{}, {} models, {} reward models, {} subsets in {} "
      "groups\n",
      out, loaded.manifest.suite, format, o.source, loaded.query_count(), dropped_summary(loaded),
      loaded.model_count(), loaded.manifest.reward_models.size(), loaded.manifest.subsets.size(),
      loaded.manifest.groups.size());
  return 0;
}

}  // namespace zooter::cli
