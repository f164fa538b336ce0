#include "live/retry_policy.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <ctime>
#include <string>

#include "harness/content_hash.h"
#include "harness/random.h"

namespace zooter::live {

bool is_retryable_status(int status) { return status == 0 || status == 429 || (status >= 500 && status <= 599); }

double backoff_seconds(const RetryPolicy& policy, std::uint64_t call_id, int attempt) {
  const int doublings = std::clamp(attempt - 1, 0, 60);
  const double ceiling = std::min(policy.max_backoff_seconds, policy.base_seconds * std::ldexp(1.0, doublings));
  return ceiling * random::uniform01(policy.seed, call_id, static_cast<std::uint64_t>(attempt));
}

std::optional<double> parse_retry_after(std::string_view value, std::chrono::system_clock::time_point now) {
  while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
  while (!value.empty() && (value.back() == ' ' || value.back() == '\t')) value.remove_suffix(1);
  if (value.empty()) return std::nullopt;
  if (std::all_of(value.begin(), value.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    if (value.size() > 9) return 1e9;  // absurd, but a number: the cap deals with it
    return std::stod(std::string(value));
  }
  const std::string text(value);
  for (const char* format : {"%a, %d %b %Y %H:%M:%S GMT", "%A, %d-%b-%y %H:%M:%S GMT", "%a %b %d %H:%M:%S %Y"}) {
    std::tm tm{};
    const char* end = ::strptime(text.c_str(), format, &tm);
    if (end == nullptr || *end != '\0') continue;
    const std::time_t when = ::timegm(&tm);
    const double seconds =
        std::chrono::duration<double>(std::chrono::system_clock::from_time_t(when) - now).count();
    return std::max(0.0, seconds);
  }
  return std::nullopt;
}

double retry_delay_seconds(const RetryPolicy& policy, std::uint64_t call_id, int attempt,
                           std::optional<double> retry_after_seconds) {
  double delay = backoff_seconds(policy, call_id, attempt);
  if (retry_after_seconds) delay = std::max(delay, std::min(*retry_after_seconds, policy.max_retry_after_seconds));
  return delay;
}

std::uint64_t call_id_of(std::string_view a, std::string_view b, std::string_view c) {
  ContentHash hash;
  hash.update(a);
  hash.update(b);
  hash.update(c);
  return std::stoull(hash.hex().substr(0, 16), nullptr, 16);
}

}  // namespace zooter::live
