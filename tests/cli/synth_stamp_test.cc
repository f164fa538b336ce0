// A bundle that `zooter synth` wrote with another build is noted by the commands that read it;
// one of this build, or one synth did not write, is not.
#include "cli/synth_stamp.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "tests/helpers.h"
#include "tests/support/cli_run.h"

namespace zooter::cli {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

using test::zooter;

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// A small random bundle written by zooter synth into `dir`; returns synth's stderr.
std::string synthesise(const std::string& dir, bool reuse = false) {
  std::vector<std::string> args{"synth", "--profile", "random", "--queries", "40", "--models", "3",
                                "--reward-models", "1", "--seed", "3", "--out", dir, "--threads", "1"};
  if (reuse) args.push_back("--reuse");
  const test::CliRun r = zooter(args);
  EXPECT_EQ(r.code, 0) << r.err;
  return r.err;
}

TEST(SynthStamp, ABundleOfThisBuildIsNotNoted) {
  test::TempDir tmp;
  const std::string dir = tmp.file("bundle");
  synthesise(dir);
  EXPECT_THAT(read_file(dir + "/" + kSynthStampFile), HasSubstr("\n" + synth_build_line() + "\n"));
  EXPECT_EQ(other_build_note(dir), "");
  const test::CliRun r = zooter({"run", dir, "--adapter", "oracle", "--bootstrap", "0", "-q"});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_THAT(r.err, Not(HasSubstr("written by zooter synth")));
}

TEST(SynthStamp, ABundleOfAnotherBuildIsNotedByTheCommandsThatReadIt) {
  test::TempDir tmp;
  const std::string dir = tmp.file("bundle");
  synthesise(dir);
  // The stamp as an older build would have left it: the same settings, another build line.
  std::string stamp = read_file(dir + "/" + kSynthStampFile);
  const std::string ours = synth_build_line();
  stamp.replace(stamp.find(ours), ours.size(), "build=0.0.1 0123456789ab");
  std::ofstream(dir + "/" + kSynthStampFile, std::ios::binary) << stamp;

  const std::string note = "note: " + dir +
                           " was written by zooter synth 0.0.1 0123456789ab, not by this build (" +
                           ours.substr(6) +
                           "): if the simulation changed in between, its data are not what synth "
                           "makes now (`zooter synth ... --reuse` with the same settings remakes it)\n";
  EXPECT_EQ(other_build_note(dir), note);
  const test::CliRun run = zooter({"run", dir, "--adapter", "oracle", "--bootstrap", "0", "-q"});
  EXPECT_EQ(run.code, 0) << run.err;
  EXPECT_THAT(run.err, HasSubstr(note));

  // synth --reuse does not keep it but remakes it, and the note is gone; a second --reuse keeps it.
  EXPECT_THAT(synthesise(dir, /*reuse=*/true), HasSubstr("synth: wrote "));
  EXPECT_EQ(other_build_note(dir), "");
  EXPECT_THAT(synthesise(dir, /*reuse=*/true), HasSubstr("synth: reusing "));
}

TEST(SynthStamp, ABundleWithoutAStampIsNotNoted) {
  EXPECT_EQ(other_build_note(test::tiny_bundle_dir()), "");
  test::TempDir tmp;
  EXPECT_EQ(other_build_note(tmp.file("no-such-bundle")), "");
}

}  // namespace
}  // namespace zooter::cli
