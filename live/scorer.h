// The engine of `zooter score`: asks a reward-model server for the reward of every (query,
// response) of a bundle and writes it into each response's "rewards" (docs/live-collect.md has
// the request shapes). Same concurrency, retry and journal guarantees as collect.
#pragma once

#include <cstddef>
#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

#include "live/live_progress.h"
#include "live/endpoints_file.h"
#include "live/retry_policy.h"

namespace zooter::live {

struct ScoreOptions {
  std::string in_dir;
  std::string out_dir;                          // may equal in_dir (files are replaced atomically)
  std::string journal_path;
  std::optional<double> reward_parameters;      // for a reward model new to the manifest
  std::size_t threads = 1;
  RetryPolicy retry;
};

struct ScoreSummary {
  std::size_t total = 0;
  std::size_t from_journal = 0;
  std::size_t called = 0;
  std::vector<std::string> failed;  // "query Q model M after N attempts: error"
};

// Request route and body of one (query, response) for `endpoint.shape` (exposed for tests).
[[nodiscard]] std::string reward_route(const RewardEndpoint& endpoint);
[[nodiscard]] std::string reward_body(const RewardEndpoint& endpoint, const std::string& query,
                                      const std::string& response);
// The score in a reward server's answer; nullopt with `error` set when the body is not the shape's.
[[nodiscard]] std::optional<double> read_reward(const RewardEndpoint& endpoint, const std::string& body,
                                                std::string& error);

ScoreSummary score(const RewardEndpoint& endpoint, const ScoreOptions& options, ProgressOutput progress,
                   std::ostream& notes);

}  // namespace zooter::live
