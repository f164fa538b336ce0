// zooter score end to end against the fake upstream's extra routes on 127.0.0.1, one test per
// request shape, plus retries and resume.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <rapidjson/document.h>

#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <sstream>
#include <thread>

#include "harness/bundle.h"
#include "harness/bundle_loader.h"
#include "cli/command.h"
#include "live/scorer.h"
#include "tests/helpers.h"
#include "tests/support/cli_run.h"
#include "tests/support/fake_upstream.h"

namespace zooter::live {
namespace {

using ::testing::HasSubstr;
using zooter::testing::FakeUpstream;
using zooter::testing::Reply;
using zooter::testing::Request;

// A reward that can be worked out by hand: the length of the response text / 10.
double expected_reward(const std::string& response) { return static_cast<double>(response.size()) / 10.0; }

void add_reward_routes(FakeUpstream& server) {
  server.set_handler("/v1/score", [](const Request& r) {
    rapidjson::Document d;
    d.Parse(r.body.c_str());
    const double x = expected_reward(d["text_2"].GetString());
    return Reply{200, "application/json",
                 R"({"id":"score-1","object":"list","model":")" + std::string(d["model"].GetString()) +
                     R"(","data":[{"index":0,"object":"score","score":)" + std::to_string(x) + "}]}",
                 {}};
  });
  server.set_handler("/predict", [](const Request& r) {
    rapidjson::Document d;
    d.Parse(r.body.c_str());
    if (!d["raw_scores"].GetBool()) return Reply{422, "application/json", "{}", {}};
    const double x = expected_reward(d["inputs"][0][1].GetString());
    return Reply{200, "application/json", R"([[{"score":)" + std::to_string(x) + R"(,"label":"LABEL_0"}]])", {}};
  });
  // vLLM serves /classify at the server root. Two labels, the reward being the second one's, so
  // that reading the wrong entry shows: probs are [-reward, reward].
  server.set_handler("/classify", [](const Request& r) {
    rapidjson::Document d;
    d.Parse(r.body.c_str());
    const auto& messages = d["messages"];
    if (messages.Size() != 2 || std::string(messages[0]["role"].GetString()) != "user" ||
        std::string(messages[1]["role"].GetString()) != "assistant") {
      return Reply{400, "application/json", "{}", {}};
    }
    const std::string x = std::to_string(expected_reward(messages[1]["content"].GetString()));
    return Reply{200, "application/json",
                 R"({"id":"classify-1","object":"list","created":1745383213,"model":")" +
                     std::string(d["model"].GetString()) + R"(","data":[{"index":0,"label":"LABEL_1","probs":[-)" +
                     x + "," + x + R"(],"num_classes":2}],"usage":{"prompt_tokens":10,"total_tokens":10}})",
                 {}};
  });
}

using test::zooter;

void check_rewards(const std::string& dir, const std::string& reward, std::size_t reward_index) {
  LoadOptions options;
  options.with_text = true;
  const Bundle b = load_bundle(dir, options);
  ASSERT_EQ(b.manifest.reward_models.size(), reward_index + 1);
  EXPECT_EQ(b.manifest.reward_models[reward_index].name, reward);
  for (std::size_t q = 0; q < b.query_count(); ++q) {
    for (std::size_t m = 0; m < b.model_count(); ++m) {
      const std::string& text = b.responses.text[b.responses.cell(q, m)];
      EXPECT_NEAR(b.reward(reward_index, q, m), expected_reward(text), 1e-6) << text;
    }
  }
}

