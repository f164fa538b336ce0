// write_bundle: all three files or none. A line the loader would refuse is found before anything
// is written; a failed check leaves the directory as it was; nothing is left beside it.
#include "harness/bundle_writer.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <set>
#include <stdexcept>
#include <string>

#include "harness/bundle.h"
#include "harness/bundle_loader.h"
#include "harness/error.h"
#include "tests/helpers.h"

namespace zooter {
namespace {

namespace fs = std::filesystem;

Bundle tiny_with_text() {
  LoadOptions options;
  options.with_text = true;
  return load_bundle(test::tiny_bundle_dir(), options);
}

// The names in `dir`, sorted.
std::string listing(const fs::path& dir) {
  std::set<std::string> names;
  for (const auto& entry : fs::directory_iterator(dir)) names.insert(entry.path().filename().string());
  std::string out;
  for (const std::string& name : names) out += name + " ";
  return out;
}

TEST(BundleWriterTest, WritesANewDirectoryThatLoads) {
  test::TempDir tmp;
  const std::string dir = tmp.file("a/b/out/");
  std::string seen;
  write_bundle(tiny_with_text(), dir, [&](const std::string& staged) {
    seen = staged;
    EXPECT_FALSE(fs::exists(tmp.file("a/b/out")));  // nothing in place while checking
    (void)load_bundle(staged);
  });
  EXPECT_EQ(load_bundle(dir).query_count(), 9u);
  EXPECT_FALSE(fs::exists(seen));
  EXPECT_EQ(listing(tmp.file("a/b")), "out ");
}

TEST(BundleWriterTest, LineOverTheLoadersLimitIsRefusedBeforeAnythingIsWritten) {
  test::TempDir tmp;
  Bundle b = tiny_with_text();
  b.responses.text[b.responses.cell(2, 1)] = std::string(LoadOptions{}.max_line_bytes, 'x');
  const std::string dir = tmp.file("out");
  try {
    write_bundle(b, dir);
    FAIL() << "written";
  } catch (const InputError& e) {
    // Query 2 (h1), model 1 (beta): line 2 x 3 + 1 + 1 of responses.jsonl.
    EXPECT_EQ(std::string(e.what()),
              dir + "/responses.jsonl:8: the line of query \"h1\" and model \"beta\" would be 4194400 bytes, over "
                    "the 4194304-byte line limit of bundle files, so the bundle could not be loaded; nothing was "
                    "written");
  }
  EXPECT_EQ(listing(tmp.path()), "");
  b = tiny_with_text();
  b.queries.text[4] = std::string(LoadOptions{}.max_line_bytes, 'y');
  try {
    write_bundle(b, dir);
    FAIL() << "written";
  } catch (const InputError& e) {
    EXPECT_EQ(std::string(e.what()),
              dir + "/queries.jsonl:5: the line of query \"c1\" would be 4194401 bytes, over the 4194304-byte line "
                    "limit of bundle files, so the bundle could not be loaded; nothing was written");
  }
  EXPECT_EQ(listing(tmp.path()), "");
}

TEST(BundleWriterTest, FailedCheckLeavesAnExistingDirectoryAsItWas) {
  test::TempDir tmp;
  const std::string dir = test::copy_tiny_bundle(tmp, "out");
  test::write_file(dir + "/notes.txt", "mine");
  const std::string before = test::read_file(dir + "/responses.jsonl");
  Bundle b = tiny_with_text();
  b.manifest.suite = "changed";
  EXPECT_THROW(write_bundle(b, dir, [](const std::string&) { throw InputError("x", 0, "does not load"); }),
               InputError);
  EXPECT_EQ(test::read_file(dir + "/responses.jsonl"), before);
  EXPECT_EQ(load_bundle(dir).manifest.suite, "tiny");
  EXPECT_EQ(listing(tmp.path()), "out ");
  // Passing the check replaces the three files and keeps the others.
  write_bundle(b, dir, [](const std::string& staged) { (void)load_bundle(staged); });
  EXPECT_EQ(load_bundle(dir).manifest.suite, "changed");
  EXPECT_EQ(test::read_file(dir + "/notes.txt"), "mine");
  EXPECT_EQ(listing(tmp.path()), "out ");
  EXPECT_EQ(listing(dir), "manifest.json notes.txt queries.jsonl responses.jsonl ");
}

}  // namespace
}  // namespace zooter
