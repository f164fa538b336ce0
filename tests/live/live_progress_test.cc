// The live progress line (collect, score): redrawn in place on a terminal, and off a terminal
// (a log file, a pipe) plain lines, at most one per tenth of the calls plus the last.
#include "live/live_progress.h"

#include <gtest/gtest.h>

#include <fmt/format.h>

#include <sstream>
#include <string>
#include <vector>

#include "tests/helpers.h"

namespace zooter::live {
namespace {

std::vector<std::string> lines_of(const std::string& text) { return test::split_lines(text); }

TEST(LiveProgress, OffATerminalOneLinePerTenthThenTheLast) {
  std::ostringstream out;
  LiveProgress progress({&out, false}, "calls", 100, 0);
  for (std::size_t done = 1; done <= 100; ++done) progress.update(done, 0);
  progress.finish(100, 0);
  const std::string text = out.str();
  EXPECT_EQ(text.find('\r'), std::string::npos);
  const std::vector<std::string> lines = lines_of(text);
  ASSERT_EQ(lines.size(), 10u) << text;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const std::size_t done = 10 * (i + 1);
    EXPECT_EQ(lines[i].rfind(fmt::format("{}/100 calls {:3}%  ", done, done), 0), 0u) << lines[i];
  }
  EXPECT_EQ(text.back(), '\n');
}

// A calls count smaller than ten: a line per call, never two for the same count.
TEST(LiveProgress, OffATerminalFewCalls) {
  std::ostringstream out;
  LiveProgress progress({&out, false}, "scores", 3, 0);
  for (std::size_t done = 1; done <= 3; ++done) {
    progress.update(done, 0);
    progress.update(done, 0);
  }
  progress.finish(3, 1);
  const std::vector<std::string> lines = lines_of(out.str());
  ASSERT_EQ(lines.size(), 3u) << out.str();
  EXPECT_EQ(lines[0].rfind("1/3 scores  33%  ", 0), 0u);
  EXPECT_EQ(lines[1].rfind("2/3 scores  67%  ", 0), 0u);
  EXPECT_EQ(lines[2].rfind("3/3 scores 100%  ", 0), 0u);
  EXPECT_NE(lines[2].find("(1 failed)"), std::string::npos);
}

// A resumed job: the calls of the earlier run count, and no line repeats a tenth they reached.
TEST(LiveProgress, OffATerminalResumed) {
  std::ostringstream out;
  LiveProgress progress({&out, false}, "calls", 100, 55);
  progress.update(4, 0);   // 59: still the fifth tenth
  progress.update(5, 0);   // 60
  progress.update(30, 0);  // 85: one line, though it passes two tenths
  progress.finish(45, 0);
  const std::vector<std::string> lines = lines_of(out.str());
  ASSERT_EQ(lines.size(), 3u) << out.str();
  EXPECT_EQ(lines[0].rfind("60/100 calls  60%  ", 0), 0u);
  EXPECT_EQ(lines[1].rfind("85/100 calls  85%  ", 0), 0u);
  EXPECT_EQ(lines[2].rfind("100/100 calls 100%  ", 0), 0u);
}

TEST(LiveProgress, OnATerminalRedrawsInPlace) {
  std::ostringstream out;
  LiveProgress progress({&out, true}, "calls", 4, 0);
  progress.update(1, 0);  // the first update draws; later ones within 200 ms do not
  progress.update(2, 0);
  progress.finish(4, 0);
  const std::string text = out.str();
  EXPECT_EQ(text.rfind("\r1/4 calls  25%  ", 0), 0u) << text;
  EXPECT_NE(text.find("\r4/4 calls 100%  "), std::string::npos);
  EXPECT_EQ(text.find("2/4"), std::string::npos);
  EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), 1);
  EXPECT_EQ(text.back(), '\n');
}

TEST(LiveProgress, NowhereWritesNothing) {
  LiveProgress progress({}, "calls", 4, 0);
  progress.update(4, 0);
  progress.finish(4, 0);
  SUCCEED();
}

}  // namespace
}  // namespace zooter::live