TEST(ScoreTest, VllmScoreShapeFillsEveryRewardIntoABundle) {
  FakeUpstream server;
  add_reward_routes(server);
  test::TempDir dir;
  const std::string bundle = test::copy_tiny_bundle(dir);
  const std::string endpoints = dir.file("endpoints.json");
  test::write_file(endpoints, R"({"reward_models": [{"name": "live-rm", "base_url": ")" + server.base_url() +
                                  R"(", "model": "org/rm", "shape": "vllm-score", "max_concurrency": 3}]})");
  const std::string out = dir.file("scored");
  const test::CliRun r = zooter({"score", bundle, "--endpoints", endpoints, "--reward", "live-rm", "--out", out,
                             "--reward-parameters", "7e9", "-q"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("27 rewards \"live-rm\" written to"));
  EXPECT_EQ(server.requests_received(), 27u);
  EXPECT_THAT(server.request_bodies()[0], HasSubstr(R"({"model":"org/rm","text_1":")"));
  check_rewards(out, "live-rm", 1);
  // The existing reward is kept.
  EXPECT_THAT(test::read_file(out + "/responses.jsonl"), HasSubstr(R"("rewards":{"judge-rm":0.9,"live-rm":)"));
  // Resumed: nothing left to call.
  const test::CliRun again = zooter({"score", bundle, "--endpoints", endpoints, "--reward", "live-rm", "--out", out,
                                 "--reward-parameters", "7e9", "-q"});
  ASSERT_EQ(again.code, 0) << again.err;
  EXPECT_THAT(again.out, HasSubstr("(27 from the journal, 0 calls made)"));
  EXPECT_EQ(server.requests_received(), 27u);
  // The identity of this shape has no label_index, as before vllm-classify: older journals stay valid.
  const std::string journal = test::read_file(out + "/score-live-rm.journal.jsonl");
  EXPECT_THAT(journal.substr(0, journal.find('\n')),
              HasSubstr(R"("shape":"vllm-score","model":"org/rm","base_url":")" + server.base_url() + R"("})"));
}

std::size_t lines_in(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) return 0;
  return test::split_lines(test::read_file(path)).size();
}

std::string refusal(const std::string& dir, const std::string& holder) {
  return dir + ": another zooter " + holder +
         " is writing into this directory; wait for it to end, or write into another directory (two runs "
         "into one directory would make every call twice and interleave the journal)\n";
}

// Two writers of one bundle: a second score (another reward, in place) or a collect into it
// while a score runs is refused before it reads or calls anything; the first finishes alone and
// its rewards are all there.
TEST(ScoreTest, SecondWriterOfTheSameBundleIsRefusedWhileAScoreRuns) {
  FakeUpstream server;
  add_reward_routes(server);
  server.set_delay(std::chrono::milliseconds(30));
  test::TempDir dir;
  const std::string bundle = test::copy_tiny_bundle(dir);
  const std::string endpoints = dir.file("endpoints.json");
  test::write_file(endpoints, R"({"reward_models": [
      {"name": "live-rm", "base_url": ")" + server.base_url() + R"(", "shape": "vllm-score", "max_concurrency": 2},
      {"name": "other-rm", "base_url": ")" + server.base_url() + R"(", "shape": "vllm-score"}],
    "candidates": [{"name": "alpha", "base_url": ")" + server.base_url() + R"(", "parameters": 1e9}]})");
  test::CliRun first;
  std::thread running([&] {
    first = zooter({"score", bundle, "--endpoints", endpoints, "--reward", "live-rm", "--reward-parameters", "7e9",
                    "-q"});
  });
  const std::string journal = bundle + "/score-live-rm.journal.jsonl";
  for (int i = 0; i < 2000 && lines_in(journal) < 3; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  const std::string holder = "score (pid " + std::to_string(::getpid()) + ")";
  const test::CliRun second = zooter({"score", bundle, "--endpoints", endpoints, "--reward", "other-rm",
                                      "--reward-parameters", "1e9", "-q"});
  const test::CliRun collect = zooter({"collect", "--bundle", bundle, "--endpoints", endpoints, "--out", bundle, "-q"});
  running.join();
  ASSERT_GE(lines_in(journal), 3u) << "the first score never journaled a call";
  EXPECT_EQ(second.code, 1);
  EXPECT_EQ(second.err, refusal(bundle, holder));
  EXPECT_EQ(collect.code, 1);
  EXPECT_EQ(collect.err, refusal(bundle, holder));
  ASSERT_EQ(first.code, 0) << first.err;
  EXPECT_EQ(server.requests_received(), 27u);  // the refused runs called nothing
  EXPECT_FALSE(std::filesystem::exists(bundle + "/score-other-rm.journal.jsonl"));
  check_rewards(bundle, "live-rm", 1);
  // Afterwards the other reward is welcome, and both rewards stay.
  const test::CliRun later = zooter({"score", bundle, "--endpoints", endpoints, "--reward", "other-rm",
                                     "--reward-parameters", "1e9", "-q"});
  ASSERT_EQ(later.code, 0) << later.err;
  check_rewards(bundle, "other-rm", 2);
}

