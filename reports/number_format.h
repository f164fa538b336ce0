// How numbers are written in reports. Shortest round-trip text for machine formats (CSV,
// JSON), fixed decimals for people (table, Markdown); NaN never appears as "nan".
#pragma once

#include <fmt/format.h>

#include <cmath>
#include <optional>
#include <string>

namespace zooter::reports {

// Shortest text that reads back to the same double; "" for NaN (the caller notes why).
[[nodiscard]] inline std::string exact(double v) {
  if (!std::isfinite(v)) return "";
  if (v == 0.0) return "0";  // no "-0"
  return fmt::format("{}", v);
}

[[nodiscard]] inline std::string fixed(double v, int decimals) {
  if (!std::isfinite(v)) return "n/a";
  std::string s = fmt::format("{:.{}f}", v, decimals);
  if (s.find_first_not_of("-0.") == std::string::npos && s[0] == '-') s.erase(0, 1);  // "-0.00"
  return s;
}

[[nodiscard]] inline std::string fixed(const std::optional<double>& v, int decimals) {
  return v ? fixed(*v, decimals) : "n/a";
}

// "ours", or "ours / paper" beside a published number (n/a when the paper has none) when the
// report carries reference numbers.
[[nodiscard]] inline std::string beside_paper(const std::string& ours, const std::optional<double>& paper, int places,
                                              bool with_reference) {
  return with_reference ? ours + " / " + fixed(paper, places) : ours;
}

// A frontier cost per query for people: dollars to 6 decimals, TFLOPs to 3.
[[nodiscard]] inline std::string cost_text(double cost, const std::string& unit) {
  return unit == "dollars" ? fixed(cost, 6) : fixed(cost, 3);
}

// Scientific with 2 decimals for FLOP counts ("2.34e+12").
[[nodiscard]] inline std::string scientific(double v) {
  if (!std::isfinite(v)) return "n/a";
  return fmt::format("{:.2e}", v);
}

}  // namespace zooter::reports
