// zooter train, route and ablate end to end (in-process through run_main) on the topic bundle
// written to disk: candidate t is best on topic t, so a working router is easy to recognise.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <sstream>
#include <string>
#include <vector>

#include "harness/bundle_writer.h"
#include "cli/command.h"
#include "tests/adapters/router/topic_bundle.h"
#include "tests/helpers.h"
#include "tests/support/cli_run.h"

namespace zooter::cli {
namespace {

using ::testing::HasSubstr;

using test::zooter;

class RouterCommands : public ::testing::Test {
 protected:
  void SetUp() override {
    write_bundle(adapters::router::testing::make_topic_bundle(), bundle_);
  }
  test::TempDir dir_;
  const std::string bundle_ = dir_.file("topics");
};

TEST_F(RouterCommands, TrainThenRoutePicksTheTopicExpert) {
  const std::string router = dir_.file("r.router");
  const test::CliRun trained = zooter({"train", bundle_, "--reward", "qwen-rm", "--out", router, "--threads", "2"});
  ASSERT_EQ(trained.code, 0) << trained.err;
  EXPECT_THAT(trained.out, HasSubstr("router written to " + router));
  EXPECT_THAT(trained.out, HasSubstr("trained on split train (120 queries)"));
  // Topic words: maths -> alpha, code -> beta, poetry -> gamma.
  const test::CliRun routed = zooter({"route", router, "solve the integral equation", "a haiku about the moon"});
  ASSERT_EQ(routed.code, 0) << routed.err;
  const std::vector<std::string> lines = test::split_lines(routed.out);
  ASSERT_EQ(lines.size(), 10u) << routed.out;  // per text: the text, the pick, three candidates
  EXPECT_EQ(lines[1], "  -> alpha");
  EXPECT_EQ(lines[6], "  -> gamma");
  double total = 0.0;
  for (std::size_t i = 2; i < 5; ++i) total += std::stod(lines[i].substr(lines[i].rfind(' ') + 1));
  EXPECT_NEAR(total, 1.0, 2e-4);  // four printed decimals per probability
}

TEST_F(RouterCommands, TrainedFileIsIdenticalForOneAndTwoThreads) {
  ASSERT_EQ(zooter({"train", bundle_, "--out", dir_.file("one"), "--threads", "1"}).code, 0);
  ASSERT_EQ(zooter({"train", bundle_, "--out", dir_.file("two"), "--threads", "2"}).code, 0);
  EXPECT_TRUE(test::read_file(dir_.file("one")) == test::read_file(dir_.file("two")));
}

TEST_F(RouterCommands, SavedRouterRunsAsAnAdapter) {
  const std::string router = dir_.file("r.router");
  ASSERT_EQ(zooter({"train", bundle_, "--out", router}).code, 0);
  const test::CliRun run = zooter({"run", bundle_, "--adapter", "zooter@file=" + router, "--adapter",
                             "best-single", "--bootstrap", "0"});
  ASSERT_EQ(run.code, 0) << run.err;
  // Right on every test query (gold 0.9): average 0.90, first on every subset.
  std::string row;
  for (const std::string& line : test::split_lines(run.out)) {
    if (line.rfind("zooter@file=", 0) == 0) row = line.substr(line.find(' '));
  }
  EXPECT_THAT(row, ::testing::ContainsRegex("^ +0\\.90 +1\\.00 +1\\.00 +1\\.00 ")) << run.out;
  EXPECT_THAT(run.out, HasSubstr("router loaded from " + router));
}

TEST_F(RouterCommands, BatchRouteWritesADecisionsFileThatRunEvaluates) {
  const std::string router = dir_.file("r.router");
  ASSERT_EQ(zooter({"train", bundle_, "--out", router}).code, 0);
  const std::string decisions = dir_.file("decisions.jsonl");
  const test::CliRun routed = zooter({"route", router, "--queries", bundle_ + "/queries.jsonl", "--out", decisions});
  ASSERT_EQ(routed.code, 0) << routed.err;
  const std::vector<std::string> lines = test::split_lines(test::read_file(decisions));
  ASSERT_EQ(lines.size(), 180u);  // every query of the bundle, train split included
  EXPECT_THAT(lines[0], ::testing::StartsWith("{\"query\": \"q0\", \"model\": \"alpha\", \"scores\": {\"alpha\": "));
  const test::CliRun run = zooter({"run", bundle_, "--adapter", "decisions@file=" + decisions, "--adapter",
                                   "zooter@file=" + router, "--bootstrap", "0"});
  ASSERT_EQ(run.code, 0) << run.err;
  std::string from_file, built_in;
  for (const std::string& line : test::split_lines(run.out)) {
    if (line.rfind("decisions@file=", 0) == 0) from_file = line.substr(line.find(' '));
    if (line.rfind("zooter@file=", 0) == 0) built_in = line.substr(line.find(' '));
  }
  // Same picks as the router run in-process: the same scores, ranks and generations.
  auto first_cells = [](const std::string& row) {
    std::istringstream in(row);
    std::vector<std::string> cells(5);
    for (std::string& cell : cells) in >> cell;
    return cells;
  };
  EXPECT_EQ(first_cells(from_file), first_cells(built_in)) << run.out;
  EXPECT_EQ(first_cells(from_file)[0], "0.90");
  EXPECT_THAT(run.out, HasSubstr("120 lines decide queries outside the evaluated split \"test\": checked, not used"));
  const test::CliRun neither = zooter({"route", router});
  EXPECT_EQ(neither.code, 2);
  EXPECT_THAT(neither.err, HasSubstr("give query texts or --queries FILE (one of the two)"));
  test::write_file(dir_.file("bad.jsonl"), "{\"id\": \"a\", \"text\": \"x\"}\n{\"text\": \"y\"}\n{\"id\": \"a\", \"text\": \"z\"}\n");
  const test::CliRun bad = zooter({"route", router, "--queries", dir_.file("bad.jsonl")});
  EXPECT_EQ(bad.code, 1);
  EXPECT_EQ(bad.err, dir_.file("bad.jsonl") + ":2: \"id\": missing or not a string\n" + dir_.file("bad.jsonl") +
                         ":3: query \"a\" given twice (first at line 1)\n");
}

TEST_F(RouterCommands, AblatePrintsTable2Layout) {
  const test::CliRun r = zooter({"ablate", bundle_, "--beta", "0,1", "--reward", "qwen-rm", "--hard-label"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("topics | Table 2 layout: mean task rank per group and overall"));
  // Each variant routes every test query to its topic's best candidate: rank 1 in the group and
  // overall (Table 2 has no %Uplift column).
  for (const char* variant : {"zooter@beta=0,reward=qwen-rm ", "zooter@beta=1,reward=qwen-rm ",
                              "zooter@beta=0,hard-label=1,reward=qwen-rm "}) {
    EXPECT_THAT(r.out, ::testing::ContainsRegex(std::string(variant) + " *1\\.00  +1\\.00\n"))
        << variant;
  }
}

TEST_F(RouterCommands, BadInputs) {
  const test::CliRun no_split = zooter({"train", bundle_, "--split", "nosuch", "--out", dir_.file("x")});
  EXPECT_EQ(no_split.code, 2);
  EXPECT_THAT(no_split.err, HasSubstr("--split \"nosuch\": the bundle has no such split"));
  const test::CliRun no_reward = zooter({"train", bundle_, "--reward", "nosuch-rm", "--out", dir_.file("x")});
  EXPECT_EQ(no_reward.code, 1);
  EXPECT_THAT(no_reward.err, HasSubstr("nosuch-rm"));
  const test::CliRun no_out = zooter({"train", bundle_});
  EXPECT_EQ(no_out.code, 2);
  const test::CliRun missing = zooter({"route", dir_.file("missing.router"), "text"});
  EXPECT_EQ(missing.code, 1);
  EXPECT_THAT(missing.err, HasSubstr("missing.router"));
  const test::CliRun bad_beta = zooter({"ablate", bundle_, "--beta", "0,,1"});
  EXPECT_EQ(bad_beta.code, 2);
  EXPECT_THAT(bad_beta.err, HasSubstr("--beta: empty item"));
}

}  // namespace
}  // namespace zooter::cli