// A reward server whose first two calls fail with 503 (so the retries are exercised), a copy of
// the tiny bundle to score and where its endpoints file goes; the server root is `base`.
struct RetryingRewardServer {
  RetryingRewardServer() {
    add_reward_routes(server);
    server.fail_next(2, 503, 0);
  }
  FakeUpstream server;
  test::TempDir dir;
  std::string bundle = test::copy_tiny_bundle(dir);
  std::string endpoints = dir.file("endpoints.json");
  std::string base = "http://127.0.0.1:" + std::to_string(server.port());
};

TEST(ScoreTest, TeiPredictShapeWithRetries) {
  RetryingRewardServer fixture;
  FakeUpstream& server = fixture.server;
  const std::string &bundle = fixture.bundle, &endpoints = fixture.endpoints, &base = fixture.base;
  test::write_file(endpoints, R"({"reward_models": [{"name": "tei-rm", "base_url": ")" + base +
                                  R"(", "shape": "tei-predict", "max_concurrency": 1}]})");
  const test::CliRun r = zooter({"score", bundle, "--endpoints", endpoints, "--reward", "tei-rm", "--reward-parameters",
                             "1e9", "-q"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(server.requests_received(), 29u);
  EXPECT_THAT(server.request_bodies().back(), HasSubstr(R"(,"raw_scores":true})"));
  check_rewards(bundle, "tei-rm", 1);
  // Scored in place: the same command again finds its journal and calls nothing.
  const test::CliRun again = zooter({"score", bundle, "--endpoints", endpoints, "--reward", "tei-rm", "-q"});
  ASSERT_EQ(again.code, 0) << again.err;
  EXPECT_THAT(again.out, HasSubstr("(27 from the journal, 0 calls made)"));
  EXPECT_EQ(server.requests_received(), 29u);
}

TEST(ScoreTest, VllmClassifyShapeReadsTheLabelIndexWithRetries) {
  RetryingRewardServer fixture;
  FakeUpstream& server = fixture.server;
  const std::string &bundle = fixture.bundle, &endpoints = fixture.endpoints, &base = fixture.base;
  auto write_endpoints = [&](int label_index) {
    test::write_file(endpoints, R"({"reward_models": [{"name": "cls-rm", "base_url": ")" + base +
                                    R"(", "model": "org/rm", "shape": "vllm-classify", "label_index": )" +
                                    std::to_string(label_index) + "}]}");
  };
  write_endpoints(1);
  const std::string out = fixture.dir.file("scored");
  const test::CliRun r = zooter({"score", bundle, "--endpoints", endpoints, "--reward", "cls-rm", "--out", out,
                                 "--reward-parameters", "2e9", "-q"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("27 rewards \"cls-rm\" written to"));
  EXPECT_EQ(server.requests_received(), 29u);  // 27 and the 2 answered 503
  EXPECT_THAT(server.request_bodies().back(),
              HasSubstr(R"({"model":"org/rm","messages":[{"role":"user","content":")"));
  EXPECT_EQ(server.requests().back().target, "/classify");
  check_rewards(out, "cls-rm", 1);
  const std::string journal_path = out + "/score-cls-rm.journal.jsonl";
  const std::string journal = test::read_file(journal_path);
  EXPECT_THAT(journal.substr(0, journal.find('\n')),
              HasSubstr(R"("shape":"vllm-classify","model":"org/rm","base_url":")" + base + R"(","label_index":1})"));
  // Resumed: nothing left to call.
  const test::CliRun again = zooter({"score", bundle, "--endpoints", endpoints, "--reward", "cls-rm", "--out", out,
                                     "--reward-parameters", "2e9", "-q"});
  ASSERT_EQ(again.code, 0) << again.err;
  EXPECT_THAT(again.out, HasSubstr("(27 from the journal, 0 calls made)"));
  EXPECT_EQ(server.requests_received(), 29u);
  // Another label is another reward: the journal of label 1 is not reused for label 0.
  write_endpoints(0);
  const test::CliRun other = zooter({"score", bundle, "--endpoints", endpoints, "--reward", "cls-rm", "--out", out,
                                     "--reward-parameters", "2e9", "-q"});
  EXPECT_EQ(other.code, 1);
  EXPECT_THAT(other.err, HasSubstr("this journal belongs to another job"));
  EXPECT_EQ(server.requests_received(), 29u);
  EXPECT_EQ(test::read_file(journal_path), journal);
}

TEST(ScoreTest, MalformedAnswersFailAndWriteNothing) {
  FakeUpstream server;
  server.set_handler("/v1/score", [](const Request&) { return Reply{200, "application/json", R"({"data":[]})", {}}; });
  test::TempDir dir;
  const std::string bundle = test::copy_tiny_bundle(dir);
  const std::string before = test::read_file(bundle + "/responses.jsonl");
  const std::string endpoints = dir.file("endpoints.json");
  test::write_file(endpoints, R"({"reward_models": [{"name": "rm", "base_url": ")" + server.base_url() +
                                  R"(", "shape": "vllm-score"}]})");
  const test::CliRun r = zooter({"score", bundle, "--endpoints", endpoints, "--reward", "rm", "--reward-parameters",
                             "1e9", "-q"});
  EXPECT_EQ(r.code, 1);
  EXPECT_THAT(r.err, HasSubstr("27 of 27 reward calls failed after retries; nothing written"));
  EXPECT_THAT(r.err, HasSubstr("malformed vllm-score answer"));
  EXPECT_EQ(test::read_file(bundle + "/responses.jsonl"), before);
  EXPECT_EQ(server.requests_received(), 27u);  // not retried: asking again gets the same answer
}

