// Text placed in a Markdown table cell.
#pragma once

#include <string>

namespace zooter::reports {

// Markdown table cells must not contain '|': it is escaped as "\|".
[[nodiscard]] inline std::string markdown_cell(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '|') out += '\\';
    out += c;
  }
  return out;
}

}  // namespace zooter::reports
