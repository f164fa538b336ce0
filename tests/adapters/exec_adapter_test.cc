// exec@cmd=COMMAND: what the outside program is sent (a recording program proves that the
// queries to route come without gold or reward), and each way a program can fail, with its
// exact message. The programs are small sh scripts (grep and sed), so the tests need no Python.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "adapters/adapter.h"
#include "adapters/exec_protocol.h"
#include "harness/bundle.h"
#include "harness/error.h"
#include "harness/json_quote.h"
#include "harness/run_context.h"
#include "suites/random_suite.h"
#include "tests/adapters/router/topic_bundle.h"
#include "tests/helpers.h"

namespace zooter::adapters {
namespace {

using router::testing::make_topic_bundle;
using router::testing::split_queries;
using router::testing::TopicBundleOptions;

// Copies its input to RECORD (appends, with `append`) and answers "beta" for every query it is
// asked to route.
std::string recording_router(const std::string& record, bool append = false) {
  return std::string("tee ") + (append ? "-a " : "") + record + " | grep '\"kind\": \"route\"' | sed 's/.*\"query\": \\(\"[^\"]*\"\\).*/{\"query\": \\1, "
         "\"model\": \"beta\"}/'";
}

struct ExecSetup {
  explicit ExecSetup(TopicBundleOptions o = {}) : bundle(make_topic_bundle(o)) {
    if (o.train_split) {
      train = split_queries(bundle, 0);
      evaluated = split_queries(bundle, 1);
    } else {
      evaluated = split_queries(bundle, 0);
    }
  }
  std::unique_ptr<Adapter> make(const std::string& spec) const {
    const AdapterContext context{bundle, evaluated, train, "test", train.empty() ? "" : "train",
                                 !train.empty() && bundle.manifest.splits[0].gold_for_training, run};
    return make_adapter(AdapterSpec::parse(spec), context);
  }
  std::string error(const std::string& spec) const {
    try {
      (void)make(spec);
    } catch (const InputError& e) {
      return e.what();
    }
    return "no error";
  }
  Bundle bundle;
  std::vector<std::uint32_t> train, evaluated;
  RunContext run{2};
  test::TempDir dir;
};

TEST(ExecAdapter, RecordingProgramGetsTheDocumentedInputAndNoEvaluatedGoldOrReward) {
  TopicBundleOptions o;
  o.queries_per_topic = 2;  // q0..q3 train, q4 and q5 routed
  const ExecSetup s(o);
  const std::string record = s.dir.file("input.jsonl");
  const std::unique_ptr<Adapter> adapter = s.make("exec@cmd=" + recording_router(record) + ",seed=7");
  const std::vector<std::string> lines = test::split_lines(test::read_file(record));
  ASSERT_EQ(lines.size(), 7u);
  EXPECT_EQ(lines[0],
            "{\"protocol\": \"zooter-exec\", \"version\": 1, \"candidates\": [\"alpha\", \"beta\", \"gamma\"], "
            "\"reward_models\": [\"other-rm\", \"qwen-rm\"], \"cost_unit\": \"dollars\", \"relative_cost\": [1, 1, 1], "
            "\"train_gold\": true, \"train\": 4, \"route\": 2, \"seed\": 7}");
  // A training line: text, tags, every reward model's rewards and the gold (q0 is maths: alpha best).
  EXPECT_EQ(lines[1].substr(0, 31), "{\"kind\": \"train\", \"query\": \"q0\"");
  EXPECT_NE(lines[1].find("\"tags\": [\"maths\"], \"rewards\": {\"other-rm\": {\"alpha\": "), std::string::npos);
  EXPECT_NE(lines[1].find(", \"gold\": {\"alpha\": 0.9, \"beta\": 0.3, \"gamma\": 0.3}}"), std::string::npos);
  // The routed queries: id and text, nothing else.
  for (std::size_t i = 5; i < 7; ++i) {
    const std::uint32_t q = static_cast<std::uint32_t>(i - 1);
    EXPECT_EQ(lines[i], "{\"kind\": \"route\", \"query\": \"q" + std::to_string(q) + "\", \"text\": " +
                            json_quote(s.bundle.queries.text[q]) + "}");
  }
  const std::vector<Decision> decisions = adapter->decide(s.evaluated, s.run);
  ASSERT_EQ(decisions.size(), 2u);
  EXPECT_EQ(decisions[0].answer, 1);
  EXPECT_EQ(decisions[1].answer, 1);
  EXPECT_EQ(adapter->notes()[0],
            "routed by \"" + recording_router(record) + "\" over the zooter-exec protocol, version 1: trained on the "
            "\"train\" split (4 queries, gold and rewards); the queries to route were given by id and text only");
  const auto measured = adapter->measurements();
  ASSERT_EQ(measured.size(), 3u);
  EXPECT_EQ(measured[0], (std::pair<std::string, std::string>{"program runs", "1"}));
  EXPECT_EQ(measured[1].first, "program wall seconds");
  EXPECT_EQ(measured[2].first, "program CPU seconds");
}

// The program's input is formatted in blocks of 2048 lines on the run's threads: 5000 queries
// make three blocks each way, and the bytes must not depend on the thread count.
TEST(ExecAdapter, InputIsTheSameBytesForAnyThreadCount) {
  suites::RandomSuiteOptions options;
  options.queries = 5000;
  const Bundle b = suites::make_random_bundle(options, RunContext(1));
  std::vector<std::uint32_t> train, route;
  for (std::uint32_t q = 0; q < b.query_count(); ++q) (q % 2 == 0 ? train : route).push_back(q);
  const std::vector<double> relative_cost(b.model_count(), 1.0);
  const ExecRequest request{train, true, route, "dollars", relative_cost, 7};
  const std::string one = exec_input(b, request, RunContext(1));
  EXPECT_EQ(one, exec_input(b, request, RunContext(2)));
  EXPECT_EQ(one, exec_input(b, request, RunContext(4)));
  // A header line, then one line per train and per route query, in the order given.
  EXPECT_EQ(static_cast<std::size_t>(std::count(one.begin(), one.end(), '\n')), 1 + train.size() + route.size());
  const std::string last_route = "{\"kind\": \"route\", \"query\": " + json_quote(b.queries.id[route.back()]);
  EXPECT_NE(one.rfind(last_route), std::string::npos);
  EXPECT_EQ(one.find("{\"kind\": \"route\""), one.find("{\"kind\": \"route\", \"query\": " + json_quote(b.queries.id[route[0]])));
}

TEST(ExecAdapter, GoldNotForTrainingIsNotSent) {
  TopicBundleOptions o;
  o.queries_per_topic = 2;
  o.train_gold_usable = false;
  const ExecSetup s(o);
  const std::string record = s.dir.file("input.jsonl");
  (void)s.make("exec@cmd=" + recording_router(record));
  const std::string input = test::read_file(record);
  EXPECT_NE(input.find("\"train_gold\": false"), std::string::npos);
  EXPECT_EQ(input.find("\"gold\""), std::string::npos);
  EXPECT_NE(input.find("\"rewards\""), std::string::npos);
}

TEST(ExecAdapter, WithoutATrainSplitEachFoldIsRoutedByARunThatNeverSawIt) {
  TopicBundleOptions o;
  o.queries_per_topic = 4;
  o.train_split = false;  // twelve queries, all in "test"
  const ExecSetup s(o);
  const std::string record = s.dir.file("input.jsonl");
  const std::unique_ptr<Adapter> adapter = s.make("exec@cmd=" + recording_router(record, true) + ",folds=3");
  EXPECT_EQ(adapter->measurements()[0].second, "3");
  // Three runs appended; each routes 4 queries and trains on the other 8.
  const std::vector<std::string> lines = test::split_lines(test::read_file(record));
  ASSERT_EQ(lines.size(), 3u * 13u);
  for (std::size_t run = 0; run < 3; ++run) {
    SCOPED_TRACE(run);
    std::vector<std::string> trained, routed;
    for (std::size_t i = run * 13 + 1; i < run * 13 + 13; ++i) {
      const std::string id = lines[i].substr(lines[i].find("\"query\": ") + 10, 3);
      (lines[i].find("\"kind\": \"train\"") == 1 ? trained : routed).push_back(id);
    }
    EXPECT_EQ(trained.size(), 8u);
    EXPECT_EQ(routed.size(), 4u);
    for (const std::string& id : routed) EXPECT_EQ(std::count(trained.begin(), trained.end(), id), 0) << id;
  }
  EXPECT_EQ(adapter->decide(s.evaluated, s.run).size(), 12u);
}

TEST(ExecAdapter, EveryFailureOfTheProgramHasItsMessage) {
  TopicBundleOptions o;
  o.queries_per_topic = 2;
  const ExecSetup s(o);
  struct Case {
    const char* what;
    std::string command;
    std::string message;
  };
  const std::string q4 = "{\\\"query\\\": \\\"q4\\\", \\\"model\\\": \\\"beta\\\"}";
  const std::vector<Case> cases = {
      {"crash", "cat >/dev/null; kill -SEGV $$",
       "output of \"cat >/dev/null; kill -SEGV $$\": the program was killed by signal 11 (Segmentation fault)"},
      {"non-zero exit", "cat >/dev/null; echo first >&2; echo reason >&2; exit 3",
       "output of \"cat >/dev/null; echo first >&2; echo reason >&2; exit 3\": the program exited with status 3"
       "\n  stderr: first\n  stderr: reason"},
      {"not found", "./no-such-router", "output of \"./no-such-router\": the program exited with status 127"
                                        "\n  stderr: sh: 1: ./no-such-router: not found"},
      {"garbage", "cat >/dev/null; echo hello; echo '{}'",
       "output of \"cat >/dev/null; echo hello; echo '{}'\":1: column 1: invalid JSON: Invalid value.\n  | hello\n"
       "output of \"cat >/dev/null; echo hello; echo '{}'\":2: \"query\" is missing\n"
       "output of \"cat >/dev/null; echo hello; echo '{}'\":2: \"model\" is missing"},
      {"too few lines", "cat >/dev/null; echo \"" + q4 + "\"",
       "output of \"cat >/dev/null; echo \"" + q4 + "\"\": 1 lines for 2 queries: too few (every query needs one "
       "decision line)"},
      {"a query it was not asked", "cat >/dev/null; echo \"" + q4 + "\"; echo \"" + q4 + "\" | sed s/q4/q0/; echo \"" + q4 + "\" | sed s/q4/q5/",
       "output of \"cat >/dev/null; echo \"" + q4 + "\"; echo \"" + q4 + "\" | sed s/q4/q0/; echo \"" + q4 +
           "\" | sed s/q4/q5/\": 1 decision lines for queries the program was not asked to route"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.what);
    EXPECT_EQ(s.error("exec@cmd=" + c.command), c.message);
  }
}

TEST(ExecAdapter, HangingProgramIsKilledAtTheTimeout) {
  TopicBundleOptions o;
  o.queries_per_topic = 2;
  const ExecSetup s(o);
  EXPECT_EQ(s.error("exec@cmd=sleep 30,timeout=0.3"),
            "output of \"sleep 30\": no answer within 0.3 s (timeout=): the program was killed");
}

TEST(ExecAdapter, MisuseIsAUsageError) {
  const ExecSetup s;
  EXPECT_THROW((void)s.make("exec"), UsageError);
  EXPECT_THROW((void)s.make("exec@cmd=true,timeout=0"), UsageError);
  EXPECT_THROW((void)s.make("exec@cmd=true,folds=3"), UsageError);  // the bundle has a train split
}

}  // namespace
}  // namespace zooter::adapters
