#include "harness/json_quote.h"

namespace zooter {

std::string json_quote(std::string_view text, JsonQuoting quoting) {
  static constexpr char kHex[] = "0123456789abcdef";
  const bool script = quoting == JsonQuoting::kScript;
  std::string out;
  out.reserve(text.size() + 2);
  out += '"';
  for (std::size_t i = 0; i < text.size();) {
    const std::size_t length = script ? utf8_sequence_length(text, i) : 1;
    if (length == 0) {
      out += kReplacementCharacter;
      ++i;
      continue;
    }
    if (length > 1) {
      if (length == 3 && text.substr(i, 2) == "\xE2\x80" && (text[i + 2] == '\xA8' || text[i + 2] == '\xA9')) {
        out += text[i + 2] == '\xA8' ? "\\u2028" : "\\u2029";
      } else {
        out.append(text, i, length);
      }
      i += length;
      continue;
    }
    const char ch = text[i];
    const auto c = static_cast<unsigned char>(ch);
    switch (ch) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      case '<': out += script && i + 1 < text.size() && text[i + 1] == '!' ? "\\u003c" : "<"; break;
      case '/': out += script && i > 0 && text[i - 1] == '<' ? "\\/" : "/"; break;
      default:
        if (c < 0x20) {
          out += "\\u00";
          out += kHex[c >> 4];
          out += kHex[c & 0xf];
        } else {
          out += ch;
        }
    }
    ++i;
  }
  out += '"';
  return out;
}

}  // namespace zooter
