// zooter tune DIR --adapter GRID...: chooses each learned adapter's hyper-parameters by k-fold
// cross-validation on the train split alone (pipeline/cross_validation.h), prints every
// setting's CV score and writes the chosen specs as a config file for `zooter run --config`.
#include <fmt/format.h>

#include <ostream>

#include "cli/commands_list.h"
#include "cli/options.h"
#include "cli/synth_stamp.h"
#include "harness/atomic_file.h"
#include "harness/bundle.h"
#include "harness/bundle_loader.h"
#include "harness/default_seed.h"
#include "harness/error.h"
#include "harness/run_context.h"
#include "pipeline/cross_validation.h"

namespace zooter::cli {

int run_tune(const Invocation& invocation) {
  po::options_description description("tune options");
  std::vector<std::string> grids;
  std::string out, train_split;
  std::uint32_t folds = 5;
  int threads = 0;
  std::uint64_t seed = kDefaultSeed;
  description.add_options()
      ("bundle", po::value<std::string>()->required(), "bundle directory")
      ("adapter,a", po::value<std::vector<std::string>>(&grids)->composing()->required(),
       "a grid, repeatable: an adapter spec whose '|' separates alternatives, "
       "e.g. knn@k=5|10|20,reward=gold; one setting is chosen per grid")
      ("folds", checked<std::uint32_t>(&folds, {.min = 2, .max = 100})->default_value(5), "k of the k-fold")
      ("train-split", po::value<std::string>(&train_split)->default_value(""),
       "split to cross-validate on (default: \"train\")")
      ("out,o", po::value<std::string>(&out)->default_value(""),
       "config file to write: one `adapter = SPEC` line per grid (for zooter run --config)")
      ("threads,t", checked<int>(&threads, {.min = 0})->default_value(0),
       "worker threads (0 = all cores); scores are identical for any value")
      ("seed", po::value<std::uint64_t>(&seed)->default_value(kDefaultSeed),
       "seed of the folds and of the adapters (as zooter run --seed)");
  po::positional_options_description positional;
  positional.add("bundle", 1);
  const ParsedOptions parsed = parse_options(invocation, description, positional);
  if (parsed.help) {
    print_help(invocation.out, "tune", "DIR --adapter GRID [--adapter GRID ...] [OPTIONS]",
               "Chooses hyper-parameters by k-fold cross-validation on the train split only:\n"
               "the evaluated split and its gold are never read. Prints the CV score of every\n"
               "setting (mean normalised subset score over the folds) and the chosen spec.",
               description);
    return 0;
  }
  const std::string dir = parsed.values["bundle"].as<std::string>();
  const Bundle bundle = load_bundle(dir);
  invocation.err << other_build_note(dir);
  const std::string name = train_split.empty() ? "train" : train_split;
  const auto split = bundle.manifest.find_split(name);
  if (!split && train_split.empty()) {
    throw UsageError("the bundle has no \"train\" split: name the split to cross-validate on with --train-split");
  }
  if (!split) throw UsageError("--train-split \"" + name + "\": the bundle has no such split");
  if (!bundle.manifest.splits[*split].gold_for_training) {
    throw InputError(dir, 0, "split \"" + name + "\" has gold scores marked not for training: nothing to tune on");
  }
  std::vector<std::uint32_t> train;
  for (std::size_t q = 0; q < bundle.query_count(); ++q) {
    if (bundle.queries.split[q] == *split) train.push_back(static_cast<std::uint32_t>(q));
  }
  const RunContext ctx(usable_threads(threads, invocation.err), seed);
  std::string config = fmt::format("# zooter tune {}: {}-fold cross-validation on split \"{}\" ({} queries), seed {}\n",
                                   dir, folds, name, train.size(), seed);
  for (const std::string& grid : grids) {
    const std::vector<std::string> specs = pipeline::expand_grid(grid);
    const std::vector<pipeline::CvScore> scores =
        pipeline::cross_validate(bundle, train, specs, {name, folds}, ctx);
    const std::size_t best = pipeline::best_score(scores);
    invocation.out << fmt::format("{} ({} settings, {}-fold CV on {} \"{}\" queries)\n", grid, scores.size(), folds,
                                  train.size(), name);
    for (std::size_t i = 0; i < scores.size(); ++i) {
      if (!scores[i].failure.empty()) {
        invocation.out << fmt::format("    failed  {}  ({})\n", scores[i].spec, scores[i].failure);
        config += fmt::format("# failed {}\n", scores[i].spec);
        continue;
      }
      std::string folds_text;
      for (const double s : scores[i].fold_scores) folds_text += fmt::format(" {:.4f}", s);
      invocation.out << fmt::format("  {} {:.4f}  {}  folds:{}\n", i == best ? '*' : ' ', scores[i].mean,
                                    scores[i].spec, folds_text);
      config += fmt::format("# {:.6f} {}\n", scores[i].mean, scores[i].spec);
    }
    invocation.out << fmt::format("  chosen: {}\n", scores[best].spec);
    config += fmt::format("adapter = {}\n", scores[best].spec);
  }
  if (!out.empty()) {
    write_file_atomically(out, config);
    invocation.out << "chosen specs written to " << out << " (zooter run DIR --config " << out << ")\n";
  }
  return 0;
}

}  // namespace zooter::cli
