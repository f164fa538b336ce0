// decisions@file=PATH: a router that ran outside zooter, evaluated from the decisions it wrote
// (decision_file.h, docs/byo-router.md). It is judged exactly as a built-in router is: same
// gold, same cost accounting, same statistics. With per-candidate scores in the file it is
// cost-aware like the built-in learned routers: lambda= and --sweep-lambda re-decide by
// argmax(score - lambda x relative cost) (candidate_costs.h) without asking the router again.
#include <fmt/format.h>

#include <unordered_map>

#include "adapters/adapter_factories.h"
#include "adapters/candidate_costs.h"
#include "adapters/decision_file.h"
#include "adapters/learning_protocol.h"
#include "harness/bundle.h"
#include "harness/error.h"

namespace zooter::adapters {
namespace {

class DecisionsAdapter final : public Adapter {
 public:
  DecisionsAdapter(std::string name, DecisionFile file, std::span<const std::uint32_t> evaluated,
                   std::vector<double> cost, std::optional<double> lambda, std::size_t models)
      : name_(std::move(name)), file_(std::move(file)), cost_(std::move(cost)), lambda_(lambda), models_(models) {
    for (std::size_t i = 0; i < evaluated.size(); ++i) position_of_[evaluated[i]] = i;
  }

  std::string name() const override { return name_; }
  std::string kind() const override { return "router"; }
  std::vector<std::string> notes() const override { return notes_; }
  double router_flops_per_query() const override {
    return file_.router.flops ? *file_.router.flops / static_cast<double>(file_.decisions.size()) : 0.0;
  }
  bool cost_aware() const override { return !file_.scores.empty(); }

  void add_note(std::string note) { notes_.push_back(std::move(note)); }

  // Queries whose `model` is not the argmax of their scores (lambda 0), for a note.
  [[nodiscard]] std::size_t picks_off_argmax() const {
    std::size_t off = 0;
    for (std::size_t i = 0; i < file_.decisions.size(); ++i) {
      const Decision& d = file_.decisions[i];
      if (d.answer != Decision::kUniform && static_cast<std::size_t>(d.answer) != argmax_at(i, 0.0)) ++off;
    }
    return off;
  }

  std::vector<Decision> decide(std::span<const std::uint32_t> queries, const RunContext& run) const override {
    if (lambda_) return decide_at_lambda(queries, *lambda_, run);
    std::vector<Decision> out;
    out.reserve(queries.size());
    for (const std::uint32_t q : queries) out.push_back(file_.decisions[position(q)]);
    return out;
  }

  std::vector<Decision> decide_at_lambda(std::span<const std::uint32_t> queries, double lambda,
                                         const RunContext& run) const override {
    if (!cost_aware()) return Adapter::decide_at_lambda(queries, lambda, run);
    std::vector<Decision> out;
    out.reserve(queries.size());
    for (const std::uint32_t q : queries) {
      const std::size_t i = position(q);
      Decision d = Decision::single(static_cast<int>(argmax_at(i, lambda)));
      d.router_calls = file_.decisions[i].router_calls;
      out.push_back(d);
    }
    return out;
  }

 private:
  std::size_t position(std::uint32_t q) const {
    const auto it = position_of_.find(q);
    if (it == position_of_.end()) {
      throw InputError(fmt::format("adapter \"{}\": asked for a query the file does not decide", name_));
    }
    return it->second;
  }

  std::size_t argmax_at(std::size_t i, double lambda) const {
    const std::span<const double> scores(file_.scores.data() + i * models_, models_);
    return cost_aware_argmax<double>(scores, cost_, lambda);
  }

  std::string name_;
  DecisionFile file_;
  std::vector<double> cost_;
  std::optional<double> lambda_;
  std::size_t models_;
  std::unordered_map<std::uint32_t, std::size_t> position_of_;
  std::vector<std::string> notes_;
};

}  // namespace

std::unique_ptr<Adapter> make_decisions_adapter(const AdapterSpec& spec, const AdapterContext& context) {
  spec.allow_only({"file", "lambda"});
  const std::optional<std::string> path = spec.positional("file");
  if (!path) throw UsageError("adapter \"decisions\" needs file=PATH (a JSONL or CSV decisions file)");
  std::optional<double> lambda;
  if (spec.get("lambda")) lambda = lambda_argument(spec);
  DecisionFile file = read_decision_file(*path, context.bundle, context.evaluated, context.evaluated_split);
  const bool scored = !file.scores.empty();
  if (lambda && !scored) {
    throw UsageError(fmt::format("adapter \"{}\": lambda= needs \"scores\" in the file", spec.canonical()));
  }
  const RouterCostTotals router = file.router;
  const std::size_t lines = file.lines;
  const std::size_t outside_split = file.outside_split;
  auto adapter = std::make_unique<DecisionsAdapter>(spec.canonical(), std::move(file), context.evaluated,
                                                    scored ? known_relative_costs(context) : std::vector<double>(),
                                                    lambda, context.bundle.model_count());
  adapter->add_note(fmt::format("decisions read from {} ({} lines); every evaluated query decided once", *path, lines));
  if (outside_split > 0) {
    adapter->add_note(fmt::format("{} lines decide queries outside the evaluated split \"{}\": checked, not used",
                                  outside_split, context.evaluated_split));
  }
  if (scored) {
    const std::size_t off = adapter->picks_off_argmax();
    adapter->add_note(fmt::format(
        "the file's scores make it cost-aware: lambda= and --sweep-lambda pick argmax(score - lambda x "
        "relative cost); at lambda 0 that differs from the file's \"model\" on {} queries", off));
  }
  const double n = static_cast<double>(context.evaluated.size());
  if (router.flops) {
    adapter->add_note(fmt::format("router FLOPs from the file: {:.4g} per query (counted as router cost)", *router.flops / n));
  }
  if (router.seconds) {
    adapter->add_note(fmt::format("router seconds from the file: {:.4g} per query, {:.4g} in total (reported, "
                                  "not added to the latency model)", *router.seconds / n, *router.seconds));
  }
  if (router.dollars) {
    adapter->add_note(fmt::format("router dollars from the file: {:.4g} per query, {:.4g} in total (reported, "
                                  "not added to the dollar column, which counts generations)",
                                  *router.dollars / n, *router.dollars));
  }
  return adapter;
}

}  // namespace zooter::adapters
