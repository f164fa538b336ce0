#include "suites/python_literal.h"

#include <cstdint>

namespace zooter::suites {
namespace {

void append_utf8(std::string& out, std::uint32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

class ListParser {
 public:
  explicit ListParser(std::string_view text) : s_(text) {}

  std::optional<std::vector<std::string>> parse() {
    std::vector<std::string> items;
    skip_space();
    if (!take('[')) return std::nullopt;
    skip_space();
    while (!take(']')) {
      std::string item;
      if (!string_literals(item)) return std::nullopt;
      items.push_back(std::move(item));
      skip_space();
      if (take(',')) {
        skip_space();
      } else if (peek() != ']') {
        return std::nullopt;
      }
    }
    skip_space();
    if (i_ != s_.size()) return std::nullopt;
    return items;
  }

 private:
  [[nodiscard]] char peek(std::size_t ahead = 0) const {
    return i_ + ahead < s_.size() ? s_[i_ + ahead] : '\0';
  }
  bool take(char c) {
    if (peek() != c) return false;
    ++i_;
    return true;
  }
  // Inside brackets Python joins lines, so line breaks count as space.
  void skip_space() {
    while (peek() == ' ' || peek() == '\t' || peek() == '\n' || peek() == '\r') ++i_;
  }
  [[nodiscard]] static bool is_quote(char c) { return c == '\'' || c == '"'; }
  [[nodiscard]] static bool is_prefix(char c) {
    return c == 'u' || c == 'U' || c == 'r' || c == 'R';
  }
  [[nodiscard]] bool at_literal() const {
    return is_quote(peek()) || (is_prefix(peek()) && is_quote(peek(1)));
  }

  // One literal, then any literals that follow it separated only by space ('a' 'b' is "ab").
  bool string_literals(std::string& out) {
    if (!at_literal() || !literal(out)) return false;
    for (;;) {
      const std::size_t before = i_;
      skip_space();
      if (!at_literal()) {
        i_ = before;
        return true;
      }
      if (!literal(out)) return false;
    }
  }

  bool literal(std::string& out) {
    bool raw = false;
    if (is_prefix(peek())) raw = (s_[i_++] | 0x20) == 'r';
    const char quote = s_[i_++];
    if (peek() == quote && peek(1) == quote) return false;  // a triple-quoted string
    for (;;) {
      if (i_ >= s_.size()) return false;
      const char c = s_[i_++];
      if (c == quote) return true;
      if (c == '\n') return false;  // a line break cannot end a one-line literal's line
      if (c != '\\') {
        out += c;
        continue;
      }
      if (i_ >= s_.size()) return false;
      const char e = s_[i_++];
      if (raw) {  // a raw literal keeps the backslash; it still cannot end the literal
        out += '\\';
        out += e;
        continue;
      }
      if (!escape(e, out)) return false;
    }
  }

  bool escape(char e, std::string& out) {
    switch (e) {
      case '\n':
        return true;  // line continuation
      case '\\':
        out += '\\';
        return true;
      case '\'':
        out += '\'';
        return true;
      case '"':
        out += '"';
        return true;
      case 'a':
        out += '\a';
        return true;
      case 'b':
        out += '\b';
        return true;
      case 'f':
        out += '\f';
        return true;
      case 'n':
        out += '\n';
        return true;
      case 'r':
        out += '\r';
        return true;
      case 't':
        out += '\t';
        return true;
      case 'v':
        out += '\v';
        return true;
      case 'x':
        return code_point(2, out);
      case 'u':
        return code_point(4, out);
      case 'U':
        return code_point(8, out);
      case 'N':
        return false;  // \N{name} needs the Unicode name table
      default:
        break;
    }
    if (e >= '0' && e <= '7') {
      std::uint32_t value = static_cast<std::uint32_t>(e - '0');
      for (int k = 0; k < 2 && peek() >= '0' && peek() <= '7'; ++k) {
        value = value * 8 + (s_[i_++] - '0');
      }
      append_utf8(out, value);
      return true;
    }
    out += '\\';  // Python keeps an unknown escape as written
    out += e;
    return true;
  }

  bool read_hex(int digits, std::uint32_t& value) {
    value = 0;
    for (int k = 0; k < digits; ++k) {
      const int d = hex_digit(peek());
      if (d < 0) return false;
      value = value * 16 + static_cast<std::uint32_t>(d);
      ++i_;
    }
    return true;
  }

  bool code_point(int digits, std::string& out) {
    std::uint32_t cp = 0;
    if (!read_hex(digits, cp) || cp > 0x10FFFF) return false;
    if (cp >= 0xD800 && cp <= 0xDBFF && peek() == '\\' && peek(1) == 'u') {
      const std::size_t before = i_;
      i_ += 2;
      std::uint32_t low = 0;
      if (read_hex(4, low) && low >= 0xDC00 && low <= 0xDFFF) {
        append_utf8(out, 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00));
        return true;
      }
      i_ = before;
    }
    append_utf8(out, cp >= 0xD800 && cp <= 0xDFFF ? 0xFFFD : cp);
    return true;
  }

  std::string_view s_;
  std::size_t i_ = 0;
};

}  // namespace

std::optional<std::vector<std::string>> parse_python_string_list(std::string_view text) {
  return ListParser(text).parse();
}

}  // namespace zooter::suites
