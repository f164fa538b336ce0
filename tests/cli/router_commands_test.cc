// zooter train, route and ablate end to end (in-process through run_main) on the topic bundle
// written to disk: candidate t is best on topic t, so a working router is easy to recognise.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fmt/format.h>

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

// Off a terminal (here a string stream; a log file or a pipe alike) training writes one line per
// epoch it runs and no carriage-return redraws.
TEST_F(RouterCommands, TrainWritesOneLinePerEpochOffATerminal) {
  const test::CliRun trained =
      zooter({"train", bundle_, "--epochs", "3", "--out", dir_.file("r.router"), "--threads", "1"});
  ASSERT_EQ(trained.code, 0) << trained.err;
  EXPECT_EQ(trained.err.find('\r'), std::string::npos) << trained.err;
  const std::vector<std::string> lines = test::split_lines(trained.err);
  ASSERT_GE(lines.size(), 1u);
  ASSERT_LE(lines.size(), 3u) << trained.err;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    EXPECT_THAT(lines[i], ::testing::MatchesRegex(fmt::format("epoch {}/3 loss [0-9.]+  validation [0-9.]+", i + 1)));
  }
}

// `zooter train` and the zooter adapter of a run share every default, the seed included, so a
// saved router is the one a run trains: the two describe the same settings.
TEST_F(RouterCommands, TrainAndTheRunAdapterShareTheirDefaults) {
  const std::string router = dir_.file("r.router");
  const test::CliRun trained = zooter({"train", bundle_, "--out", router});
  ASSERT_EQ(trained.code, 0) << trained.err;
  const std::string settings = trained.out.substr(trained.out.find('(') + 1,
                                                  trained.out.find("; trained on") - trained.out.find('(') - 1);
  EXPECT_THAT(settings, HasSubstr(" seed=1"));
  const test::CliRun run = zooter({"run", bundle_, "--adapter", "zooter", "--bootstrap", "0"});
  ASSERT_EQ(run.code, 0) << run.err;
  EXPECT_THAT(run.out, HasSubstr("120 queries; " + settings + ")")) << run.out;
}

// The same with gold rewards, whose default normalisation is query-z in both; --normalise and
// normalise= override it alike.
TEST_F(RouterCommands, TrainAndTheRunAdapterShareTheGoldNormalisation) {
  for (const char* option : {"", "none"}) {
    const std::string normalise = option;
    SCOPED_TRACE("normalise " + normalise);
    std::vector<std::string> train = {"train", bundle_, "--reward", "gold", "--out", dir_.file("r.router")};
    std::string spec = "zooter@reward=gold";
    if (!normalise.empty()) {
      train.insert(train.end(), {"--normalise", normalise});
      spec += ",normalise=" + normalise;
    }
    const test::CliRun trained = zooter(train);
    ASSERT_EQ(trained.code, 0) << trained.err;
    const std::string settings = trained.out.substr(trained.out.find('(') + 1,
                                                    trained.out.find("; trained on") - trained.out.find('(') - 1);
    EXPECT_THAT(settings, HasSubstr(normalise.empty() ? " normalise=query-z " : " normalise=none "));
    const test::CliRun run = zooter({"run", bundle_, "--adapter", spec, "--bootstrap", "0"});
    ASSERT_EQ(run.code, 0) << run.err;
    EXPECT_THAT(run.out, HasSubstr("120 queries; " + settings + ")")) << run.out;
  }
}

// zooter tune: every setting's CV score, the chosen one marked and written as a config that
// zooter run reads.
TEST_F(RouterCommands, TuneWritesTheChosenSpecForRun) {
  const std::string config = dir_.file("tuned.cfg");
  const test::CliRun tuned = zooter({"tune", bundle_, "--adapter", "knn@k=1|9,reward=gold,dim=4096", "--adapter",
                                     "single@alpha|beta", "--folds", "3", "--out", config});
  ASSERT_EQ(tuned.code, 0) << tuned.err;
  EXPECT_THAT(tuned.out, HasSubstr("knn@k=1|9,reward=gold,dim=4096 (2 settings, 3-fold CV on 120 \"train\" queries)\n"));
  // Both candidates score (0.9 + 0.3 + 0.3) / 3 on every fold: the first is chosen.
  EXPECT_THAT(tuned.out, HasSubstr("  * 0.5000  single@alpha  folds: 0.5000 0.5000 0.5000\n"
                                   "    0.5000  single@beta  folds: 0.5000 0.5000 0.5000\n"
                                   "  chosen: single@alpha\n"));
  const std::string written = test::read_file(config);
  EXPECT_THAT(written, ::testing::ContainsRegex("\nadapter = knn@dim=4096,k=(1|9),reward=gold\n"));
  EXPECT_THAT(written, HasSubstr("\nadapter = single@alpha\n"));
  const test::CliRun run = zooter({"run", bundle_, "--config", config, "--bootstrap", "0"});
  ASSERT_EQ(run.code, 0) << run.err;
  EXPECT_THAT(run.out, HasSubstr("single@alpha"));
}

