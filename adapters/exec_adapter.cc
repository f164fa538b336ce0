// exec@cmd=COMMAND: an outside router, in any language, driven over the zooter-exec protocol
// (exec_protocol.h, docs/byo-router.md). zooter starts the program (child_process.h), sends
// the training queries as a built-in learned router may see them and the evaluated queries by id
// and text alone, and reads one decision line per evaluated query back (decision_file.h).
// Without a train split it follows the built-in routers' protocol (learning_protocol.h):
// k-fold cross-fitting, one run of the program per fold, each deciding only queries it did not
// train on.
#include <fmt/format.h>

#include <cmath>
#include <cstring>
#include <string_view>
#include <unordered_map>

#include "adapters/adapter_factories.h"
#include "adapters/candidate_costs.h"
#include "adapters/child_process.h"
#include "adapters/decision_file.h"
#include "adapters/exec_protocol.h"
#include "adapters/recorded_decisions.h"
#include "adapters/router/kfold.h"
#include "harness/bundle.h"
#include "harness/error.h"
#include "harness/run_context.h"

namespace zooter::adapters {
namespace {

// The last three lines the program wrote to standard error, each as "\n  stderr: LINE", for an
// error message (empty when it wrote nothing).
std::string stderr_lines(const std::string& tail) {
  std::vector<std::string_view> lines;
  std::string_view text(tail);
  while (!text.empty()) {
    const std::size_t nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (!line.empty()) lines.push_back(line);
    text.remove_prefix(nl == std::string_view::npos ? text.size() : nl + 1);
  }
  std::string out;
  for (std::size_t i = lines.size() > 3 ? lines.size() - 3 : 0; i < lines.size(); ++i) {
    out += "\n  stderr: ";
    out += lines[i];
  }
  return out;
}

struct ProgramRun {
  std::span<const std::uint32_t> train;
  bool train_gold = false;
  std::vector<std::uint32_t> route;
  std::string source;  // names the output in messages
};

class ExecDriver {
 public:
  ExecDriver(std::string command, double timeout_seconds, const AdapterContext& context, std::uint64_t seed)
      : command_(std::move(command)), timeout_seconds_(timeout_seconds), context_(context), seed_(seed) {
    const std::span<const std::uint32_t> known = context.train.empty() ? context.evaluated : context.train;
    costs_ = estimate_candidate_costs(context.bundle, known);
  }

  // Runs the program once and returns its decisions for run.route, in that order.
  DecisionFile run(const ProgramRun& run) {
    ExecRequest request{run.train, run.train_gold, run.route, costs_.unit, costs_.relative, seed_};
    const std::string input = exec_input(context_.bundle, request, context_.run);
    const auto timeout = std::chrono::milliseconds(static_cast<long long>(std::ceil(timeout_seconds_ * 1000.0)));
    const ChildResult r = run_child(command_, input, timeout);
    wall_seconds_ += r.wall_seconds;
    cpu_seconds_ += r.cpu_seconds;
    ++runs_;
    if (r.timed_out) {
      throw InputError(fmt::format("{}: no answer within {:g} s (timeout=): the program was killed{}", run.source,
                                   timeout_seconds_, stderr_lines(r.err_tail)));
    }
    if (r.signal != 0) {
      throw InputError(fmt::format("{}: the program was killed by signal {} ({}){}", run.source, r.signal,
                                   strsignal(r.signal), stderr_lines(r.err_tail)));
    }
    if (r.exit_status != 0) {
      throw InputError(fmt::format("{}: the program exited with status {}{}", run.source, r.exit_status,
                                   stderr_lines(r.err_tail)));
    }
    DecisionFile file =
        read_decision_text(r.out, run.source, context_.bundle, run.route, context_.evaluated_split);
    if (file.outside_split > 0) {
      throw InputError(fmt::format("{}: {} decision lines for queries the program was not asked to route", run.source,
                                   file.outside_split));
    }
    return file;
  }

  [[nodiscard]] std::vector<std::pair<std::string, std::string>> measurements() const {
    return {{"program runs", std::to_string(runs_)},
            {"program wall seconds", fmt::format("{:.3f}", wall_seconds_)},
            {"program CPU seconds", fmt::format("{:.3f}", cpu_seconds_)}};
  }

