// The checkout's absolute paths are compiled into this file alone, so every other test file
// compiles to the same object in any checkout (and a compiler cache can share it).
#include "tests/support/test_paths.h"

namespace zooter::test {

std::string test_data(std::string_view relative) {
  return std::string(ZOOTER_TEST_DATA).append(relative);
}

std::string shared_data(std::string_view relative) {
  return std::string(ZOOTER_SHARED_DATA).append(relative);
}

const char* zooter_binary() { return ZOOTER_BINARY; }

}  // namespace zooter::test
