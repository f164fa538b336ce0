// decisions@file=PATH: a router that ran outside zooter, evaluated from the decisions it wrote
// (decision_file.h, docs/byo-router.md) as a built-in router is: same gold, same cost
// accounting, same statistics; cost-aware through the file's scores (recorded_decisions.h).
//   decisions@file=PATH[,lambda=X][,reference=1]
#include <fmt/format.h>

#include "adapters/adapter_factories.h"
#include "adapters/candidate_costs.h"
#include "adapters/decision_file.h"
#include "adapters/recorded_decisions.h"
#include "harness/error.h"

namespace zooter::adapters {

std::unique_ptr<Adapter> make_decisions_adapter(const AdapterSpec& spec, const AdapterContext& context) {
  spec.allow_only({"file", "lambda", "reference"});
  const std::optional<std::string> path = spec.positional("file");
  if (!path) throw UsageError("adapter \"decisions\" needs file=PATH (a JSONL or CSV decisions file)");
  RecordedDecisionsParts parts;
  parts.name = spec.canonical();
  if (spec.get("lambda")) parts.lambda = lambda_argument(spec);
  // reference=1: the decisions were made with the evaluated split's gold (an oracle's, written
  // by run --decisions). zooter cannot tell from the file, so the user says it, and the file is
  // kept off the headline AIQ as the oracle itself is.
  parts.reads_evaluated_gold = flag_argument(spec, "reference");
  parts.file = read_decision_file(*path, context.bundle, context.evaluated, context.evaluated_split);
  parts.notes.push_back(fmt::format("decisions read from {} ({} lines); every evaluated query decided once", *path,
                                    parts.file.lines));
  if (parts.file.outside_split > 0) {
    parts.notes.push_back(fmt::format("{} lines decide queries outside the evaluated split \"{}\": checked, not used",
                                      parts.file.outside_split, context.evaluated_split));
  }
  return make_recorded_decisions(std::move(parts), context);
}

}  // namespace zooter::adapters
