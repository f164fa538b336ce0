// Text for report.html: HTML escaping (malformed UTF-8 becomes U+FFFD), JSON numbers and SVG
// coordinates. Internal to reports/html_*. JSON strings safe inside a <script> element are
// json_quote(text, JsonQuoting::kScript) (harness/json_quote.h).
#pragma once

#include <fmt/format.h>

#include <cmath>
#include <cstdint>
#include <string>
#include <string_view>

#include "harness/json_quote.h"

namespace zooter::reports::html_page {

// kReplacementCharacter, utf8_sequence_length and the JSON strings of the drill-down data
// (json_quote with JsonQuoting::kScript): harness/json_quote.h.

// Text and attribute values. Control characters other than tab and line ends (parse errors
// in HTML) and malformed UTF-8 become U+FFFD.
inline std::string html(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    const std::size_t length = utf8_sequence_length(text, i);
    if (length != 1) {
      if (length == 0) out += kReplacementCharacter; else out.append(text, i, length);
      i += std::max<std::size_t>(length, 1);
      continue;
    }
    const char c = text[i++];
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      case '\t': case '\n': case '\r': out += c; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) out += kReplacementCharacter; else out += c;
    }
  }
  return out;
}

// A drill-down number: three decimals (what the page shows), trailing zeros dropped to keep
// a 50,000-query page small; null when not finite.
inline std::string json_number(double v) {
  if (!std::isfinite(v)) return "null";
  std::string s = fmt::format("{:.3f}", v);
  s.erase(s.find_last_not_of('0') + 1);
  if (s.back() == '.') s.pop_back();
  return s == "-0" ? "0" : s;
}

// An SVG coordinate: a tenth of a pixel is finer than any screen shows.
inline std::string coordinate(double v) { return fmt::format("{:.1f}", v); }

inline std::string or_na(const std::string& s) { return s.empty() ? "n/a" : s; }

}  // namespace zooter::reports::html_page
