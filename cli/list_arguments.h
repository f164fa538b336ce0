// Comma-separated list options (--models a,b,c; --beta 0,0.3,1; --sweep-lambda 0,0.1).
#pragma once

#include <string>
#include <vector>

namespace zooter::cli {

// The items of "a,b,c"; empty text gives an empty list. An empty item ("a,,b", a trailing
// comma) is a UsageError naming `flag`, never silently skipped.
[[nodiscard]] std::vector<std::string> split_list(const std::string& text, const std::string& flag);

// As split_list, each item a number in full (from_chars); UsageError otherwise.
[[nodiscard]] std::vector<double> parse_number_list(const std::string& text, const std::string& flag);

}  // namespace zooter::cli
