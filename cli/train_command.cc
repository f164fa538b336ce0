// zooter train DIR --out ROUTER: trains a Zooter router on a bundle's train split and saves
// it (docs/router.md, docs/router-file.md). `zooter run --adapter zooter@file=ROUTER` uses it.
#include <fmt/format.h>

#include <ostream>

#include "adapters/router/router.h"
#include "adapters/router/router_file.h"
#include "harness/bundle.h"
#include "harness/bundle_loader.h"
#include "cli/commands_list.h"
#include "cli/options.h"
#include "cli/synth_stamp.h"
#include "harness/error.h"
#include "harness/run_context.h"

namespace zooter::cli {

int run_train(const Invocation& invocation) {
  namespace router = adapters::router;
  po::options_description description("train options");
  router::RouterOptions options;
  std::string out, split;
  int threads = 0;
  std::string tags, normalise;
  description.add_options()
      ("bundle", po::value<std::string>()->required(), "bundle directory")
      ("out,o", po::value<std::string>(&out)->required(), "router file to write")
      ("reward", po::value<std::string>(&options.reward)->default_value(""),
       "reward model to distil, or \"gold\" (default: qwen-rm, else the first reward model)")
      ("beta", checked<double>(&options.labels.beta, {.min = 0, .max = 1})->default_value(0.3, "0.3"),
       "tag-based label enhancement, the tag labels' weight: 0 = plain distillation, 1 = "
       "tag-level labels only")
      ("hard-label", po::bool_switch(&options.labels.hard_label),
       "train on the arg-max-reward model instead of the softmax (ablation)")
      ("normalise", po::value<std::string>(&normalise)->default_value(""),
       "rewards rescaled before the softmax: none, query-z, model-z or query-minmax (default: "
       "query-z with gold, none with a reward model)")
      ("tags", po::value<std::string>(&tags)->default_value("bundle"),
       "tag source: bundle, none or cluster:K")
      ("epochs", checked<std::uint32_t>(&options.trainer.epochs, {.min = 1, .max = 10000})->default_value(options.trainer.epochs),
       "training epochs")
      ("split", po::value<std::string>(&split)->default_value("train"), "split to train on")
      ("threads,t", checked<int>(&threads, {.min = 0})->default_value(0),
       "worker threads (0 = all cores); the router is identical for any value")
      ("seed", po::value<std::uint64_t>(&options.trainer.seed)->default_value(options.trainer.seed),
       "seed of shuffles, validation split and initialisation");
  po::positional_options_description positional;
  positional.add("bundle", 1);
  const ParsedOptions parsed = parse_options(invocation, description, positional);
  if (parsed.help) {
    print_help(invocation.out, "train", "DIR --out ROUTER [OPTIONS]",
               "Trains a Zooter router: silver labels softmax(rewards), tag-based label\n"
               "enhancement, KL loss (Lu et al. 2023, section 3.2).",
               description);
    return 0;
  }
  router::parse_tags(tags, options.labels);
  if (!normalise.empty()) options.labels.normalisation = router::parse_normalisation(normalise);
  const std::string dir = parsed.values["bundle"].as<std::string>();
  // A gold-pending bundle (collected live) can still train a router on a reward model's scores:
  // the silver labels are rewards, and training reads no gold unless the reward source is gold.
  LoadOptions load_options;
  load_options.allow_gold_pending = true;
  const Bundle bundle = load_bundle(dir, load_options);
  invocation.err << other_build_note(dir);
  const bool pending = bundle.manifest.gold_pending;
  if (pending && (options.reward == "gold" || (options.reward.empty() && bundle.manifest.reward_models.empty()))) {
    throw InputError(dir, 0,
                     "gold scores are pending (collected live), so there is nothing to train on: add them with "
                     "`zooter gold " + dir + " --scores FILE`, or score the responses with `zooter score` and "
                     "train with --reward NAME");
  }
  const auto split_index = bundle.manifest.find_split(split);
  if (!split_index) throw UsageError("--split \"" + split + "\": the bundle has no such split");
  std::vector<std::uint32_t> queries;
  for (std::size_t q = 0; q < bundle.query_count(); ++q) {
    if (bundle.queries.split[q] == *split_index) queries.push_back(static_cast<std::uint32_t>(q));
  }
  if (queries.empty()) throw InputError(dir, 0, "split \"" + split + "\" has no queries");
  const RunContext ctx(usable_threads(threads, invocation.err), options.trainer.seed);
  const router::TrainingData data{bundle, queries,
                                  bundle.manifest.splits[*split_index].gold_for_training && !pending,
                                  fmt::format("split {} ({} queries)", split, queries.size())};
  const router::Router trained = router::train_router(data, options, ctx, {&invocation.err, invocation.err_is_terminal});
  router::save_router(trained, out);
  invocation.out << fmt::format("router written to {} ({}; trained on {})\n", out,
                                router::describe(trained.info().options), data.description);
  return 0;
}

}  // namespace zooter::cli
