#include "harness/version.h"

namespace zooter {

const char* tool_version() { return ZOOTER_VERSION; }
const char* git_commit() { return ZOOTER_GIT_COMMIT; }

}  // namespace zooter
