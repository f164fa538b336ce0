#include "adapters/recorded_decisions.h"

#include <fmt/format.h>

#include <unordered_map>

#include "adapters/candidate_costs.h"
#include "harness/bundle.h"
#include "harness/error.h"

namespace zooter::adapters {
namespace {

// What each candidate costs, as the built-in learned routers see it (learning_protocol.h's
// known_relative_costs): from the train split, or the evaluated queries when there is none.
std::vector<double> relative_costs(const AdapterContext& context) {
  const std::span<const std::uint32_t> known = context.train.empty() ? context.evaluated : context.train;
  return estimate_candidate_costs(context.bundle, known).relative;
}

class RecordedDecisions final : public Adapter {
 public:
  RecordedDecisions(RecordedDecisionsParts parts, std::span<const std::uint32_t> evaluated, std::vector<double> cost,
                    std::size_t models)
      : parts_(std::move(parts)), cost_(std::move(cost)), models_(models) {
    for (std::size_t i = 0; i < evaluated.size(); ++i) position_of_[evaluated[i]] = i;
  }

  std::string name() const override { return parts_.name; }
  std::string kind() const override { return "router"; }
  std::vector<std::string> notes() const override { return parts_.notes; }
  std::vector<std::pair<std::string, std::string>> measurements() const override { return parts_.measurements; }
  double router_flops_per_query() const override {
    const DecisionFile& f = parts_.file;
    return f.router.flops ? *f.router.flops / static_cast<double>(f.decisions.size()) : 0.0;
  }
  bool reads_evaluated_gold() const override { return parts_.reads_evaluated_gold; }
  bool cost_aware() const override { return !parts_.file.scores.empty(); }

  std::vector<double> quality_estimates(std::span<const std::uint32_t> queries, const RunContext&) const override {
    if (!cost_aware()) return {};
    std::vector<double> out;
    out.reserve(queries.size() * models_);
    for (const std::uint32_t q : queries) {
      const auto row = parts_.file.scores.begin() + static_cast<std::ptrdiff_t>(position(q) * models_);
      out.insert(out.end(), row, row + static_cast<std::ptrdiff_t>(models_));
    }
    return out;
  }

  void add_note(std::string note) { parts_.notes.push_back(std::move(note)); }

  // Queries whose recorded pick is not the argmax of their scores (lambda 0), for a note.
  [[nodiscard]] std::size_t picks_off_argmax() const {
    std::size_t off = 0;
    for (std::size_t i = 0; i < parts_.file.decisions.size(); ++i) {
      const Decision& d = parts_.file.decisions[i];
      if (d.answer != Decision::kUniform && static_cast<std::size_t>(d.answer) != argmax_at(i, 0.0)) ++off;
    }
    return off;
  }

  std::vector<Decision> decide(std::span<const std::uint32_t> queries, const RunContext& run) const override {
    if (parts_.lambda) return decide_at_lambda(queries, *parts_.lambda, run);
    std::vector<Decision> out;
    out.reserve(queries.size());
    for (const std::uint32_t q : queries) out.push_back(parts_.file.decisions[position(q)]);
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
      d.router_calls = parts_.file.decisions[i].router_calls;
      out.push_back(d);
    }
    return out;
  }

 private:
  std::size_t position(std::uint32_t q) const {
    const auto it = position_of_.find(q);
    if (it == position_of_.end()) {
      throw InputError(fmt::format("adapter \"{}\": asked for a query it has no decision for", parts_.name));
    }
    return it->second;
  }

  std::size_t argmax_at(std::size_t i, double lambda) const {
    const std::span<const double> scores(parts_.file.scores.data() + i * models_, models_);
    return cost_aware_argmax<double>(scores, cost_, lambda);
  }

  RecordedDecisionsParts parts_;
  std::vector<double> cost_;
  std::size_t models_;
  std::unordered_map<std::uint32_t, std::size_t> position_of_;
};

}  // namespace

std::unique_ptr<Adapter> make_recorded_decisions(RecordedDecisionsParts parts, const AdapterContext& context) {
  const bool scored = !parts.file.scores.empty();
  if (parts.lambda && !scored) {
    throw UsageError(fmt::format("adapter \"{}\": lambda= needs \"scores\" in the decisions", parts.name));
  }
  const RouterCostTotals router = parts.file.router;
  const double n = static_cast<double>(context.evaluated.size());
  std::vector<std::string> later;
  if (router.flops) {
    later.push_back(fmt::format("router FLOPs from the decisions: {:.4g} per query (counted as router cost)",
                                *router.flops / n));
  }
  if (router.seconds) {
    later.push_back(fmt::format("router seconds from the decisions: {:.4g} per query, {:.4g} in total (reported, "
                                "not added to the latency model)", *router.seconds / n, *router.seconds));
  }
  if (router.dollars) {
    later.push_back(fmt::format("router dollars from the decisions: {:.4g} per query, {:.4g} in total (reported, "
                                "not added to the dollar column, which counts generations)",
                                *router.dollars / n, *router.dollars));
  }
  auto adapter = std::make_unique<RecordedDecisions>(std::move(parts), context.evaluated,
                                                     scored ? relative_costs(context) : std::vector<double>(),
                                                     context.bundle.model_count());
  if (scored) {
    adapter->add_note(fmt::format("scores make it cost-aware: lambda= and --sweep-lambda pick argmax(score - "
                                       "lambda x relative cost); at lambda 0 that differs from the recorded "
                                       "\"model\" on {} queries",
                                       adapter->picks_off_argmax()));
  }
  for (std::string& note : later) adapter->add_note(std::move(note));
  return adapter;
}

}  // namespace zooter::adapters
