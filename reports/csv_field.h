// One CSV field as RFC 4180 writes it, shared by every CSV file zooter writes (report.csv, and
// the long decisions.csv of `zooter run --decisions DIR`).
#pragma once

#include <string>

namespace zooter::reports {

// The field as it is when it holds no comma, quote or line break; else quoted, inner quotes
// doubled.
[[nodiscard]] inline std::string csv_field(const std::string& s) {
  if (s.find_first_of(",\"\r\n") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

}  // namespace zooter::reports
