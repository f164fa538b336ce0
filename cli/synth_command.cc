// zooter synth --profile NAME --seed N --out DIR: generate a bundle. Profiles: zooter-paper
// (the 26-subset simulation calibrated to the paper's Table 1, docs/simulation.md) and random
// (any size, for benchmarks). With --reuse, a bundle already generated in DIR by this build
// with the same settings is kept instead of being generated again.
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <ostream>
#include <sstream>

#include "harness/bundle.h"
#include "harness/bundle_writer.h"
#include "cli/commands_list.h"
#include "cli/list_arguments.h"
#include "cli/options.h"
#include "cli/synth_stamp.h"
#include "harness/default_seed.h"
#include "harness/error.h"
#include "harness/run_context.h"
#include "suites/paper_sim.h"
#include "suites/random_suite.h"

namespace zooter::cli {
namespace {

std::string read_text(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace

int run_synth(const Invocation& invocation) {
  po::options_description description("synth options");
  std::string profile, out;
  std::uint64_t seed = kDefaultSeed;
  int threads = 0;
  std::size_t train_queries = suites::kPaperTrainQueries;
  std::string reward_errors_text;
  suites::RandomSuiteOptions random_options;
  description.add_options()
      ("profile", po::value<std::string>(&profile)->default_value("zooter-paper"),
       "zooter-paper (the paper simulation) or random")
      ("seed", po::value<std::uint64_t>(&seed)->default_value(kDefaultSeed), "generator seed")
      ("out,o", po::value<std::string>(&out)->required(), "bundle directory to write")
      ("reuse", po::bool_switch(), "keep DIR when this build already generated it with these settings")
      ("threads,t", checked<int>(&threads, {.min = 0})->default_value(0),
       "worker threads (0 = all cores); the bundle is identical for any value")
      ("train-queries", checked<std::size_t>(&train_queries, {.min = 1})->default_value(suites::kPaperTrainQueries),
       "zooter-paper: training queries (sources keep the paper's proportions)")
      ("reward-errors", po::value<std::string>(&reward_errors_text),
       "zooter-paper, for refitting only: FACTUAL,OPEN,TRAIN,BLIND,FLUENCY (reward-model tag error sds, "
       "training signal factor, share of expertise missed on exam-style queries, reward per unit of "
       "fluency there) instead of the fitted ones (scripts/fit-paper-rewards.sh)")
      ("queries", checked<std::size_t>(&random_options.queries, {.min = 1})->default_value(1000),
       "random: number of queries")
      ("models", checked<std::size_t>(&random_options.models, {.min = 1, .max = kMaxModels})->default_value(4),
       "random: number of candidates")
      ("reward-models", po::value<std::size_t>(&random_options.reward_models)->default_value(2),
       "random: number of reward models");
  const ParsedOptions parsed = parse_options(invocation, description, {});
  if (parsed.help) {
    print_help(invocation.out, "synth", "--out DIR [--profile NAME] [--seed N] [OPTIONS]",
               "Generates a replay bundle. zooter-paper is simulated data calibrated to the\n"
               "Zooter paper's Table 1 (docs/simulation.md); every report on it says so.",
               description);
    return 0;
  }
  if (profile != "zooter-paper" && profile != "random") {
    throw UsageError("unknown profile \"" + profile + "\" (known: zooter-paper, random)");
  }
  suites::RewardErrorParameters reward_errors = suites::kFittedRewardErrors;
  if (!reward_errors_text.empty()) {
    const std::vector<double> values = parse_number_list(reward_errors_text, "--reward-errors");
    if (values.size() != 5 || !std::all_of(values.begin(), values.end(), [](double v) {
          return std::isfinite(v) && v >= 0.0;
        })) {
      throw UsageError(
          "--reward-errors: expected five non-negative numbers FACTUAL,OPEN,TRAIN,BLIND,FLUENCY, got \"" +
          reward_errors_text + "\"");
    }
    reward_errors = {values[0], values[1], values[2], values[3], values[4]};
  }
  const std::string stamp =
      profile == "zooter-paper"
          ? fmt::format("profile={}\nseed={}\ntrain_queries={}\nreward_errors={},{},{},{},{}\n{}\n",
                        profile, seed, train_queries, reward_errors.factual_sd,
                        reward_errors.open_sd, reward_errors.train_signal, reward_errors.exam_blindness,
                        reward_errors.exam_fluency, synth_build_line())
          : fmt::format("profile={}\nseed={}\nqueries={}\nmodels={}\nreward_models={}\n{}\n",
                        profile, seed, random_options.queries, random_options.models,
                        random_options.reward_models, synth_build_line());
  const std::filesystem::path stamp_path = std::filesystem::path(out) / kSynthStampFile;
  if (parsed.values["reuse"].as<bool>() && read_text(stamp_path) == stamp &&
      std::filesystem::exists(std::filesystem::path(out) / "responses.jsonl")) {
    invocation.err << "synth: reusing " << out << " (same profile, seed and build)\n";
    return 0;
  }

  const auto start = std::chrono::steady_clock::now();
  const RunContext ctx(usable_threads(threads, invocation.err), seed);
  Bundle bundle;
  if (profile == "zooter-paper") {
    suites::PaperSimOptions options;
    options.seed = seed;
    options.train_queries = train_queries;
    options.reward_errors = reward_errors;
    bundle = suites::synthesize_paper_bundle(options, ctx);
  } else {
    random_options.seed = seed;
    bundle = suites::make_random_bundle(random_options, ctx);
  }
  std::filesystem::remove(stamp_path);
  write_bundle(bundle, out);
  std::ofstream(stamp_path, std::ios::binary) << stamp;
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  invocation.err << fmt::format("synth: wrote {} ({} profile, seed {}): {} queries x {} candidates in {:.2f} s\n",
                                out, profile, seed, bundle.query_count(), bundle.model_count(), seconds);
  return 0;
}

}  // namespace zooter::cli
