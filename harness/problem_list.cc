#include "harness/problem_list.h"

#include <algorithm>

#include "harness/error.h"
#include "harness/json_checks.h"

namespace zooter {

std::string excerpt_of(std::string_view line) {
  constexpr std::size_t kExcerpt = 80;
  std::string out;
  static constexpr char kHex[] = "0123456789abcdef";
  for (std::size_t i = 0; i < line.size() && i < kExcerpt; ++i) {
    const auto c = static_cast<unsigned char>(line[i]);
    if (c >= 0x80) {
      // A whole UTF-8 character is copied (even past the cut); any other byte is shown as \xNN,
      // so that the message stays UTF-8.
      const std::size_t length = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
      const std::string_view sequence = line.substr(i, length);
      if (sequence.size() == length && invalid_utf8_at(sequence) == std::string_view::npos) {
        out += sequence;
        i += length - 1;
        continue;
      }
    }
    if (c < 0x20 || c >= 0x7f) {
      out += "\\x";
      out += kHex[c >> 4];
      out += kHex[c & 15];
    } else {
      out += static_cast<char>(c);
    }
  }
  if (line.size() > kExcerpt) out += "...";
  return out;
}

void ProblemList::add(std::size_t line, std::string message, std::string_view excerpt) {
  ++count_;
  if (shown_.size() >= limit_) return;
  std::string text = path_;
  if (line > 0) text += ":" + std::to_string(line);
  text += ": " + message;
  if (!excerpt.empty()) text += "\n  | " + excerpt_of(excerpt);
  shown_.push_back(std::move(text));
}

std::size_t ProblemList::line_of(const char* byte) const {
  if (parsed_ == nullptr || byte < parsed_ || byte >= parsed_ + source_.size()) return 0;
  const auto offset = static_cast<std::size_t>(byte - parsed_);
  return 1 + static_cast<std::size_t>(std::count(source_.begin(), source_.begin() + offset, '\n'));
}

void ProblemList::throw_if_any() const {
  if (count_ == 0) return;
  std::string all;
  for (const std::string& s : shown_) {
    if (!all.empty()) all += '\n';
    all += s;
  }
  if (count_ > shown_.size()) {
    all += "\n" + path_ + ": " + std::to_string(count_ - shown_.size()) +
           " more problem(s) not shown (" + std::to_string(count_) + " in all)";
  }
  throw InputError(all);
}

}  // namespace zooter
