// The "gold": "pending" flag of a bundle (docs/bundle-format.md): a pending bundle loads when the
// caller allows it, has no gold anywhere (a gold field is an error, so no bundle is half graded),
// may leave its metrics to zooter gold, and is refused by default with a message saying what to do.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>

#include "harness/bundle.h"
#include "harness/bundle_loader.h"
#include "harness/bundle_writer.h"
#include "harness/error.h"
#include "tests/harness/pending_bundle.h"
#include "tests/harness/load_error.h"
#include "tests/helpers.h"

namespace zooter {
namespace {

LoadOptions allowing_pending() {
  LoadOptions options;
  options.allow_gold_pending = true;
  return options;
}

using test::load_error;

class GoldPendingTest : public ::testing::Test {
 protected:
  test::TempDir tmp_;
  const std::string dir_ = test::copy_tiny_pending_bundle(tmp_);
  const std::string manifest_ = dir_ + "/manifest.json";
  const std::string responses_ = dir_ + "/responses.jsonl";
};

TEST_F(GoldPendingTest, LoadsWithEverythingButGold) {
  const Bundle pending = load_bundle(dir_, allowing_pending());
  const Bundle graded = load_bundle(test::tiny_bundle_dir());
  EXPECT_TRUE(pending.manifest.gold_pending);
  EXPECT_FALSE(graded.manifest.gold_pending);
  ASSERT_EQ(pending.responses.gold.size(), 27u);
  for (double g : pending.responses.gold) EXPECT_TRUE(std::isnan(g));
  EXPECT_EQ(pending.responses.output_tokens, graded.responses.output_tokens);
  EXPECT_EQ(pending.responses.rewards, graded.responses.rewards);
}

TEST_F(GoldPendingTest, RefusedUnlessAllowed) {
  EXPECT_EQ(load_error(dir_, {}), dir_ + ": gold scores are pending (collected live); add them with "
                                         "`zooter gold " + dir_ + " --scores FILE` (docs/live-collect.md)");
}

TEST_F(GoldPendingTest, AGoldFieldIsAnError) {
  const std::string bad =
      R"({"query": "t1", "model": "gamma", "gold": 0.5, "output_tokens": 40, "cost": 0.001, "text": "x", "rewards": {"judge-rm": 0.9}})";
  test::replace_line(responses_, 1, bad);
  EXPECT_EQ(load_error(dir_, allowing_pending()),
            responses_ + R"(:1: gold: not allowed while manifest.json says "gold": "pending" (add every gold )"
                         "score at once with `zooter gold`)\n  | " + bad.substr(0, 80) + "...");
}

TEST_F(GoldPendingTest, OtherChecksStay) {
  // A missing cell is still an error.
  std::vector<std::string> lines = test::split_lines(test::read_file(responses_));
  lines.erase(lines.begin());
  test::write_file(responses_, test::join_lines(lines));
  EXPECT_EQ(load_error(dir_, allowing_pending()),
            responses_ + R"(: missing response for query "t1" and model "gamma")");
}

TEST_F(GoldPendingTest, GoldFlagMustSayPending) {
  test::replace_in_file(manifest_, R"("gold": "pending")", R"("gold": "done")");
  EXPECT_EQ(load_error(dir_, allowing_pending()),
            manifest_ + R"(: gold: expected "pending" (leave the field out when every response has its gold))");
}

TEST_F(GoldPendingTest, MetricMayWaitOnlyWhileGoldIsPending) {
  const std::string metric = R"(,
       "metric": {"name": "accuracy", "min": 0, "max": 1, "higher_is_better": true})";
  test::replace_in_file(manifest_, metric, "");
  const Bundle b = load_bundle(dir_, allowing_pending());
  EXPECT_FALSE(b.manifest.subsets[*b.manifest.find_subset("exam/math")].has_metric);
  EXPECT_TRUE(b.manifest.subsets[*b.manifest.find_subset("chat/helpful")].has_metric);
  // Written back without it, and read back the same.
  const std::string copy = tmp_.file("written");
  write_bundle(b, copy);
  const Bundle again = load_bundle(copy, allowing_pending());
  EXPECT_TRUE(again.manifest.gold_pending);
  EXPECT_FALSE(again.manifest.subsets[*again.manifest.find_subset("exam/math")].has_metric);

  const std::string graded = test::copy_tiny_bundle(tmp_, "graded");
  test::replace_in_file(graded + "/manifest.json", metric, "");
  EXPECT_EQ(load_error(graded, {}), graded + "/manifest.json: groups[1].subsets[0].metric: missing");
}

}  // namespace
}  // namespace zooter
