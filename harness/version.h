// The tool's version and the git commit it was built from, for --version and provenance.
// Kept in one translation unit so a new commit rebuilds only that file.
#pragma once

namespace zooter {

[[nodiscard]] const char* tool_version();
[[nodiscard]] const char* git_commit();

}  // namespace zooter
