// When a failed call is tried again, and after how long.
//
// Pure functions, so every number is unit-tested. Retried: 429, 500..599 and transport failures
// (connect, read, timeout, a dropped connection): the server was busy or the network lost the
// call, and the same request can succeed later. Never retried: every other 4xx (the request is
// wrong and will stay wrong; retrying a 400 only burns quota).
//
// Delay before retry `attempt` (1 = the first retry): "full jitter" (as AWS's architecture blog
// and most SDKs do it), uniform in [0, min(max_backoff, base x 2^(attempt-1))), drawn from the
// counter-based generator keyed by (seed, call id, attempt) so a rerun waits exactly as long and
// no random engine is shared between calls. A server's Retry-After (capped at max_retry_after)
// is a floor: we never come back sooner than asked.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string_view>

namespace zooter::live {

struct RetryPolicy {
  double base_seconds = 0.5;
  double max_backoff_seconds = 30.0;
  double max_retry_after_seconds = 120.0;
  std::uint64_t seed = 0x5eed;
};

// Whether an HTTP status (or 0 for a transport failure) is worth another attempt.
[[nodiscard]] bool is_retryable_status(int status);

// The jittered exponential backoff before retry `attempt` (>= 1) of call `call_id`, in seconds.
[[nodiscard]] double backoff_seconds(const RetryPolicy& policy, std::uint64_t call_id, int attempt);

// A Retry-After header value in seconds from `now`: delta-seconds ("120") or an HTTP-date
// (IMF-fixdate "Sun, 06 Nov 1994 08:49:37 GMT", and the obsolete RFC 850 and asctime forms RFC
// 9110 says a recipient must accept). A date in the past gives 0. Unparseable: nullopt (the
// header is then ignored, as browsers and urllib3 do).
[[nodiscard]] std::optional<double> parse_retry_after(std::string_view value,
                                                      std::chrono::system_clock::time_point now);

// The wait before retry `attempt`: the backoff, raised to the capped Retry-After when given.
[[nodiscard]] double retry_delay_seconds(const RetryPolicy& policy, std::uint64_t call_id, int attempt,
                                         std::optional<double> retry_after_seconds);

// A stable call id from its key parts (e.g. query id and candidate), so jitter does not depend on
// the order calls were scheduled in.
[[nodiscard]] std::uint64_t call_id_of(std::string_view a, std::string_view b, std::string_view c = {});

}  // namespace zooter::live
