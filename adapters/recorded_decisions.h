// The adapter behind decisions@file and exec@cmd: decisions an outside router made before zooter
// evaluates them (adapters/decision_file.h), judged exactly as a built-in router's are. With
// per-candidate scores it is cost-aware like the built-in learned routers: lambda= and
// --sweep-lambda re-decide by argmax(score - lambda x relative cost) (candidate_costs.h)
// without asking the router again; decide() without lambda= returns the recorded picks.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "adapters/adapter.h"
#include "adapters/decision_file.h"

namespace zooter::adapters {

struct RecordedDecisionsParts {
  std::string name;                 // the canonical spec
  DecisionFile file;                // decisions for context.evaluated, in that order
  std::optional<double> lambda;     // the spec's lambda= (needs scores; checked by the factory)
  bool reads_evaluated_gold = false;  // made with the evaluated gold (reference=1): a reference
  std::vector<std::string> notes;   // what the factory knows (the file, the program); more are added
  std::vector<std::pair<std::string, std::string>> measurements;  // timings for provenance
};

// Adds the notes every recorded router gets (scores and the picks off their argmax, the router's
// own cost from the file) and builds the adapter. Throws UsageError when parts.lambda is set
// and the decisions have no scores.
[[nodiscard]] std::unique_ptr<Adapter> make_recorded_decisions(RecordedDecisionsParts parts,
                                                               const AdapterContext& context);

}  // namespace zooter::adapters
