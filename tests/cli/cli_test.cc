// The command line, run in-process through run_main: exit codes (0 success, 1 bad data or I/O,
// 2 usage), what goes to stdout and stderr, and config files with flags taking precedence.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <unistd.h>

#include <sstream>
#include <string>
#include <vector>

#include "adapters/adapter.h"
#include "cli/command.h"
#include "harness/output_lock.h"
#include "tests/helpers.h"

namespace zooter::cli {
namespace {

using ::testing::HasSubstr;
using ::testing::IsEmpty;

struct Result {
  int code = -1;
  std::string out;
  std::string err;
};

Result zooter(const std::vector<std::string>& args) {
  std::ostringstream out, err;
  const int code = run_main(args, out, err);
  return {code, out.str(), err.str()};
}

// The adapter names of the table `zooter run` prints: the first word of each row between the
// dashed rule and the blank line after the rows.
std::vector<std::string> table_rows(const std::string& table) {
  std::vector<std::string> rows;
  bool in_rows = false;
  for (const std::string& line : test::split_lines(table)) {
    if (!in_rows) {
      in_rows = line.rfind("---", 0) == 0;
      continue;
    }
    if (line.empty()) break;
    rows.push_back(line.substr(0, line.find(' ')));
  }
  return rows;
}

const std::string kTiny = test::tiny_bundle_dir();

TEST(Cli, HelpListsCommands) {
  const Result r = zooter({"--help"});
  EXPECT_EQ(r.code, 0);
  EXPECT_THAT(r.out, HasSubstr("usage: zooter COMMAND [OPTIONS]"));
  EXPECT_THAT(r.out, HasSubstr("\n  run "));
  EXPECT_THAT(r.out, HasSubstr("\n  validate "));
  EXPECT_THAT(r.out, HasSubstr("\n  list "));
  EXPECT_THAT(r.err, IsEmpty());
}

TEST(Cli, NoCommandIsUsageError) {
  const Result r = zooter({});
  EXPECT_EQ(r.code, 2);
  EXPECT_THAT(r.err, HasSubstr("usage: zooter COMMAND [OPTIONS]"));
  EXPECT_THAT(r.out, IsEmpty());
}

TEST(Cli, UnknownCommand) {
  const Result r = zooter({"frobnicate", "x"});
  EXPECT_EQ(r.code, 2);
  EXPECT_THAT(r.err, HasSubstr("zooter: unknown command \"frobnicate\"\n"));
  EXPECT_THAT(r.err, HasSubstr("\n  validate "));  // the usage follows
  EXPECT_THAT(r.out, IsEmpty());
}

TEST(Cli, RunHelpShowsDefaults) {
  const Result r = zooter({"run", "--help"});
  EXPECT_EQ(r.code, 0);
  EXPECT_THAT(r.out, HasSubstr("usage: zooter run DIR"));
  EXPECT_THAT(r.out, HasSubstr("-t [ --threads ] arg (=0)"));
  EXPECT_THAT(r.out, HasSubstr("--seed arg (=1)"));
  EXPECT_THAT(r.out, HasSubstr("--config arg"));
  EXPECT_THAT(r.err, IsEmpty());
}

TEST(Cli, ValidateTiny) {
  const Result r = zooter({"validate", kTiny});
  EXPECT_EQ(r.code, 0);
  EXPECT_EQ(r.out, kTiny + ": valid zooter bundle, suite \"tiny\": 9 queries, 3 candidates, "
                           "1 reward models, 3 subsets in 2 groups, 7 tags\n"
                           "  split train: 2 queries\n"
                           "  split test: 7 queries\n");
  EXPECT_THAT(r.err, IsEmpty());
}

TEST(Cli, ValidateBadBundle) {
  const test::TempDir tmp;
  const std::string dir = test::copy_tiny_bundle(tmp);
  const std::string bad = R"({"id": "h1", "subset": "chat/helpful", "split": "dev", "input_tokens": 10})";
  test::replace_line(dir + "/queries.jsonl", 3, bad);
  const Result r = zooter({"validate", dir});
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(r.err, dir + "/queries.jsonl:3: unknown split \"dev\" (not in manifest.json)\n  | " +
                       bad + "\n");
  EXPECT_THAT(r.out, IsEmpty());
}

TEST(Cli, ValidateMaxProblems) {
  const test::TempDir tmp;
  const std::string dir = test::copy_tiny_bundle(tmp);
  for (std::size_t line = 1; line <= 3; ++line) test::replace_line(dir + "/queries.jsonl", line, "{");
  const Result r = zooter({"validate", dir, "--max-problems", "1"});
  EXPECT_EQ(r.code, 1);
  EXPECT_THAT(r.err, HasSubstr(dir + "/queries.jsonl:1: column 2: invalid JSON: "));
  EXPECT_THAT(r.err, HasSubstr(dir + "/queries.jsonl: 2 more problem(s) not shown (3 in all)\n"));
}

TEST(Cli, ValidateMissingDirectory) {
  const test::TempDir tmp;
  const std::string missing = tmp.file("nowhere");
  const Result r = zooter({"validate", missing});
  EXPECT_EQ(r.code, 1);
  EXPECT_THAT(r.err, HasSubstr(missing + ": does not exist (expected a bundle: "));
}

TEST(Cli, ValidateWithoutBundleIsUsageError) {
  const Result r = zooter({"validate"});
  EXPECT_EQ(r.code, 2);
  EXPECT_THAT(r.err, HasSubstr("zooter validate: "));
  EXPECT_THAT(r.err, HasSubstr("(see zooter validate --help)"));
}

TEST(Cli, RunUnknownAdapterNamesTheKnownOnes) {
  const Result r = zooter({"run", kTiny, "--adapter", "nosuch"});
  EXPECT_EQ(r.code, 2);
  EXPECT_THAT(r.err, HasSubstr("zooter run: unknown adapter \"nosuch\" (known: single, best-single"));
  for (const adapters::AdapterInfo& info : adapters::adapter_catalog()) {
    EXPECT_THAT(r.err, HasSubstr(info.name));
  }
  EXPECT_THAT(r.out, IsEmpty());
}

TEST(Cli, RunSingleUnknownModelNamesTheCandidates) {
  const Result r = zooter({"run", kTiny, "--adapter", "single@nosuch"});
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(r.err, "unknown candidate model \"nosuch\" (bundle has: alpha, beta, gamma)\n");
  EXPECT_THAT(r.out, IsEmpty());
}

TEST(Cli, RunRmrUnknownRewardModel) {
  const Result r = zooter({"run", kTiny, "--adapter", "rmr@nosuch"});
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(r.err, "unknown reward model \"nosuch\" (bundle has: judge-rm)\n");
}

TEST(Cli, RunBadAdapterSpecIsUsageError) {
  const Result r = zooter({"run", kTiny, "--adapter", "single@"});
  EXPECT_EQ(r.code, 2);
  EXPECT_THAT(r.err, HasSubstr("zooter run: adapter spec \"single@\": nothing after '@'\n"));
}

TEST(Cli, RunUnknownSplit) {
  const Result r = zooter({"run", kTiny, "--split", "nosuch"});
  EXPECT_EQ(r.code, 2);
  EXPECT_THAT(r.err, HasSubstr("zooter run: --split \"nosuch\": the bundle has no such split "
                               "(it has: train, test)\n"));
}

TEST(Cli, RunNegativeThreads) {
  const Result r = zooter({"run", kTiny, "--threads", "-1"});
  EXPECT_EQ(r.code, 2);
  EXPECT_THAT(r.err, HasSubstr("zooter run: --threads must be at least 0, got -1\n"));
}

TEST(Cli, RunThreadsNotANumber) {
  const Result r = zooter({"run", kTiny, "--threads", "many"});
  EXPECT_EQ(r.code, 2);
  EXPECT_THAT(r.err, HasSubstr("(see zooter run --help)"));
}

TEST(Cli, RunUnknownFlag) {
  const Result r = zooter({"run", kTiny, "--nosuch"});
  EXPECT_EQ(r.code, 2);
  EXPECT_THAT(r.err, HasSubstr("nosuch"));
}

TEST(Cli, RunMissingBundle) {
  const test::TempDir tmp;
  const Result r = zooter({"run", tmp.file("nowhere")});
  EXPECT_EQ(r.code, 1);
  EXPECT_THAT(r.err, HasSubstr(tmp.file("nowhere") + ": does not exist (expected a bundle: "));
}

TEST(Cli, RunAddsBestSingle) {
  const Result r = zooter({"run", kTiny, "--adapter", "oracle", "--adapter", "single@beta"});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(table_rows(r.out), (std::vector<std::string>{"oracle", "single@beta", "best-single"}));
  EXPECT_THAT(r.out, HasSubstr("note: best-single was added"));
}

TEST(Cli, RunSameAdapterTwice) {
  const Result r = zooter({"run", kTiny, "--adapter", "oracle", "--adapter", "oracle"});
  EXPECT_EQ(r.code, 2);
  EXPECT_THAT(r.err, HasSubstr("adapter \"oracle\" is given twice"));
}

// Output is byte-identical for any thread count (STYLE.md, "Parallel and deterministic").
// One adapter written two ways (arguments reordered, a number zero-padded, a default spelled
// out) is still one adapter: the second is refused as given twice.
TEST(Cli, RunSameAdapterSpelledTwoWays) {
  const struct {
    const char* first;
    const char* second;
    const char* name;
  } cases[] = {
      {"knn@k=1,reward=judge-rm", "knn@reward=judge-rm,k=1", "knn@k=1,reward=judge-rm"},
      {"knn@k=1,reward=judge-rm", "knn@k=01,reward=judge-rm", "knn@k=1,reward=judge-rm"},
      {"knn@reward=judge-rm,k=1", "knn@k=001,reward=judge-rm", "knn@k=1,reward=judge-rm"},
      {"best-single", "best-single@on=auto", "best-single"},
  };
  for (const auto& c : cases) {
    const Result r = zooter({"run", kTiny, "--adapter", c.first, "--adapter", c.second});
    EXPECT_EQ(r.code, 2) << c.first << " then " << c.second;
    EXPECT_THAT(r.err, HasSubstr(std::string("adapter \"") + c.name + "\" is given twice")) << r.err;
  }
}

TEST(Cli, RunOutputSameForOneAndFourThreads) {
  const Result one = zooter({"run", kTiny, "--threads", "1"});
  const Result four = zooter({"run", kTiny, "--threads", "4"});
  EXPECT_EQ(one.code, 0) << one.err;
  EXPECT_EQ(four.code, 0) << four.err;
  EXPECT_FALSE(one.out.empty());
  EXPECT_EQ(one.out, four.out);
}

TEST(Cli, ListAdaptersPrintsTheCatalog) {
  const Result r = zooter({"list", "adapters"});
  EXPECT_EQ(r.code, 0);
  const std::vector<std::string> lines = test::split_lines(r.out);
  const auto& catalog = adapters::adapter_catalog();
  ASSERT_EQ(lines.size(), catalog.size());
  for (std::size_t i = 0; i < lines.size(); ++i) {
    SCOPED_TRACE(lines[i]);
    EXPECT_EQ(lines[i].rfind(catalog[i].usage + " ", 0), 0u);
    EXPECT_THAT(lines[i], HasSubstr(" " + catalog[i].description));
  }
  std::vector<std::string> usages;
  for (const std::string& line : lines) usages.push_back(line.substr(0, line.find(' ')));
  for (const char* usage : {"single@MODEL", "best-single[@on=auto|train|evaluated]", "random",
                            "oracle", "rmr@REWARD_MODEL"}) {
    EXPECT_THAT(usages, ::testing::Contains(usage));
  }
  EXPECT_EQ(zooter({"list"}).out, r.out);  // adapters is the default
}

TEST(Cli, ListSomethingElse) {
  const Result r = zooter({"list", "nosuch"});
  EXPECT_EQ(r.code, 2);
  EXPECT_THAT(r.err, HasSubstr("cannot list \"nosuch\" (choose adapters, formats or commands)"));
}

// ---- Config files: "key = value" lines; flags override them. ----

class CliConfig : public ::testing::Test {
 protected:
  // Writes the config and returns its path.
  std::string config(const std::string& text) {
    const std::string path = tmp_.file("run.cfg");
    test::write_file(path, text);
    return path;
  }
  // The JSON report a run wrote into out_ (its provenance holds the resolved thread count).
  std::string report_json() const { return test::read_file(out_ + "/report.json"); }

