// Text for report.html: HTML escaping (malformed UTF-8 becomes U+FFFD), JSON strings safe
// inside a <script> element ("</" and "<!" escaped, U+2028/2029 too), JSON numbers and SVG
// coordinates. Internal to reports/html_*.
#pragma once

#include <fmt/format.h>

#include <cmath>
#include <cstdint>
#include <string>
#include <string_view>

namespace zooter::reports::html_page {


constexpr std::string_view kReplacementCharacter = "\xEF\xBF\xBD";  // U+FFFD

// Length of the well-formed UTF-8 sequence starting at text[i] (1 to 4), or 0 when the bytes
// there are not one. Report texts come from bundles whose reader does not validate UTF-8;
// the page must stay valid UTF-8 whatever they hold.
inline std::size_t utf8_sequence_length(std::string_view text, std::size_t i) {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
  const unsigned char first = byte(i);
  if (first < 0x80) return 1;
  std::size_t length = 0;
  unsigned char second_lo = 0x80, second_hi = 0xBF;  // RFC 3629, table 3-7 of Unicode
  if (first >= 0xC2 && first <= 0xDF) {
    length = 2;
  } else if (first >= 0xE0 && first <= 0xEF) {
    length = 3;
    if (first == 0xE0) second_lo = 0xA0;  // no overlong forms
    if (first == 0xED) second_hi = 0x9F;  // no surrogates
  } else if (first >= 0xF0 && first <= 0xF4) {
    length = 4;
    if (first == 0xF0) second_lo = 0x90;
    if (first == 0xF4) second_hi = 0x8F;  // nothing past U+10FFFF
  } else {
    return 0;
  }
  if (i + length > text.size() || byte(i + 1) < second_lo || byte(i + 1) > second_hi) return 0;
  for (std::size_t k = 2; k < length; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) return 0;
  }
  return length;
}

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

// A JSON string literal that is safe inside <script>: "</" is written "<\/" and "<!" as
// "\u003c!", so no text can close the element or open an HTML comment in it, and U+2028 and
// U+2029 (line ends to old JavaScript parsers) are escaped. Malformed UTF-8 becomes U+FFFD.
inline std::string json_string(std::string_view text) {
  std::string out = "\"";
  out.reserve(text.size() + 2);
  for (std::size_t i = 0; i < text.size();) {
    const std::size_t length = utf8_sequence_length(text, i);
    if (length == 0) {
      out += kReplacementCharacter;
      ++i;
      continue;
    }
    if (length == 3 && text.substr(i, 2) == "\xE2\x80" && (text[i + 2] == '\xA8' || text[i + 2] == '\xA9')) {
      out += text[i + 2] == '\xA8' ? "\\u2028" : "\\u2029";
    } else if (length > 1) {
      out.append(text, i, length);
    } else {
      const char c = text[i];
      const char next = i + 1 < text.size() ? text[i + 1] : '\0';
      switch (c) {
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        case '\n': out += "\\n"; break;
        case '\r': out += "\\r"; break;
        case '\t': out += "\\t"; break;
        case '<': out += next == '!' ? "\\u003c" : "<"; break;
        case '/': out += i > 0 && text[i - 1] == '<' ? "\\/" : "/"; break;
        default:
          if (static_cast<unsigned char>(c) < 0x20) out += fmt::format("\\u{:04x}", static_cast<int>(c));
          else out += c;
      }
    }
    i += length;
  }
  return out + "\"";
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
