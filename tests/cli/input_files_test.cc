// Every reader of a user file, given what is not a readable file: a path that does not exist, a
// directory, a FIFO (opening one waits for a writer: it must be refused, not waited on) and a
// device that never ends (/dev/zero). Each says which of these it was, as "path: reason". All
// readers open files through harness/input_file.h; this table keeps a new reader from
// forgetting to.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <fcntl.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <functional>
#include <future>
#include <string>
#include <vector>

#include "adapters/router/router_file.h"
#include "cli/config_file.h"
#include "harness/bundle.h"
#include "harness/error.h"
#include "harness/input_file.h"
#include "harness/line_reader.h"
#include "harness/manifest_loader.h"
#include "harness/problem_list.h"
#include "live/endpoints_file.h"
#include "live/query_file.h"
#include "reports/report_comparison.h"
#include "harness/csv_reader.h"
#include "suites/json_array.h"
#include "tests/helpers.h"
#include "tests/support/cli_run.h"

namespace zooter {
namespace {


struct Reader {
  const char* name;
  std::function<void(const std::string&)> read;  // reads the file at the path
  const char* hint;                              // appended to the reason, "" for none
};

std::vector<Reader> readers() {
  namespace po = boost::program_options;
  return {
      {"LineReader", [](const std::string& p) { LineReader r(p, 100); LineReader::Line l; (void)r.next(l); }, ""},
      {"read_input_file", [](const std::string& p) { (void)read_input_file(p); }, ""},
      {"load_manifest", [](const std::string& p) { (void)load_manifest(p); }, " (is this a bundle directory?)"},
      {"load_router", [](const std::string& p) { (void)adapters::router::load_router(p); }, " (expected a router file)"},
      {"compare_reports", [](const std::string& p) { (void)reports::compare_reports(p, p, {}); },
       " (expected a report.json)"},
      {"JsonArrayFile", [](const std::string& p) { const suites::JsonArrayFile f(p); }, ""},
      {"CsvReader",
       [](const std::string& p) {
         ProblemList problems(p);
         CsvReader r(p, problems);
       },
       ""},
      {"load_endpoints_file",
       [](const std::string& p) { (void)live::load_endpoints_file(p, [](const char*) -> const char* { return nullptr; }); },
       " (expected the endpoints file)"},
      {"read_query_file", [](const std::string& p) { (void)live::read_query_file(p); }, " (expected the queries file)"},
      {"read_config_file",
       [](const std::string& p) {
         po::options_description description;
         (void)cli::read_config_file(p, description);
       },
       " (expected a config file)"},
  };
}

// What a reader threw for `path`: its what(), or a failure when it threw nothing or hung.
std::string error_of(const Reader& reader, const std::string& path, const std::string& fifo = "") {
  auto result = std::async(std::launch::async, [&]() -> std::string {
    try {
      reader.read(path);
    } catch (const InputError& e) {
      return e.what();
    } catch (const std::exception& e) {
      return std::string("not an InputError: ") + e.what();
    }
    return "no error";
  });
  if (result.wait_for(std::chrono::seconds(10)) == std::future_status::timeout) {
    ADD_FAILURE() << reader.name << " hangs on " << path;
    // A reader waiting on the FIFO is let go by a writer that opens and closes it.
    if (!fifo.empty()) ::close(::open(fifo.c_str(), O_WRONLY | O_NONBLOCK));
  }
  return result.get();
}

TEST(InputFiles, EveryReaderRefusesWhatIsNotARegularFile) {
  const test::TempDir dir;
  const std::string missing = dir.file("missing.json");
  const std::string directory = dir.file("a-directory");
  const std::string fifo = dir.file("a-fifo");
  std::filesystem::create_directory(directory);
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  const std::string not_regular = "is not a regular file (a FIFO, device or socket)";
  for (const Reader& reader : readers()) {
    SCOPED_TRACE(reader.name);
    EXPECT_EQ(error_of(reader, missing), missing + ": does not exist" + reader.hint);
    EXPECT_EQ(error_of(reader, directory), directory + ": is a directory, not a file" + reader.hint);
    EXPECT_EQ(error_of(reader, fifo, fifo), fifo + ": " + not_regular + reader.hint);
    EXPECT_EQ(error_of(reader, "/dev/zero"), "/dev/zero: " + not_regular + reader.hint);
  }
}

// A file under a missing directory, or under a path that is a file, does not exist either.
TEST(InputFiles, PathThroughAFileOrMissingDirectoryDoesNotExist) {
  const test::TempDir dir;
  test::write_file(dir.file("file"), "x\n");
  for (const std::string& path : {dir.file("file/below"), dir.file("nowhere/below")}) {
    EXPECT_EQ(input_file_problem(path), "does not exist") << path;
    EXPECT_EQ(input_directory_problem(path), "does not exist") << path;
  }
  EXPECT_EQ(input_directory_problem(dir.file("file")), "is not a directory");
  EXPECT_EQ(input_file_problem(dir.file("file")), std::nullopt);
  EXPECT_EQ(input_directory_problem(dir.file(".")), std::nullopt);
}

// A symbolic link is followed: to a file it reads, to a FIFO it is refused.
TEST(InputFiles, SymbolicLinksAreFollowed) {
  const test::TempDir dir;
  test::write_file(dir.file("file"), "x\n");
  ASSERT_EQ(::mkfifo(dir.file("fifo").c_str(), 0600), 0);
  std::filesystem::create_symlink(dir.file("file"), dir.file("to-file"));
  std::filesystem::create_symlink(dir.file("fifo"), dir.file("to-fifo"));
  EXPECT_EQ(read_input_file(dir.file("to-file")), "x\n");
  EXPECT_EQ(input_file_problem(dir.file("to-fifo")), "is not a regular file (a FIFO, device or socket)");
}

// The bundle's own files, each replaced by each kind: `zooter validate` (and so every command
// that loads a bundle) says which file and why, with exit code 1, and does not hang.
TEST(InputFiles, ValidateRefusesABundleFileThatIsNotARegularFile) {
  for (const char* file : {"manifest.json", "queries.jsonl", "responses.jsonl"}) {
    for (const char* kind : {"directory", "fifo", "dev-zero"}) {
      SCOPED_TRACE(std::string(file) + " as " + kind);
      const test::TempDir tmp;
      const std::string dir = test::copy_tiny_bundle(tmp);
      const std::string path = dir + "/" + file;
      std::filesystem::remove(path);
      std::string reason = "is not a regular file (a FIFO, device or socket)";
      if (std::string(kind) == "directory") {
        std::filesystem::create_directory(path);
        reason = "is a directory, not a file";
      } else if (std::string(kind) == "fifo") {
        ASSERT_EQ(::mkfifo(path.c_str(), 0600), 0);
      } else {
        std::filesystem::create_symlink("/dev/zero", path);
      }
      const Reader validate{"validate", [](const std::string& d) {
                              const test::CliRun r = test::zooter({"validate", d});
                              if (r.code != 1) throw std::runtime_error("exit " + std::to_string(r.code));
                              throw InputError(r.err);
                            },
                            ""};
      const std::string hint = std::string(file) == "manifest.json" ? " (is this a bundle directory?)" : "";
      EXPECT_EQ(error_of(validate, dir, kind == std::string("fifo") ? path : ""), path + ": " + reason + hint + "\n");
    }
  }
}

}  // namespace
}  // namespace zooter