  test::TempDir tmp_;
  const std::string out_ = tmp_.file("out");
};

TEST_F(CliConfig, ConfigSetsAdapterAndThreads) {
  const std::string cfg = config("# a run\nadapter = oracle\nthreads = 2\n");
  const Result r = zooter({"run", kTiny, "--config", cfg, "--out", out_, "--format", "json"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(table_rows(r.out), (std::vector<std::string>{"oracle", "best-single"}));
  EXPECT_THAT(report_json(), HasSubstr("\"threads\": 2,"));
}

TEST_F(CliConfig, FlagOverridesConfigAdapter) {
  const std::string cfg = config("adapter = oracle\nthreads = 2\n");
  const Result r = zooter({"run", kTiny, "--config", cfg, "--adapter", "random"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(table_rows(r.out), (std::vector<std::string>{"random", "best-single"}));
}

TEST_F(CliConfig, FlagOverridesConfigThreads) {
  const std::string cfg = config("adapter = oracle\nthreads = 2\n");
  const Result r = zooter({"run", kTiny, "--config", cfg, "--threads", "1", "--out", out_,
                           "--format", "json"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_THAT(report_json(), HasSubstr("\"threads\": 1,"));
}

// versus repeats like adapter: each line adds a reference for the paired tests.
TEST_F(CliConfig, ConfigNamesVersusReferences) {
  const std::string cfg = config("adapter = single@alpha\nadapter = single@beta\nadapter = oracle\n"
                                 "versus = single@beta\nversus = oracle\nthreads = 1\n");
  const Result r = zooter({"run", kTiny, "--config", cfg, "--out", out_, "--format", "json"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("\nPaired tests against single@beta (Holm"));
  EXPECT_THAT(r.out, HasSubstr("\nPaired tests against oracle (Holm"));
  EXPECT_THAT(report_json(), HasSubstr("\"versus\": [\n        \"single@beta\",\n        \"oracle\"\n"));
}

TEST_F(CliConfig, UnknownKey) {
  const std::string cfg = config("# comment\nadapter = oracle\nnosuch = 1\n");
  const Result r = zooter({"run", kTiny, "--config", cfg});
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(r.err, cfg + ":3: unknown option \"nosuch\" for this command\n");
  EXPECT_THAT(r.out, IsEmpty());
}

TEST_F(CliConfig, LineWithoutEquals) {
  const std::string cfg = config("threads = 2\nadapter oracle\n");
  const Result r = zooter({"run", kTiny, "--config", cfg});
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(r.err, cfg + ":2: expected \"key = value\", got \"adapter oracle\"\n");
}

TEST_F(CliConfig, ConfigCannotIncludeConfig) {
  const std::string cfg = config("config = other.cfg\n");
  const Result r = zooter({"run", kTiny, "--config", cfg});
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(r.err, cfg + ":1: config files cannot include other config files\n");
}

TEST_F(CliConfig, MissingConfigFile) {
  const std::string cfg = tmp_.file("absent.cfg");
  const Result r = zooter({"run", kTiny, "--config", cfg});
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(r.err, cfg + ": does not exist (expected a config file)\n");
}

// gold writes into its bundle as collect and score do, so it takes the same lock: a collect or
// score still writing there (here: a lock this process holds) makes it stop before reading.
TEST(Cli, GoldIsRefusedWhileAnotherWriterHoldsTheBundle) {
  const test::TempDir tmp;
  const std::string dir = tmp.file("bundle");
  const OutputLock collecting(dir, "collect");
  const Result r = zooter({"gold", dir, "--scores", tmp.file("scores.jsonl")});
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(r.err, dir + ": another zooter collect (pid " + std::to_string(::getpid()) +
                       ") is writing into this directory; wait for it to end, or write into another directory "
                       "(two runs into one directory would make every call twice and interleave the journal)\n");
}

}  // namespace
}  // namespace zooter::cli
