#include "harness/version.h"

#include "git_commit.h"  // generated at build time (scripts/git_commit.cmake)

namespace zooter {

const char* tool_version() { return ZOOTER_VERSION; }
const char* git_commit() { return ZOOTER_GIT_COMMIT; }

}  // namespace zooter