TEST(ScoreTest, MalformedClassifyAnswersFailWithoutRetries) {
  FakeUpstream server;
  // One label where label_index asks for the second.
  server.set_handler("/classify", [](const Request&) {
    return Reply{200, "application/json", R"({"data":[{"index":0,"probs":[0.5],"num_classes":1}]})", {}};
  });
  test::TempDir dir;
  const std::string bundle = test::copy_tiny_bundle(dir);
  const std::string before = test::read_file(bundle + "/responses.jsonl");
  const std::string endpoints = dir.file("endpoints.json");
  test::write_file(endpoints, R"({"reward_models": [{"name": "rm", "base_url": "http://127.0.0.1:)" +
                                  std::to_string(server.port()) +
                                  R"(", "shape": "vllm-classify", "label_index": 1}]})");
  const test::CliRun r = zooter({"score", bundle, "--endpoints", endpoints, "--reward", "rm", "--reward-parameters",
                                 "1e9", "-q"});
  EXPECT_EQ(r.code, 1);
  EXPECT_THAT(r.err, HasSubstr("27 of 27 reward calls failed after retries; nothing written"));
  EXPECT_THAT(r.err, HasSubstr("after 1 attempts: malformed vllm-classify answer: label_index 1 but data[0].probs "
                               "has 1 entries"));
  EXPECT_EQ(server.requests_received(), 27u);
  EXPECT_EQ(test::read_file(bundle + "/responses.jsonl"), before);
}

TEST(ScoreTest, UsageErrors) {
  test::TempDir dir;
  const std::string bundle = test::copy_tiny_bundle(dir);
  const std::string endpoints = dir.file("endpoints.json");
  test::write_file(endpoints, R"({"reward_models": [{"name": "rm", "base_url": "http://127.0.0.1:9/v1",
                                   "shape": "vllm-score"}]})");
  const test::CliRun r = zooter({"score", bundle, "--endpoints", endpoints, "--reward", "other"});
  EXPECT_EQ(r.code, 2);
  EXPECT_THAT(r.err, HasSubstr("--reward other: " + endpoints + " has no such entry in \"reward_models\""));
  // Checked before any call (nothing listens on port 9 of 127.0.0.1 anyway).
  const test::CliRun missing = zooter({"score", bundle, "--endpoints", endpoints, "--reward", "rm", "-q"});
  EXPECT_EQ(missing.code, 2);
  EXPECT_THAT(missing.err, HasSubstr("reward model \"rm\" is new to " + bundle +
                                     "/manifest.json: give --reward-parameters"));
}

