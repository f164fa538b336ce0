// zooter collect writes a gold-pending bundle (docs/live-collect.md, "Output"), and the chain
// collect -> score -> gold -> run completes it. Against the in-process fake upstream on
// 127.0.0.1, whose answer to "question number N" from model M is "echo M: question number N"
// with usage counted in words: 3 prompt tokens, 5 completion tokens.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <rapidjson/document.h>

#include <map>
#include <sstream>

#include "cli/command.h"
#include "tests/helpers.h"
#include "tests/support/cli_run.h"
#include "tests/support/fake_upstream.h"

namespace zooter::live {
namespace {

using ::testing::HasSubstr;
using zooter::testing::FakeUpstream;
using zooter::testing::Reply;
using zooter::testing::Request;

using test::zooter;

rapidjson::Document parse(const std::string& text) {
  rapidjson::Document d;
  d.Parse(text.c_str());
  return d;
}

struct Fixture {
  FakeUpstream server;
  test::TempDir dir;
  std::string queries = dir.file("queries.jsonl");
  std::string endpoints = dir.file("endpoints.json");
  std::string out = dir.file("out");

  // alpha: 2 and 4 dollars per million tokens; beta: no prices (0, the endpoints default).
  void write_endpoints(const std::string& alpha_extra = R"(, "parameters": 13e9)",
                       const std::string& beta_extra = R"(, "parameters": 7e9)") {
    test::write_file(endpoints, R"({"candidates": [
      {"name": "alpha", "base_url": ")" + server.base_url() + R"(", "model": "m-alpha",
       "price_per_million_input": 2, "price_per_million_output": 4)" + alpha_extra + R"(},
      {"name": "beta", "base_url": ")" + server.base_url() + R"(", "model": "m-beta")" + beta_extra + R"(}],
      "reward_models": [{"name": "live-rm", "base_url": ")" + server.base_url() + R"(", "shape": "vllm-score"}]})");
  }
};

TEST(CollectBundleTest, QueriesFileGivesAValidGoldPendingBundle) {
  Fixture f;
  f.write_endpoints();
  test::write_file(f.queries,
                   "{\"id\": \"q0\", \"text\": \"question number 0\"}\n"
                   "{\"id\": \"q1\", \"text\": \"question number 1\", \"subset\": \"math\", \"split\": \"train\", "
                   "\"tags\": [\"sums\"], \"input_tokens\": 7, \"note\": \"dropped\"}\n");
  const test::CliRun collect = zooter({"collect", "--queries", f.queries, "--endpoints", f.endpoints, "--out", f.out, "-q"});
  ASSERT_EQ(collect.code, 0) << collect.err;
  EXPECT_THAT(collect.out, HasSubstr("gold pending; next:"));
  const test::CliRun validate = zooter({"validate", f.out});
  ASSERT_EQ(validate.code, 0) << validate.err;
  EXPECT_THAT(validate.out, HasSubstr("valid zooter bundle, suite \"live\": 2 queries, 2 candidates, 0 reward models"));
  EXPECT_THAT(validate.out, HasSubstr("gold pending: 4 responses awaiting gold"));

  // q0: defaults, input_tokens from usage (both candidates say 3); q1: the file's own values.
  EXPECT_EQ(test::read_file(f.out + "/queries.jsonl"),
            R"({"id":"q0","subset":"live","split":"test","text":"question number 0","input_tokens":3})" "\n"
            R"({"id":"q1","subset":"math","split":"train","text":"question number 1","tags":["sums"],"input_tokens":7})" "\n");
  const rapidjson::Document m = parse(test::read_file(f.out + "/manifest.json"));
  EXPECT_EQ(std::string(m["gold"].GetString()), "pending");
  EXPECT_EQ(m["models"][0]["parameters"].GetDouble(), 13e9);
  EXPECT_EQ(m["models"][0]["price_per_million_input"].GetDouble(), 2.0);
  EXPECT_EQ(m["models"][0]["price_per_million_output"].GetDouble(), 4.0);
  EXPECT_EQ(m["models"][1]["price_per_million_output"].GetDouble(), 0.0);
  EXPECT_TRUE(m["reward_models"].Empty());
  EXPECT_FALSE(m["groups"][0]["subsets"][1].HasMember("metric"));  // declared by zooter gold
  EXPECT_EQ(std::string(m["splits"][1]["name"].GetString()), "train");
  const auto& provenance = m["provenance"]["collected_live"];
  EXPECT_EQ(std::string(provenance["candidates"][0]["model"].GetString()), "m-alpha");
  EXPECT_TRUE(provenance["max_tokens"].IsNull());
  const std::string first = test::split_lines(test::read_file(f.out + "/responses.jsonl"))[0];
  EXPECT_THAT(first, ::testing::StartsWith(R"({"query":"q0","model":"alpha","output_tokens":5,"cost":)"));
  const rapidjson::Document r = parse(first);
  EXPECT_DOUBLE_EQ(r["cost"].GetDouble(), 3 * 2e-6 + 5 * 4e-6);
  EXPECT_EQ(std::string(r["text"].GetString()), "echo m-alpha: question number 0");
  EXPECT_EQ(r["meta"]["input_tokens"].GetInt(), 3);
  EXPECT_EQ(r["meta"]["attempts"].GetInt(), 1);
}

