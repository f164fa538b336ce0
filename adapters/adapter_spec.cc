#include "adapters/adapter_spec.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>

#include <fmt/format.h>

#include "harness/error.h"

namespace zooter::adapters {

AdapterSpec AdapterSpec::parse(const std::string& text) {
  AdapterSpec spec;
  const std::size_t at = text.find('@');
  spec.name = text.substr(0, at);
  if (spec.name.empty()) throw UsageError("adapter spec \"" + text + "\": empty adapter name");
  if (at == std::string::npos) return spec;
  const std::string rest = text.substr(at + 1);
  if (rest.empty()) throw UsageError("adapter spec \"" + text + "\": nothing after '@'");
  if (rest.find('=') == std::string::npos) {
    if (rest.find(',') != std::string::npos) {
      throw UsageError("adapter spec \"" + text + "\": several bare values; use key=value pairs");
    }
    spec.arguments.emplace_back("", rest);
    return spec;
  }
  std::size_t start = 0;
  while (start <= rest.size()) {
    const std::size_t comma = std::min(rest.find(',', start), rest.size());
    const std::string pair = rest.substr(start, comma - start);
    const std::size_t eq = pair.find('=');
    // A list value: "order=a,b,c" gives order "a,b,c" (an item without '=' continues the value
    // before it). Each adapter checks its values, so a stray item still fails loudly there.
    if (eq == std::string::npos && !pair.empty() && !spec.arguments.empty()) {
      spec.arguments.back().second += "," + pair;
      start = comma + 1;
      continue;
    }
    if (eq == std::string::npos || eq == 0 || eq + 1 == pair.size()) {
      throw UsageError("adapter spec \"" + text + "\": expected key=value, got \"" + pair + "\"");
    }
    const std::string key = pair.substr(0, eq);
    if (spec.get(key)) throw UsageError("adapter spec \"" + text + "\": \"" + key + "\" given twice");
    spec.arguments.emplace_back(key, pair.substr(eq + 1));
    start = comma + 1;
  }
  return spec;
}

std::optional<std::string> AdapterSpec::get(const std::string& key) const {
  for (const auto& [k, v] : arguments) {
    if (k == key) return v;
  }
  return std::nullopt;
}

std::optional<std::string> AdapterSpec::positional(const std::string& key) const {
  if (auto bare = get("")) return bare;
  return get(key);
}

void AdapterSpec::allow_only(const std::vector<std::string>& known) const {
  for (const auto& [k, v] : arguments) {
    if (std::find(known.begin(), known.end(), k) != known.end()) continue;
    std::string list;
    for (const std::string& name : known) {
      if (name.empty()) continue;
      list += (list.empty() ? "" : ", ") + name;
    }
    if (k.empty()) {
      throw UsageError("adapter \"" + name + "\" takes no bare value (\"" + v + "\"); arguments: " +
                       (list.empty() ? "none" : list));
    }
    throw UsageError("adapter \"" + name + "\": unknown argument \"" + k + "\" (known: " +
                     (list.empty() ? "none" : list) + ")");
  }
}

namespace {

// A number in its one written form: "03" and "3" give "3", "0.30" and ".3" give "0.3". Whole
// numbers stay exact (a seed beyond 2^53 is not rounded); anything else is returned as given.
std::string canonical_value(const std::string& text) {
  const char* begin = text.data();
  const char* end = begin + text.size();
  std::int64_t whole = 0;
  if (const auto [ptr, ec] = std::from_chars(begin, end, whole); ec == std::errc() && ptr == end) {
    return std::to_string(whole);
  }
  std::uint64_t large = 0;
  if (const auto [ptr, ec] = std::from_chars(begin, end, large); ec == std::errc() && ptr == end) {
    return std::to_string(large);
  }
  double number = 0.0;
  if (const auto [ptr, ec] = std::from_chars(begin, end, number); ec == std::errc() && ptr == end &&
                                                                  std::isfinite(number)) {
    return fmt::format("{}", number);
  }
  return text;
}

}  // namespace

std::string AdapterSpec::canonical() const {
  // The same arguments give the same form whatever their order and spelling: sorted by key
  // (the bare value, key "", first) and each keyed number written once (see canonical_value).
  // The pipeline names a run by it, so "knn@k=3", "knn@k=03" and "knn@reward=gold,k=3" with
  // "knn@k=3,reward=gold" are one adapter given twice. A bare value is a model or reward model
  // name and is kept as written: "007" is a name, not a number.
  std::vector<std::pair<std::string, std::string>> sorted = arguments;
  std::stable_sort(sorted.begin(), sorted.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  std::string out = name;
  for (std::size_t i = 0; i < sorted.size(); ++i) {
    out += i == 0 ? "@" : ",";
    if (sorted[i].first.empty()) {
      out += sorted[i].second;
    } else {
      out += sorted[i].first + "=" + canonical_value(sorted[i].second);
    }
  }
  return out;
}

double number_argument(const AdapterSpec& spec, const std::string& key, double fallback) {
  const auto text = spec.get(key);
  if (!text) return fallback;
  double value = 0.0;
  const char* end = text->data() + text->size();
  const auto [ptr, ec] = std::from_chars(text->data(), end, value);
  if (ec != std::errc() || ptr != end || !std::isfinite(value)) {
    throw UsageError("adapter \"" + spec.canonical() + "\": " + key + " must be a number, got \"" +
                     *text + "\"");
  }
  return value;
}

std::uint64_t integer_argument(const AdapterSpec& spec, const std::string& key,
                               std::uint64_t fallback, std::uint64_t min, std::uint64_t max) {
  const auto text = spec.get(key);
  if (!text) return fallback;
  std::uint64_t value = 0;
  const char* end = text->data() + text->size();
  const auto [ptr, ec] = std::from_chars(text->data(), end, value);
  if (ec != std::errc() || ptr != end || value < min || value > max) {
    throw UsageError("adapter \"" + spec.canonical() + "\": " + key + " must be an integer in " +
                     std::to_string(min) + ".." + std::to_string(max) + ", got \"" + *text + "\"");
  }
  return value;
}

bool flag_argument(const AdapterSpec& spec, const std::string& key) {
  const auto text = spec.get(key);
  if (!text || *text == "0" || *text == "false") return false;
  if (*text == "1" || *text == "true") return true;
  throw UsageError(
      fmt::format("adapter \"{}\": {} must be 0 or 1, got \"{}\"", spec.canonical(), key, *text));
}

}  // namespace zooter::adapters
