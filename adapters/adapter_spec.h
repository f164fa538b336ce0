// Parses adapter specs as given to --adapter: "name" or "name@arguments", where arguments are
// key=value pairs joined by commas ("zooter@beta=0.3,reward=qwen-rm") or one bare value
// ("single@wizardlm", stored under the empty key). A value may be a list: an item without '='
// after a key=value pair continues its value ("cascade@order=a,b,c,threshold=0.5" gives order
// "a,b,c").
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace zooter::adapters {

struct AdapterSpec {
  std::string name;
  std::vector<std::pair<std::string, std::string>> arguments;  // in the order given

  // Throws UsageError on an empty name, empty key or value, or a repeated key.
  [[nodiscard]] static AdapterSpec parse(const std::string& text);

  [[nodiscard]] std::optional<std::string> get(const std::string& key) const;
  // The bare value, or the value of `key` (so "single@m" and "single@model=m" both work).
  [[nodiscard]] std::optional<std::string> positional(const std::string& key) const;
  // Throws UsageError naming the first argument whose key is not in `known`.
  void allow_only(const std::vector<std::string>& known) const;
  // "name" or "name@k=v,..." (a bare value is written bare): one form for the same arguments,
  // whatever their order or the spelling of a number ("knn@k=03,reward=gold" and
  // "knn@reward=gold,k=3" give "knn@k=3,reward=gold"); adapters are named by it.
  [[nodiscard]] std::string canonical() const;
};

// Parses a number argument; throws UsageError naming the spec and key when malformed.
[[nodiscard]] double number_argument(const AdapterSpec& spec, const std::string& key, double fallback);
// Parses a whole-number argument in [min, max]; throws UsageError naming the spec, key and range.
[[nodiscard]] std::uint64_t integer_argument(const AdapterSpec& spec, const std::string& key,
                                             std::uint64_t fallback, std::uint64_t min,
                                             std::uint64_t max);
// Parses a 0/1 (or false/true) argument, false when absent; throws UsageError naming the spec
// and key otherwise.
[[nodiscard]] bool flag_argument(const AdapterSpec& spec, const std::string& key);

}  // namespace zooter::adapters
