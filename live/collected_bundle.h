// The replay bundle `zooter collect` writes (docs/live-collect.md, "Output"): the queries, one
// response per (query, candidate) with its token counts and cost, and a manifest whose gold is
// pending (docs/bundle-format.md), since live answers have no gold and zooter never invents one.
//
// Not for calling the endpoints (collector.h) nor for adding gold later (harness/gold_scores.h).
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "harness/bundle.h"
#include "live/collector.h"

namespace zooter::live {

// (query id, candidate name) -> the call's last journaled result.
using CollectResults = std::map<std::pair<std::string, std::string>, CollectedCall>;

class CollectedBundle {
 public:
  // Works out everything OUT's bundle needs that does not depend on the answers, so that bad
  // input fails before any call is made: the manifest (the source bundle's, or one built from a
  // plain queries file), each query's subset, split and input_tokens. Throws InputError for a
  // candidate with no parameter count, a bad subset or split name or a bad input_tokens.
  CollectedBundle(const QueryFile& queries, std::size_t query_count,
                  const std::vector<CandidateEndpoint>& candidates, const CollectOptions& options);

  // Writes OUT/manifest.json, queries.jsonl and responses.jsonl, each replaced atomically, and
  // fills summary.failed, usage_unknown and input_tokens_unknown.
  void write(const CollectResults& results, CollectSummary& summary) const;

 private:
  struct PlainQuery {  // a --queries line, rewritten as a bundle query
    std::uint32_t subset = 0;
    std::uint32_t split = 0;
    std::string tags_json;                     // the line's "tags" value, or "" when absent
    std::optional<std::uint32_t> input_tokens;  // from the line; nullopt: from usage
  };

  [[nodiscard]] std::string queries_jsonl(const CollectResults& results, CollectSummary& summary) const;
  [[nodiscard]] std::string responses_jsonl(const CollectResults& results, CollectSummary& summary) const;

  const QueryFile& queries_;
  std::size_t query_count_;
  const std::vector<CandidateEndpoint>& candidates_;
  const CollectOptions& options_;
  Manifest manifest_;
  std::string source_provenance_;   // the source bundle's provenance object; "" for --queries
  std::vector<PlainQuery> plain_;   // --queries only
};

}  // namespace zooter::live
