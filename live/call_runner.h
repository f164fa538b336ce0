// Runs many HTTP calls against several endpoints at once: the shared engine of `zooter collect`
// and `zooter score`.
//
// Each endpoint gets its own queue and at most max_concurrency connections (one coroutine per
// slot, each with a kept-alive connection), so a slow endpoint holds only its own slots and never
// stalls the others. Failed attempts are retried per RetryPolicy. Each finished call (success or
// final failure) is handed to on_done, one at a time, which records it (the journal).
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <iosfwd>
#include <string>
#include <vector>

#include "live/live_progress.h"
#include "live/retry_policy.h"
#include "live/url.h"

namespace zooter::live {

struct EndpointSlots {
  std::string name;  // for messages
  Url base_url;
  std::string api_key;
  std::string ca_file;  // https: PEM bundle to verify the server against ("": the system store)
  std::size_t max_concurrency = 4;
  double timeout_seconds = 120.0;
  int max_retries = 5;
};

struct Call {
  std::size_t endpoint = 0;  // index into the endpoints
  std::uint64_t id = 0;      // jitter key (retry_policy.h)
  std::string target;        // e.g. "/v1/chat/completions"
  std::string body;
};

struct CallOutcome {
  bool ok = false;           // a 2xx response was read
  int status = 0;            // last HTTP status, 0 for a transport failure
  std::string body;          // last response body
  std::string error;         // last transport error, or a short description of the last status
  int attempts = 0;
  double latency_ms = 0.0;   // of the last attempt: request sent (connect included) to body read
};

struct RunnerOptions {
  RetryPolicy retry;
  std::size_t threads = 1;   // threads running the I/O loop
  std::size_t max_response_bytes = 32u << 20;
  ProgressOutput progress;            // where the progress line goes (default: nowhere)
  std::string progress_label = "calls";
  std::size_t already_done = 0;      // shown in the progress line's done/total
};

// Runs every call; on_done(call index, outcome) is called once per call, never concurrently.
// An exception from on_done stops the run and is rethrown here.
void run_calls(const std::vector<EndpointSlots>& endpoints, const std::vector<Call>& calls,
               const RunnerOptions& options, const std::function<void(std::size_t, const CallOutcome&)>& on_done);

}  // namespace zooter::live
