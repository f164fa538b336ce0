// Shared fixtures for zooter's tests: scratch directories, copies of the example bundle, and
// whole-file reads and writes. Header-only; test code only.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>  // for getpid: scratch directories of parallel test processes differ

#include <atomic>
#include <cstddef>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "tests/support/test_paths.h"

namespace zooter::test {

// The hand-written example bundle, as an absolute path.
inline std::string tiny_bundle_dir() {
  return std::filesystem::path(zooter::test::test_data("/../examples/tiny")).lexically_normal().string();
}

// A fresh directory under the system temp directory, unique per test (test name, process id
// and a counter), removed with everything in it when the object goes out of scope.
class TempDir {
 public:
  TempDir() {
    static std::atomic<int> counter{0};
    std::string name = "zooter-test";
    if (const auto* info = ::testing::UnitTest::GetInstance()->current_test_info()) {
      name += std::string("-") + info->test_suite_name() + "-" + info->name();
    }
    for (char& c : name) {
      if (c == '/' || c == '\\' || c == ' ') c = '_';
    }
    name += "-" + std::to_string(::getpid()) + "-" + std::to_string(counter++);
    path_ = std::filesystem::temp_directory_path() / name;
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  [[nodiscard]] const std::filesystem::path& path() const { return path_; }
  // path() / relative, as a string.
  [[nodiscard]] std::string file(const std::string& relative) const {
    return (path_ / relative).string();
  }

 private:
  std::filesystem::path path_;
};

// The bytes of a file; throws when it cannot be read (a broken fixture, not a test result).
inline std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("test fixture: cannot read " + path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

inline void write_file(const std::string& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << bytes;
  if (!out.flush()) throw std::runtime_error("test fixture: cannot write " + path);
}

// Splits text at '\n'; a final newline does not start another line.
inline std::vector<std::string> split_lines(const std::string& text) {
  std::vector<std::string> lines;
  std::size_t start = 0;
  while (start < text.size()) {
    const std::size_t nl = text.find('\n', start);
    if (nl == std::string::npos) {
      lines.push_back(text.substr(start));
      break;
    }
    lines.push_back(text.substr(start, nl - start));
    start = nl + 1;
  }
  return lines;
}

// Joins lines, each followed by `line_end`.
inline std::string join_lines(const std::vector<std::string>& lines,
                              const std::string& line_end = "\n") {
  std::string out;
  for (const std::string& line : lines) out += line + line_end;
  return out;
}

// Copies examples/tiny into `dir`/`name` and returns that directory.
inline std::string copy_tiny_bundle(const TempDir& dir, const std::string& name = "bundle") {
  const std::filesystem::path target = dir.path() / name;
  std::filesystem::create_directories(target);
  for (const char* file : {"manifest.json", "queries.jsonl", "responses.jsonl"}) {
    std::filesystem::copy_file(std::filesystem::path(tiny_bundle_dir()) / file, target / file,
                               std::filesystem::copy_options::overwrite_existing);
  }
  return target.string();
}

// Replaces line `number` (1-based) of a file; the file keeps its other lines and LF ends.
inline void replace_line(const std::string& path, std::size_t number, const std::string& text) {
  std::vector<std::string> lines = split_lines(read_file(path));
  if (number == 0 || number > lines.size()) {
    throw std::runtime_error("test fixture: " + path + " has no line " + std::to_string(number));
  }
  lines[number - 1] = text;
  write_file(path, join_lines(lines));
}

// Replaces the first occurrence of `from` in a file; throws when there is none, so a fixture
// that no longer matches its source fails loudly instead of testing the unmodified file.
inline void replace_in_file(const std::string& path, const std::string& from,
                            const std::string& to) {
  std::string text = read_file(path);
  const std::size_t at = text.find(from);
  if (at == std::string::npos) {
    throw std::runtime_error("test fixture: \"" + from + "\" not found in " + path);
  }
  text.replace(at, from.size(), to);
  write_file(path, text);
}

}  // namespace zooter::test
