// The endpoints file of live mode (docs/live-collect.md): where each candidate model and each
// reward model is served, with its key, concurrency bound, prices and timeouts.
//
// `zooter collect`, `zooter score` and `zooter serve` all read it, so its checks live here once.
#pragma once

#include <cstddef>
#include <cstdlib>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "live/url.h"

namespace zooter::live {

struct CandidateEndpoint {
  std::string name;           // candidate name as in the bundle / router file
  Url base_url;               // OpenAI convention: includes /v1, e.g. http://127.0.0.1:8001/v1
  std::string model;          // model name sent in requests (default: name)
  std::string api_key;        // value of the env var named by "api_key_env"; empty when none
  // https only: PEM bundle the server's certificate is verified against instead of the system
  // store; resolved against the endpoints file's directory. Empty: the system store.
  std::string ca_file;
  // collect: requests in flight at once. serve: the same cap, but only when the file gives it
  // (max_concurrency_given); without it serve does not limit.
  std::size_t max_concurrency = 4;
  bool max_concurrency_given = false;
  double price_per_input_token = 0.0;   // US dollars (the file gives dollars per million)
  double price_per_output_token = 0.0;
  double price_per_million_input = 0.0;   // as the file gives them, for the collected manifest
  double price_per_million_output = 0.0;
  std::optional<double> parameters;       // parameter count (FLOPs); the collected manifest needs it
  double timeout_seconds = 120.0;
  int max_retries = 5;
};

// Request shapes of reward-model servers (exact requests and responses in docs/live-collect.md).
inline constexpr const char* kRewardShapes[] = {"vllm-score", "tei-predict", "vllm-classify"};

struct RewardEndpoint {
  std::string name;           // reward-model name written into the bundle
  Url base_url;
  std::string model;          // default: name
  std::string api_key;
  std::string ca_file;        // as CandidateEndpoint's
  std::string shape;          // one of kRewardShapes
  // vllm-classify only: which entry of the answer's `probs` is the reward (a head with several
  // labels, e.g. bad/good, has one probability per label).
  std::size_t label_index = 0;
  std::size_t max_concurrency = 4;
  double timeout_seconds = 120.0;
  int max_retries = 5;
};

struct EndpointsFile {
  std::vector<CandidateEndpoint> candidates;
  std::vector<RewardEndpoint> reward_models;
};

// getenv_fn lets tests inject the environment. Throws InputError("path:line: message") for bad
// JSON, missing/invalid/unknown fields, duplicate names, an api_key_env naming an unset variable,
// a ca_file that cannot be read or holds no PEM certificate, or one given for an http URL.
EndpointsFile load_endpoints_file(const std::string& path,
                                  const std::function<const char*(const char*)>& getenv_fn = ::getenv);

}  // namespace zooter::live
