#include "harness/plain_response_scanner.h"

#include <bit>
#include <charconv>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <limits>

#include "harness/bundle.h"
#include "harness/json_checks.h"

namespace zooter {
namespace {

// Each step takes the position and the end of the line and returns the position after what it
// read, or nullptr when the line is not in the plain subset. Every read is bounds-checked: a
// declined line may end anywhere.

// Longer numbers are left to RapidJSON, which refuses integer parts past about 308 digits.
constexpr std::ptrdiff_t kMaxNumberChars = 64;

bool is_digit(char c) { return c >= '0' && c <= '9'; }

const char* skip_blanks(const char* p, const char* end) {
  while (p != end && (*p == ' ' || *p == '\t')) ++p;
  return p;
}

const char* expect(const char* p, const char* end, char c) {
  return p != end && *p == c ? p + 1 : nullptr;
}

// The first byte in [p, end) that ends a plain string: '"', '\\' or a control byte (< 0x20);
// end when there is none. Eight bytes at a time where a load fits: in each test below the
// lowest flagged byte is a true hit (a false one only follows a true one), so the lowest
// flag of all is exact.
const char* string_stop(const char* p, const char* end) {
  if constexpr (std::endian::native == std::endian::little) {
    constexpr std::uint64_t kOnes = 0x0101010101010101ULL;
    constexpr std::uint64_t kHighs = 0x8080808080808080ULL;
    for (; end - p >= 8; p += 8) {
      std::uint64_t w;
      std::memcpy(&w, p, 8);
      const std::uint64_t quote = w ^ (kOnes * '"');
      const std::uint64_t backslash = w ^ (kOnes * '\\');
      const std::uint64_t hits = ((quote - kOnes) & ~quote) | ((backslash - kOnes) & ~backslash) |
                                 ((w - kOnes * 0x20) & ~w);
      if ((hits & kHighs) != 0) return p + std::countr_zero(hits & kHighs) / 8;
    }
  }
  for (; p != end; ++p) {
    const auto c = static_cast<unsigned char>(*p);
    if (c == '"' || c == '\\' || c < 0x20) return p;
  }
  return end;
}

// A string without escapes or control bytes, in well-formed UTF-8 (RapidJSON copies every other
// byte as it is).
const char* string(const char* p, const char* end, std::string_view& out) {
  if (p == end || *p != '"') return nullptr;
  ++p;
  const char* stop = string_stop(p, end);
  if (stop == end || *stop != '"') return nullptr;
  out = std::string_view(p, static_cast<std::size_t>(stop - p));
  if (invalid_utf8_at(out) != std::string_view::npos) return nullptr;  // RapidJSON names the byte
  return stop + 1;
}

// The first byte in [p, end) that is not an ASCII digit. Eight bytes at a time where a load
// fits: a byte is a digit when its high nibble is 3 and stays 3 after adding 6. Only bytes
// above the first non-digit can take a carry, so the lowest flagged byte is exact.
const char* digits_end(const char* p, const char* end) {
  if constexpr (std::endian::native == std::endian::little) {
    constexpr std::uint64_t kHighNibbles = 0xF0F0F0F0F0F0F0F0ULL;
    constexpr std::uint64_t kThrees = 0x3030303030303030ULL;
    constexpr std::uint64_t kSixes = 0x0606060606060606ULL;
    for (; end - p >= 8; p += 8) {
      std::uint64_t w;
      std::memcpy(&w, p, 8);
      const std::uint64_t not_digit =
          ((w & kHighNibbles) ^ kThrees) | (((w + kSixes) & kHighNibbles) ^ kThrees);
      if (not_digit != 0) return p + std::countr_zero(not_digit) / 8;
    }
  }
  while (p != end && is_digit(*p)) ++p;
  return p;
}

// After at least one digit, the position past the run of digits; nullptr when there is none.
const char* one_or_more_digits(const char* p, const char* end) {
  const char* after = digits_end(p, end);
  return after == p ? nullptr : after;
}

// The text of a number in JSON's grammar with no exponent or a negative one.
const char* number(const char* p, const char* end, std::string_view& out) {
  const char* start = p;
  if (p != end && *p == '-') ++p;
  if (p != end && *p == '0') {
    ++p;
  } else if ((p = one_or_more_digits(p, end)) == nullptr) {
    return nullptr;
  }
  if (p != end && *p == '.' && (p = one_or_more_digits(p + 1, end)) == nullptr) return nullptr;
  if (p != end && (*p == 'e' || *p == 'E')) {
    ++p;
    if (p == end || *p != '-' || (p = one_or_more_digits(p + 1, end)) == nullptr) return nullptr;
  }
  if (p - start > kMaxNumberChars) return nullptr;
  out = std::string_view(start, static_cast<std::size_t>(p - start));
  return p;
}

const char* finite_double(const char* p, const char* end, double& out) {
  std::string_view text;
  p = number(p, end, text);
  if (p == nullptr) return nullptr;
  const auto [ptr, ec] = std::from_chars(text.data(), p, out);
  return ec == std::errc() && ptr == p && std::isfinite(out) ? p : nullptr;
}

const char* count(const char* p, const char* end, std::uint64_t& out) {
  std::string_view text;
  p = number(p, end, text);
  if (p == nullptr) return nullptr;
  const auto [ptr, ec] = std::from_chars(text.data(), p, out);
  return ec == std::errc() && ptr == p && out <= std::numeric_limits<std::uint32_t>::max() ? p
                                                                                          : nullptr;
}

// A key that is exactly the name of a field (p after its opening quote): one fixed-size
// compare picked by the first byte, instead of reading the string and looking it up.
// Anything else, "meta" and unknown keys included, is kNone: declined.
const char* field_key(const char* p, const char* end, ResponseField& field) {
  auto is = [&]<std::size_t N>(const char (&name_and_quote)[N]) {
    return static_cast<std::size_t>(end - p) >= N - 1 &&
           std::memcmp(p, name_and_quote, N - 1) == 0;
  };
  if (p == end) return nullptr;
  field = ResponseField::kNone;
  switch (*p) {
    case 'q': if (is("query\"")) return field = ResponseField::kQuery, p + 6; break;
    case 'm': if (is("model\"")) return field = ResponseField::kModel, p + 6; break;
    case 'g': if (is("gold\"")) return field = ResponseField::kGold, p + 5; break;
    case 'c': if (is("cost\"")) return field = ResponseField::kCost, p + 5; break;
    case 't': if (is("text\"")) return field = ResponseField::kText, p + 5; break;
    case 'r': if (is("rewards\"")) return field = ResponseField::kRewards, p + 8; break;
    case 'o':
      if (is("output_tokens\"")) return field = ResponseField::kOutputTokens, p + 14;
      break;
  }
  return nullptr;
}

// `: ` after a key, blanks allowed on both sides of the colon.
const char* colon(const char* p, const char* end) {
  p = expect(skip_blanks(p, end), end, ':');
  return p == nullptr ? nullptr : skip_blanks(p, end);
}

const char* rewards(const char* p, const char* end, const Manifest& manifest, ResponseLine& line) {
  p = expect(p, end, '{');
  if (p == nullptr) return nullptr;
  p = skip_blanks(p, end);
  if (p != end && *p == '}') return p + 1;
  std::size_t next = 0;  // keys usually follow the manifest's order
  for (;;) {
    std::string_view name;
    p = string(skip_blanks(p, end), end, name);
    if (p == nullptr) return nullptr;
    const int k = find_reward_key(manifest, name, next);
    if (k < 0) return nullptr;  // an unknown reward model is a problem
    const auto r = static_cast<std::size_t>(k);
    if (line.reward_seen[r]) return nullptr;  // a repeated reward model is a problem
    p = colon(p, end);
    if (p == nullptr) return nullptr;
    p = finite_double(p, end, line.rewards[r]);
    if (p == nullptr) return nullptr;
    line.reward_seen[r] = 1;
    next = r + 1;
    p = skip_blanks(p, end);
    if (p == end) return nullptr;
    if (*p == '}') return p + 1;
    if (*p != ',') return nullptr;
    ++p;
  }
}

const char* value(const char* p, const char* end, ResponseField field, const Manifest& manifest,
                  ResponseLine& line) {
  switch (field) {
    case ResponseField::kQuery: return string(p, end, line.query);
    case ResponseField::kModel: return string(p, end, line.model);
    case ResponseField::kText: return string(p, end, line.text);
    case ResponseField::kGold: return finite_double(p, end, line.gold);
    case ResponseField::kCost: return finite_double(p, end, line.cost);
    case ResponseField::kOutputTokens: return count(p, end, line.output_tokens);
    case ResponseField::kRewards: return rewards(p, end, manifest, line);
    case ResponseField::kNone: case ResponseField::kMeta: break;
  }
  return nullptr;
}

}  // namespace

bool scan_plain_response_line(std::string_view text, const Manifest& manifest,
                              ResponseLine& line) {
  const char* end = text.data() + text.size();
  const char* p = expect(skip_blanks(text.data(), end), end, '{');
  if (p == nullptr) return false;
  p = skip_blanks(p, end);
  if (p != end && *p == '}') {
    ++p;
  } else {
    for (;;) {
      ResponseField field = ResponseField::kNone;
      p = expect(skip_blanks(p, end), end, '"');
      if (p != nullptr) p = field_key(p, end, field);
      if (p == nullptr || line.has(field)) return false;  // a repeated field is a problem
      line.mark(field);
      p = colon(p, end);
      if (p != nullptr) p = value(p, end, field, manifest, line);
      if (p == nullptr) return false;
      p = skip_blanks(p, end);
      if (p == end) return false;
      if (*p == '}') {
        ++p;
        break;
      }
      if (*p != ',') return false;
      ++p;
    }
  }
  return skip_blanks(p, end) == end;
}

}  // namespace zooter