TEST(CollectBundleTest, BundleSourceKeepsItsQueriesAndManifest) {
  Fixture f;
  f.write_endpoints("", "");  // parameter counts come from the source bundle's models
  const std::string source = test::copy_tiny_bundle(f.dir, "tiny");
  const test::CliRun collect = zooter({"collect", "--bundle", source, "--endpoints", f.endpoints, "--out", f.out, "--limit",
                              "2", "--max-tokens", "64", "-q"});
  ASSERT_EQ(collect.code, 0) << collect.err;
  const std::vector<std::string> source_queries = test::split_lines(test::read_file(source + "/queries.jsonl"));
  EXPECT_EQ(test::read_file(f.out + "/queries.jsonl"), source_queries[0] + "\n" + source_queries[1] + "\n");
  const test::CliRun validate = zooter({"validate", f.out});
  ASSERT_EQ(validate.code, 0) << validate.err;
  EXPECT_THAT(validate.out, HasSubstr("suite \"tiny\": 2 queries, 2 candidates, 0 reward models, 3 subsets"));
  const rapidjson::Document m = parse(test::read_file(f.out + "/manifest.json"));
  ASSERT_EQ(m["models"].Size(), 2u);
  EXPECT_EQ(m["models"][1]["parameters"].GetDouble(), 7e9);  // tiny's beta
  EXPECT_EQ(std::string(m["groups"][1]["subsets"][0]["metric"]["name"].GetString()), "accuracy");
  EXPECT_EQ(m["provenance"]["collected_live"]["max_tokens"].GetInt(), 64);
  EXPECT_EQ(std::string(m["provenance"]["source_bundle_provenance"]["source"].GetString()),
            "written by hand for zooter's tests and documentation");
}

TEST(CollectBundleTest, CandidateWithoutParameterCountFailsBeforeAnyCall) {
  Fixture f;
  f.write_endpoints(R"(, "parameters": 13e9)", "");
  test::write_file(f.queries, "{\"id\": \"q0\", \"text\": \"question number 0\"}\n");
  const test::CliRun collect = zooter({"collect", "--queries", f.queries, "--endpoints", f.endpoints, "--out", f.out, "-q"});
  EXPECT_EQ(collect.code, 1);
  EXPECT_THAT(collect.err, HasSubstr("candidate \"beta\" has no parameter count: add \"parameters\" to its entry "
                                     "in the endpoints file"));
  EXPECT_EQ(f.server.requests_received(), 0u);
}

