// The one way user files are opened for reading. Every reader (bundles, reports, routers,
// configs, endpoints, queries, imported sources) comes through here, so each refuses the same
// things with the same words: a path that does not exist, a directory, and anything that is not
// a regular file. A FIFO or a device is refused before it is opened: opening a FIFO waits for a
// writer, and /dev/zero never ends.
#pragma once

#include <cstdio>
#include <optional>
#include <string>

namespace zooter {

// Why `path` cannot be read as a file ("does not exist", "is a directory, not a file",
// "is not a regular file (a FIFO, device or socket)", "cannot open: Permission denied"), or
// nothing when it is a regular file (symbolic links followed).
[[nodiscard]] std::optional<std::string> input_file_problem(const std::string& path);

// The same for a directory: "does not exist", "is not a directory", or nothing.
[[nodiscard]] std::optional<std::string> input_directory_problem(const std::string& path);
void require_input_directory(const std::string& path, const std::string& hint = "");

// Throws InputError("path: " + the problem [+ " " + hint]) when there is one.
void require_input_file(const std::string& path, const std::string& hint = "");

// require_input_file, then fopen(path, "rb"); the caller fcloses. Throws InputError.
[[nodiscard]] std::FILE* open_input_file(const std::string& path, const std::string& hint = "");

// The whole file. Throws InputError (as open_input_file, or "path: read error: ...").
[[nodiscard]] std::string read_input_file(const std::string& path, const std::string& hint = "");

}  // namespace zooter
