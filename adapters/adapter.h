// The interface every ensemble strategy implements, and the one factory that builds them.
//
// An adapter is built (and, if it learns, trained) once for a run, then immutable: decide()
// is const and may be called from the evaluator with any thread count. Concrete adapters are
// declared only in their own .cc files and reached through make_adapter().
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "adapters/adapter_spec.h"
#include "harness/decision.h"

namespace zooter {
struct Bundle;
class RunContext;
}  // namespace zooter

namespace zooter::adapters {

// What an adapter may look at while being built.
struct AdapterContext {
  const Bundle& bundle;
  std::span<const std::uint32_t> evaluated;  // the queries it will be asked to decide
  std::span<const std::uint32_t> train;      // training queries (empty: no train split)
  std::string evaluated_split;
  std::string train_split;                   // empty when there is none
  bool train_gold_usable = false;            // the train split's gold may be learned from
  const RunContext& run;
};

class Adapter {
 public:
  virtual ~Adapter() = default;

  [[nodiscard]] virtual std::string name() const = 0;  // canonical spec
  // "candidate", "baseline", "ranker" (every candidate generates, a scorer picks) or "router".
  [[nodiscard]] virtual std::string kind() const = 0;
  // Facts a reader needs to interpret the results (what best-single chose, which protocol).
  [[nodiscard]] virtual std::vector<std::string> notes() const { return {}; }
  // Timings a reader may want beside the run's own (an outside program's wall and CPU time):
  // provenance, never results, since they differ from run to run.
  [[nodiscard]] virtual std::vector<std::pair<std::string, std::string>> measurements() const { return {}; }
  [[nodiscard]] virtual double router_parameters() const { return 0.0; }
  [[nodiscard]] virtual double router_flops_per_query() const { return 0.0; }
  // Decides from the evaluated queries' own gold scores (the oracle): a reference line on the
  // cost-quality plane, not a deployable strategy, so it stays off the headline AIQ.
  [[nodiscard]] virtual bool reads_evaluated_gold() const { return false; }

  // One decision per query (indices into the bundle), in the same order.
  [[nodiscard]] virtual std::vector<Decision> decide(std::span<const std::uint32_t> queries,
                                                     const RunContext& run) const = 0;

  // Cost-aware routing, for adapters that estimate every candidate's quality per query: the
  // decisions they make with argmax(quality - lambda x relative cost) (candidate_costs.h).
  // The frontier sweep calls it for many lambdas without rebuilding (retraining) the adapter.
  [[nodiscard]] virtual bool cost_aware() const { return false; }
  // The per-candidate quality a cost-aware adapter trades against cost in decide_at_lambda(), for
  // `queries` (row-major, one row of model_count() per query), so that its decisions written
  // out (`zooter run --decisions`) can be swept again; empty when the adapter has none to give.
  [[nodiscard]] virtual std::vector<double> quality_estimates(std::span<const std::uint32_t> queries,
                                                              const RunContext& run) const;
  // Throws UsageError unless cost_aware().
  [[nodiscard]] virtual std::vector<Decision> decide_at_lambda(std::span<const std::uint32_t> queries,
                                                               double lambda,
                                                               const RunContext& run) const;
};

struct AdapterInfo {
  std::string name;         // as written in a spec, e.g. "rmr"
  std::string usage;        // e.g. "rmr@REWARD_MODEL"
  std::string description;  // one line
};

// Every adapter this build knows, in a fixed order (for `zooter list adapters`).
[[nodiscard]] const std::vector<AdapterInfo>& adapter_catalog();

// Builds the adapter a spec names. Throws UsageError for an unknown adapter or argument and
// InputError when the bundle lacks what it needs (e.g. an unknown reward model).
[[nodiscard]] std::unique_ptr<Adapter> make_adapter(const AdapterSpec& spec,
                                                    const AdapterContext& context);

// The default set when no --adapter is given: every candidate, then best-single, random,
// oracle and rmr@ every reward model (then learned routers the bundle supports).
[[nodiscard]] std::vector<std::string> default_adapter_specs(const Bundle& bundle);

}  // namespace zooter::adapters
