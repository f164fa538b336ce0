#include "cli/list_arguments.h"

#include <charconv>

#include "harness/error.h"

namespace zooter::cli {

std::vector<std::string> split_list(const std::string& text, const std::string& flag) {
  std::vector<std::string> out;
  if (text.empty()) return out;
  std::size_t begin = 0;
  while (true) {
    const std::size_t comma = text.find(',', begin);
    const std::size_t end = comma == std::string::npos ? text.size() : comma;
    if (end == begin) throw UsageError(flag + ": empty item in \"" + text + "\"");
    out.push_back(text.substr(begin, end - begin));
    if (comma == std::string::npos) return out;
    begin = comma + 1;
  }
}

std::vector<double> parse_number_list(const std::string& text, const std::string& flag) {
  std::vector<double> out;
  for (const std::string& item : split_list(text, flag)) {
    double value = 0.0;
    const char* end = item.data() + item.size();
    const auto [ptr, ec] = std::from_chars(item.data(), end, value);
    if (ec != std::errc() || ptr != end) {
      throw UsageError(flag + ": \"" + item + "\" is not a number");
    }
    out.push_back(value);
  }
  return out;
}

}  // namespace zooter::cli