// A setting whose training diverges is printed as failed, with why, and the others compete.
TEST_F(RouterCommands, TuneReportsADivergedSettingAndChoosesAmongTheRest) {
  const std::string config = dir_.file("tuned.cfg");
  const test::CliRun tuned =
      zooter({"tune", bundle_, "--adapter", "mf@dim=2,reward=gold,lr=1000|0.2", "--folds", "3", "--out", config});
  ASSERT_EQ(tuned.code, 0) << tuned.err;
  EXPECT_THAT(tuned.out, HasSubstr("    failed  mf@dim=2,lr=1000,reward=gold  (fold 1: adapter "
                                   "\"mf@dim=2,lr=1000,reward=gold\": training diverged in epoch 1 of 10 (its weights "
                                   "are no longer finite); lr 1000 is too large for these scores: try a smaller lr=)\n"
                                   "  * "));
  EXPECT_THAT(tuned.out, HasSubstr("  chosen: mf@dim=2,lr=0.2,reward=gold\n"));
  const std::string written = test::read_file(config);
  EXPECT_THAT(written, HasSubstr("# failed mf@dim=2,lr=1000,reward=gold\n"));
  EXPECT_THAT(written, HasSubstr("\nadapter = mf@dim=2,lr=0.2,reward=gold\n"));
}

TEST_F(RouterCommands, TuneRefusesAMissingOrUnlearnableTrainSplit) {
  const test::CliRun missing = zooter({"tune", bundle_, "--adapter", "random", "--train-split", "nope"});
  EXPECT_EQ(missing.code, 2);
  EXPECT_THAT(missing.err, HasSubstr("zooter tune: --train-split \"nope\": the bundle has no such split\n"));
  const std::string test_only = dir_.file("test-only");
  write_bundle(adapters::router::testing::make_topic_bundle({.train_split = false}), test_only);
  const test::CliRun none = zooter({"tune", test_only, "--adapter", "random"});
  EXPECT_EQ(none.code, 2);
  EXPECT_THAT(none.err, HasSubstr("zooter tune: the bundle has no \"train\" split: name the split to "
                                  "cross-validate on with --train-split\n"));
  const std::string locked = dir_.file("locked");
  write_bundle(adapters::router::testing::make_topic_bundle({.train_gold_usable = false}), locked);
  const test::CliRun refused = zooter({"tune", locked, "--adapter", "random"});
  EXPECT_EQ(refused.code, 1);
  EXPECT_THAT(refused.err,
              HasSubstr("split \"train\" has gold scores marked not for training: nothing to tune on\n"));
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

// --router adds training options to every variant, hard-label included; each router is
// trained with them (its note says so).
TEST_F(RouterCommands, AblatePassesRouterOptionsToEveryVariant) {
  const test::CliRun r = zooter({"ablate", bundle_, "--beta", "0,1", "--reward", "qwen-rm", "--hard-label",
                                 "--router", "hidden=8,validation=0"});
  ASSERT_EQ(r.code, 0) << r.err;
  for (const char* variant : {"zooter@beta=0,hidden=8,reward=qwen-rm,validation=0 ",
                              "zooter@beta=1,hidden=8,reward=qwen-rm,validation=0 ",
                              "zooter@beta=0,hard-label=1,hidden=8,reward=qwen-rm,validation=0 "}) {
    EXPECT_THAT(r.out, HasSubstr(variant)) << variant;
  }
  std::size_t trained_with = 0;
  for (std::size_t at = r.out.find("hidden=8 "); at != std::string::npos; at = r.out.find("hidden=8 ", at + 1)) {
    ++trained_with;
  }
  EXPECT_EQ(trained_with, 3u) << r.out;
}

TEST_F(RouterCommands, BadInputs) {
  const test::CliRun no_split = zooter({"train", bundle_, "--split", "nosuch", "--out", dir_.file("x")});
  EXPECT_EQ(no_split.code, 2);
  EXPECT_THAT(no_split.err, HasSubstr("--split \"nosuch\": the bundle has no such split"));
  const test::CliRun no_reward = zooter({"train", bundle_, "--reward", "nosuch-rm", "--out", dir_.file("x")});
  EXPECT_EQ(no_reward.code, 1);
  EXPECT_THAT(no_reward.err, HasSubstr("nosuch-rm"));
  const test::CliRun bad_normalise = zooter({"train", bundle_, "--normalise", "z", "--out", dir_.file("x")});
  EXPECT_EQ(bad_normalise.code, 2);
  EXPECT_THAT(bad_normalise.err,
              HasSubstr("unknown reward normalisation \"z\" (known: none, query-z, model-z, query-minmax)"));
  const test::CliRun no_out = zooter({"train", bundle_});
  EXPECT_EQ(no_out.code, 2);
  const test::CliRun missing = zooter({"route", dir_.file("missing.router"), "text"});
  EXPECT_EQ(missing.code, 1);
  EXPECT_THAT(missing.err, HasSubstr("missing.router"));
  const test::CliRun bad_beta = zooter({"ablate", bundle_, "--beta", "0,,1"});
  EXPECT_EQ(bad_beta.code, 2);
  EXPECT_THAT(bad_beta.err, HasSubstr("--beta: empty item"));
  for (const char* bad_item : {"hidden", "=3", "hidden="}) {
    const test::CliRun bad_router = zooter({"ablate", bundle_, "--beta", "0", "--router", bad_item});
    EXPECT_EQ(bad_router.code, 2) << bad_item;
    EXPECT_THAT(bad_router.err, HasSubstr(std::string("--router: expected KEY=VALUE, got \"") + bad_item + "\""));
  }
  const test::CliRun unknown_key = zooter({"ablate", bundle_, "--beta", "0", "--router", "nosuch=1"});
  EXPECT_EQ(unknown_key.code, 2);
  EXPECT_THAT(unknown_key.err, HasSubstr("adapter \"zooter\": unknown argument \"nosuch\""));
}

}  // namespace
}  // namespace zooter::cli
