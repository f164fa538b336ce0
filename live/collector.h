// The engine of `zooter collect`: asks every candidate for its answer to every query through
// OpenAI-compatible /chat/completions endpoints, resumably (journal.h), and writes the results
// as a gold-pending bundle (collected_bundle.h, docs/live-collect.md).
#pragma once

#include <cstddef>
#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

#include "live/live_progress.h"
#include "live/endpoints_file.h"
#include "live/query_file.h"
#include "live/retry_policy.h"

namespace zooter::live {

struct CollectOptions {
  std::optional<std::size_t> max_tokens;   // sent as "max_tokens" when set
  std::optional<double> temperature;       // sent as "temperature" when set
  std::size_t limit = 0;                   // first N queries only (0: all)
  std::size_t threads = 1;                 // I/O threads
  std::string journal_path;
  std::string out_dir;
  // The bundle the queries come from (--bundle); its manifest is the base of OUT's. Empty for a
  // plain queries file (--queries): OUT's manifest is then built from the queries alone.
  std::string source_bundle;
  RetryPolicy retry;
  std::size_t max_response_bytes = 32u << 20;
};

// One (query, candidate) result as recorded in the journal.
struct CollectedCall {
  std::string query;
  std::string candidate;
  bool ok = false;
  std::string text;
  std::optional<long long> prompt_tokens;      // from the server's usage; nullopt: not reported
  std::optional<long long> completion_tokens;
  double latency_ms = 0.0;
  int attempts = 0;
  int status = 0;
  std::string error;
};

struct CollectSummary {
  std::size_t total = 0;            // (query, candidate) pairs
  std::size_t from_journal = 0;     // already done before this run
  std::size_t called = 0;           // calls made in this run
  std::size_t usage_unknown = 0;    // successes without usage
  std::size_t input_tokens_unknown = 0;  // queries with no input_tokens in the file nor any usage
  std::vector<CollectedCall> failed;
};

// The chat request body for one query (exposed for tests).
[[nodiscard]] std::string chat_body(const std::string& model, const std::string& query_text,
                                    const CollectOptions& options);
// Reads an OpenAI chat completion into `call` (text, usage). A body that is not one sets
// ok = false with a description in `error`.
void read_chat_completion(const std::string& body, CollectedCall& call);

// Runs the job: replays the journal, calls what is missing or failed, writes OUT. Progress goes
// to `progress` (live_progress.h; default: nowhere), notes (torn journal line, unknown usage) to `notes`.
CollectSummary collect(const QueryFile& queries, const std::vector<CandidateEndpoint>& candidates,
                       const CollectOptions& options, ProgressOutput progress, std::ostream& notes);

}  // namespace zooter::live