TEST(ScoreTest, RequestShapesAreExact) {
  RewardEndpoint e;
  e.model = "m";
  e.shape = "vllm-score";
  EXPECT_EQ(reward_route(e), "/score");
  EXPECT_EQ(reward_body(e, "q", "a"), R"({"model":"m","text_1":"q","text_2":"a"})");
  std::string error;
  EXPECT_EQ(read_reward(e, R"({"data":[{"index":0,"object":"score","score":0.25}]})", error), 0.25);
  EXPECT_EQ(read_reward(e, R"({"data":[{"score":"x"}]})", error), std::nullopt);
  e.shape = "tei-predict";
  EXPECT_EQ(reward_route(e), "/predict");
  EXPECT_EQ(reward_body(e, "q", "a"), R"({"inputs":[["q","a"]],"raw_scores":true})");
  EXPECT_EQ(read_reward(e, R"([[{"score":-1.5,"label":"LABEL_0"}]])", error), -1.5);
  EXPECT_EQ(read_reward(e, R"([{"score":2,"label":"LABEL_0"}])", error), 2.0);
  EXPECT_EQ(read_reward(e, R"([])", error), std::nullopt);
  e.shape = "vllm-classify";
  EXPECT_EQ(reward_route(e), "/classify");
  EXPECT_EQ(reward_body(e, "q", "a"),
            R"({"model":"m","messages":[{"role":"user","content":"q"},{"role":"assistant","content":"a"}]})");
  EXPECT_EQ(read_reward(e,
                        R"({"id":"classify-1","object":"list","created":1745383213,"model":"m",)"
                        R"("data":[{"index":0,"label":"LABEL_0","probs":[0.25],"num_classes":1}],)"
                        R"("usage":{"prompt_tokens":10,"total_tokens":10,"completion_tokens":0}})",
                        error),
            0.25);
  e.label_index = 1;
  EXPECT_EQ(read_reward(e, R"({"data":[{"index":0,"probs":[0.1,0.9],"num_classes":2}]})", error), 0.9);
  const std::pair<std::string, std::string> malformed[] = {
      {R"({"data":[{"index":0,"label":"LABEL_0","num_classes":2}]})", "is not an array of finite numbers"},
      {R"({"data":[{"index":0,"probs":0.9,"num_classes":1}]})", "is not an array of finite numbers"},
      {R"({"data":[{"index":0,"probs":[0.9],"num_classes":1}]})", "label_index 1 but data[0].probs has 1 entries"},
      {R"({"data":[{"index":0,"probs":[0.1,"0.9"],"num_classes":2}]})", "is not an array of finite numbers"},
      {R"({"data":[]})", "is not an array of finite numbers"},
      {R"([{"probs":[0.1,0.9]}])", "is not an array of finite numbers"},
      {R"({"data":[{"probs":[0.1,0.9)", "invalid JSON"},
  };
  for (const auto& [body, why] : malformed) {
    SCOPED_TRACE(body);
    error.clear();
    EXPECT_EQ(read_reward(e, body, error), std::nullopt);
    EXPECT_THAT(error, HasSubstr("malformed vllm-classify answer: "));
    EXPECT_THAT(error, HasSubstr(why));
  }
  // A string elsewhere in probs than at label_index is malformed too: the array must be numbers.
  e.label_index = 0;
  EXPECT_EQ(read_reward(e, R"({"data":[{"probs":[0.1,"x"]}]})", error), std::nullopt);
  EXPECT_THAT(error, HasSubstr("malformed vllm-classify answer"));
}

}  // namespace
}  // namespace zooter::live
