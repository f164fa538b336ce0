// Replacing a file so that a reader (or a crash) sees the old bytes or the new ones, never half
// of each: the tools that rewrite a bundle in place (zooter collect, zooter gold) use it.
#pragma once

#include <string>

namespace zooter {

// Writes `bytes` to `path`.partial and renames it onto `path`. Throws InputError naming the
// path when it cannot be written.
void write_file_atomically(const std::string& path, const std::string& bytes);

}  // namespace zooter