// The whole chain on two queries, with gold set by hand:
//   gold      q0   q1   mean
//   alpha     1    0.5  0.75
//   beta      0    1    0.5
// best-single (no train split: chosen on the evaluated queries) is alpha, 0.75; the oracle takes
// the better answer of each query, (1 + 1) / 2 = 1; the reward is the answer's length / 10, and
// alpha's answers are one character longer ("m-alpha" vs "m-beta"), so rmr@live-rm picks alpha
// every time: 0.75.
TEST(CollectBundleTest, CollectScoreGoldRun) {
  Fixture f;
  f.server.set_handler("/v1/score", [](const Request& r) {
    rapidjson::Document d;
    d.Parse(r.body.c_str());
    const double x = static_cast<double>(d["text_2"].GetStringLength()) / 10.0;
    return Reply{200, "application/json", R"({"data":[{"index":0,"object":"score","score":)" + std::to_string(x) + "}]}",
                 {}};
  });
  f.write_endpoints();
  test::write_file(f.queries, "{\"id\": \"q0\", \"text\": \"question number 0\"}\n"
                              "{\"id\": \"q1\", \"text\": \"question number 1\"}\n");
  ASSERT_EQ(zooter({"collect", "--queries", f.queries, "--endpoints", f.endpoints, "--out", f.out, "-q"}).code, 0);

  const test::CliRun refused = zooter({"run", f.out, "-q"});
  EXPECT_EQ(refused.code, 1);
  EXPECT_EQ(refused.err, f.out + ": gold scores are pending (collected live); add them with `zooter gold " + f.out +
                             " --scores FILE` (docs/live-collect.md)\n");

  const test::CliRun score = zooter({"score", f.out, "--endpoints", f.endpoints, "--reward", "live-rm", "--reward-parameters",
                            "7e9", "-q"});
  ASSERT_EQ(score.code, 0) << score.err;
  const test::CliRun still_pending = zooter({"validate", f.out});
  ASSERT_EQ(still_pending.code, 0) << still_pending.err;
  EXPECT_THAT(still_pending.out, HasSubstr("1 reward models"));
  EXPECT_THAT(still_pending.out, HasSubstr("gold pending: 4 responses awaiting gold"));

  // Scored but gold still pending: a new collect would drop the rewards, so it is refused too.
  const test::CliRun over_rewards =
      zooter({"collect", "--queries", f.queries, "--endpoints", f.endpoints, "--out", f.out, "-q"});
  EXPECT_EQ(over_rewards.code, 1);
  EXPECT_THAT(over_rewards.err, HasSubstr("/manifest.json: this bundle has scores of 1 reward model(s) (from `zooter "
                                          "score`), which collect would replace"));

  const std::string scores = f.dir.file("gold.jsonl");
  test::write_file(scores, R"({"query": "q0", "model": "alpha", "gold": 1})" "\n"
                           R"({"query": "q0", "model": "beta", "gold": 0})" "\n"
                           R"({"query": "q1", "model": "beta", "gold": 1})" "\n"
                           R"({"query": "q1", "model": "alpha", "gold": 0.5})" "\n");
  const test::CliRun no_metric = zooter({"gold", f.out, "--scores", scores});
  EXPECT_EQ(no_metric.code, 2);
  EXPECT_THAT(no_metric.err, HasSubstr("without a metric (live): give --metric NAME"));
  const test::CliRun gold = zooter({"gold", f.out, "--scores", scores, "--metric", "judge-pass"});
  ASSERT_EQ(gold.code, 0) << gold.err;
  EXPECT_THAT(gold.out, HasSubstr("4 gold scores written to " + f.out + " (metric \"judge-pass\" declared for 1 subsets)"));

  // Collecting into OUT again would replace the gold and the rewards with a pending bundle:
  // refused before any call, every file left as it was.
  const std::string manifest_before = test::read_file(f.out + "/manifest.json");
  const std::string responses_before = test::read_file(f.out + "/responses.jsonl");
  const std::size_t calls_before = f.server.requests_received();
  const test::CliRun again = zooter({"collect", "--queries", f.queries, "--endpoints", f.endpoints, "--out", f.out, "-q"});
  EXPECT_EQ(again.code, 1);
  EXPECT_EQ(again.err, f.out + "/manifest.json: this bundle has gold scores (from `zooter gold`) and scores of 1 "
                               "reward model(s) (from `zooter score`), which collect would replace with a "
                               "gold-pending bundle without them: collect into another --out, or remove " +
                               f.out + "/manifest.json to collect anew into " + f.out +
                               " and then rerun score and gold (their journals and scores file redo them)\n");
  EXPECT_EQ(f.server.requests_received(), calls_before);
  EXPECT_EQ(test::read_file(f.out + "/manifest.json"), manifest_before);
  EXPECT_EQ(test::read_file(f.out + "/responses.jsonl"), responses_before);

  const std::string reports = f.dir.file("reports");
  const test::CliRun run = zooter({"run", f.out, "--adapter", "best-single", "--adapter", "oracle", "--adapter", "rmr@live-rm",
                          "--adapter", "single@beta", "--bootstrap", "0", "--threads", "1", "-q", "--out", reports,
                          "--format", "json"});
  ASSERT_EQ(run.code, 0) << run.err;
  const rapidjson::Document report = parse(test::read_file(reports + "/report.json"));
  std::map<std::string, double> average;
  for (const auto& a : report["results"]["adapters"].GetArray()) {
    average[a["name"].GetString()] = a["groups"]["live"]["average"].GetDouble();
  }
  EXPECT_DOUBLE_EQ(average.at("best-single"), 0.75);
  EXPECT_DOUBLE_EQ(average.at("oracle"), 1.0);
  EXPECT_DOUBLE_EQ(average.at("rmr@live-rm"), 0.75);
  EXPECT_DOUBLE_EQ(average.at("single@beta"), 0.5);
}

}  // namespace
}  // namespace zooter::live