 private:
  std::string command_;
  double timeout_seconds_;
  const AdapterContext& context_;
  std::uint64_t seed_;
  CandidateCosts costs_;
  double wall_seconds_ = 0.0, cpu_seconds_ = 0.0;
  std::size_t runs_ = 0;
};

// Places one run's decisions (for `route`) into `all` (for the evaluated queries).
void merge(DecisionFile& all, const DecisionFile& part, std::span<const std::uint32_t> route,
           const std::unordered_map<std::uint32_t, std::size_t>& position, std::size_t models, const std::string& source) {
  if (part.scores.empty() != all.scores.empty() && all.lines > 0) {
    throw InputError(fmt::format("{}: \"scores\" given in some runs of the program only", source));
  }
  if (all.lines == 0 && !part.scores.empty()) all.scores.assign(all.decisions.size() * models, 0.0);
  for (std::size_t j = 0; j < route.size(); ++j) {
    const std::size_t i = position.at(route[j]);
    all.decisions[i] = part.decisions[j];
    if (!part.scores.empty()) {
      std::copy_n(part.scores.begin() + static_cast<std::ptrdiff_t>(j * models), models,
                  all.scores.begin() + static_cast<std::ptrdiff_t>(i * models));
    }
  }
  auto add = [](std::optional<double>& total, const std::optional<double>& x) {
    if (x) total = total.value_or(0.0) + *x;
  };
  add(all.router.flops, part.router.flops);
  add(all.router.seconds, part.router.seconds);
  add(all.router.dollars, part.router.dollars);
  all.lines += part.lines;
}

}  // namespace

std::unique_ptr<Adapter> make_exec_adapter(const AdapterSpec& spec, const AdapterContext& context) {
  spec.allow_only({"cmd", "timeout", "lambda", "folds", "seed"});
  const std::optional<std::string> command = spec.positional("cmd");
  if (!command) throw UsageError("adapter \"exec\" needs cmd=COMMAND (run by /bin/sh -c)");
  const double timeout = number_argument(spec, "timeout", 600.0);
  if (!std::isfinite(timeout) || timeout <= 0.0 || timeout > 86400.0) {
    throw UsageError(fmt::format("adapter \"{}\": timeout must be a number of seconds in (0, 86400]", spec.canonical()));
  }
  RecordedDecisionsParts parts;
  parts.name = spec.canonical();
  if (spec.get("lambda")) parts.lambda = lambda_argument(spec);
  const std::uint64_t seed = integer_argument(spec, "seed", context.run.seed(), 0, ~std::uint64_t{0});
  const Bundle& bundle = context.bundle;
  const std::size_t models = bundle.model_count();
  ExecDriver driver(*command, timeout, context, seed);
  std::unordered_map<std::uint32_t, std::size_t> position;
  for (std::size_t i = 0; i < context.evaluated.size(); ++i) position[context.evaluated[i]] = i;
  DecisionFile& all = parts.file;
  all.decisions.resize(context.evaluated.size());
  const std::string source = fmt::format("output of \"{}\"", *command);
  std::string protocol;
  if (!context.train.empty()) {
    if (spec.get("folds")) {
      throw UsageError("adapter \"" + spec.name + "\": folds= applies only to bundles without a train split");
    }
    ProgramRun run{context.train, context.train_gold_usable,
                   {context.evaluated.begin(), context.evaluated.end()}, source};
    merge(all, driver.run(run), run.route, position, models, source);
    protocol = fmt::format("trained on the \"{}\" split ({} queries, {})", context.train_split, context.train.size(),
                           context.train_gold_usable ? "gold and rewards" : "rewards only: its gold is not for training");
  } else {
    const auto split = bundle.manifest.find_split(context.evaluated_split);
    const bool gold = split && bundle.manifest.splits[*split].gold_for_training;
    const auto k = static_cast<std::uint32_t>(integer_argument(spec, "folds", 5, 2, router::kMaxFolds));
    const router::FoldPlan plan(context.evaluated, bundle.queries.subset, k, seed);
    for (std::uint32_t f = 0; f < k; ++f) {
      const std::vector<std::uint32_t> training = plan.training(f);
      ProgramRun run{training, gold, plan.held_out(f), fmt::format("{} (fold {} of {})", source, f + 1, k)};
      merge(all, driver.run(run), run.route, position, models, run.source);
    }
    protocol = fmt::format("no train split, so {}-fold cross-fitting on the evaluated \"{}\" queries, one run of "
                           "the program per fold ({})",
                           k, context.evaluated_split, gold ? "gold and rewards" : "rewards only");
  }
  parts.notes.push_back(fmt::format("routed by \"{}\" over the zooter-exec protocol, version {}: {}; the queries "
                                    "to route were given by id and text only",
                                    *command, kExecProtocolVersion, protocol));
  parts.measurements = driver.measurements();
  return make_recorded_decisions(std::move(parts), context);
}

}  // namespace zooter::adapters
