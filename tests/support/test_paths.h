// Where the tests find their own data, the shared real data and the zooter binary.
#pragma once

#include <string>
#include <string_view>

namespace zooter::test {

// tests/ of this checkout, followed by `relative` (which starts with '/', or is empty).
[[nodiscard]] std::string test_data(std::string_view relative = "");
// ../shared/data beside this checkout, followed by `relative`.
[[nodiscard]] std::string shared_data(std::string_view relative = "");
// The zooter binary built with the tests.
[[nodiscard]] const char* zooter_binary();

}  // namespace zooter::test
