// The one JSON string escaper (RFC 8259), for every layer that writes JSON by hand: the live
// proxy's bodies and error replies, and the drill-down data of report.html. Also the UTF-8
// check the report page applies to every text.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace zooter {

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

enum class JsonQuoting {
  // Quote, backslash and control bytes escaped; every other byte as it is (not validated).
  kBytes,
  // Also safe inside an HTML <script> element: "</" is written "<\/" and "<!" as "\u003c!", so
  // no text can close the element or open an HTML comment in it, and U+2028 and U+2029 (line
  // ends to old JavaScript parsers) are escaped. Malformed UTF-8 becomes U+FFFD.
  kScript,
};

// `text` as a JSON string literal, quotes included. Control bytes other than \n, \r and \t are
// written \u00XX (lower-case hex).
[[nodiscard]] std::string json_quote(std::string_view text, JsonQuoting quoting = JsonQuoting::kBytes);

}  // namespace zooter
