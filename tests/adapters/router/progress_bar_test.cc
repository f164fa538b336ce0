// Training progress on and off a terminal: redraws in place on one, one line per epoch (and
// nothing between) anywhere else, so a log file holds no carriage returns.
#include <gtest/gtest.h>

#include <algorithm>
#include <sstream>

#include "adapters/router/progress_bar.h"

namespace zooter::adapters::router {
namespace {

TEST(ProgressBar, OffATerminalWritesOnlyTheFinishedLine) {
  std::ostringstream out;
  ProgressBar bar({&out, false}, "epoch 1/2", 200);
  for (std::size_t done = 1; done <= 200; ++done) bar.update(done, "loss 0.5000");
  EXPECT_EQ(out.str(), "");
  bar.finish("loss 0.4000  validation 0.4500");
  EXPECT_EQ(out.str(), "epoch 1/2 loss 0.4000  validation 0.4500\n");
}

TEST(ProgressBar, OnATerminalRedrawsOncePerPercent) {
  std::ostringstream out;
  ProgressBar bar({&out, true}, "epoch 1/1", 200);
  for (std::size_t done = 1; done <= 200; ++done) bar.update(done, "x");
  bar.finish("done");
  const std::string text = out.str();
  // 101 percents (0..100, each drawn once: 1/200 is 0%) and the finishing redraw; one newline.
  EXPECT_EQ(std::count(text.begin(), text.end(), '\r'), 102);
  EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), 1);
  EXPECT_EQ(text.substr(text.rfind('\r')), "\repoch 1/1 [##############################] 100% done   \n");
}

TEST(ProgressBar, WithoutAStreamIsSilent) {
  ProgressBar bar({nullptr, true}, "epoch 1/1", 10);
  bar.update(5, "x");
  bar.finish("done");  // nothing to check but that it does not write through a null stream
  SUCCEED();
}

}  // namespace
}  // namespace zooter::adapters::router
