// zooter collect end to end against the in-process fake upstream on 127.0.0.1: every (query,
// candidate) answered once, retries, failures, resume after a crash and after kill -9.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <rapidjson/document.h>

#include <chrono>
#include <map>
#include <sstream>
#include <thread>

#include "tests/support/test_paths.h"
#include "cli/command.h"
#include "live/collector.h"
#include "live/endpoints_file.h"
#include "live/live_progress.h"
#include "live/query_file.h"
#include "tests/helpers.h"
#include "tests/support/fake_upstream.h"

namespace zooter::live {
namespace {

using ::testing::HasSubstr;
using zooter::testing::FakeUpstream;
using zooter::testing::Reply;
using zooter::testing::Request;

struct Fixture {
  test::TempDir dir;
  std::string queries = dir.file("queries.jsonl");
  std::string endpoints = dir.file("endpoints.json");
  std::string out = dir.file("out");

  void write_queries(std::size_t n) {
    std::string text;
    for (std::size_t i = 0; i < n; ++i) {
      text += "{\"id\": \"q" + std::to_string(i) + "\", \"text\": \"question number " + std::to_string(i) + "\"}\n";
    }
    test::write_file(queries, text);
  }
  void write_endpoints(const std::string& base_url, std::size_t concurrency = 2, const std::string& extra = "") {
    test::write_file(endpoints, R"({"candidates": [
      {"name": "alpha", "base_url": ")" + base_url + R"(", "model": "m-alpha", "max_concurrency": )" +
                                    std::to_string(concurrency) + R"(,
       "price_per_million_input": 2, "price_per_million_output": 4, "parameters": 13e9)" + extra + R"(},
      {"name": "beta", "base_url": ")" + base_url + R"(", "model": "m-beta", "max_concurrency": )" +
                                    std::to_string(concurrency) + R"(, "parameters": 7e9)" + extra + R"(}]})");
  }
  CollectOptions options() const {
    CollectOptions o;
    o.out_dir = out;
    o.journal_path = out + "/journal.jsonl";
    o.retry.base_seconds = 0.01;  // fast tests; the policy itself is retry_policy_test's
    o.retry.max_backoff_seconds = 0.05;
    return o;
  }
  CollectSummary run(const CollectOptions& o, std::string* notes_text = nullptr) const {
    std::ostringstream notes;
    const CollectSummary s =
        collect(read_query_file(queries), load_endpoints_file(endpoints).candidates, o, {}, notes);
    if (notes_text) *notes_text = notes.str();
    return s;
  }
  // (query, model) -> parsed output line, checking each pair appears once.
  std::map<std::pair<std::string, std::string>, std::string> output() const {
    std::map<std::pair<std::string, std::string>, std::string> cells;
    for (const std::string& line : test::split_lines(test::read_file(out + "/responses.jsonl"))) {
      rapidjson::Document d;
      d.Parse(line.c_str());
      EXPECT_TRUE(d.IsObject()) << line;
      const auto key = std::make_pair(std::string(d["query"].GetString()), std::string(d["model"].GetString()));
      EXPECT_EQ(cells.count(key), 0u) << "duplicate " << line;
      cells[key] = line;
    }
    return cells;
  }
};

std::string words(std::size_t i) { return "question number " + std::to_string(i); }

TEST(CollectTest, EveryPairOnceWithTextUsageAndCost) {
  FakeUpstream server;
  Fixture f;
  f.write_queries(5);
  f.write_endpoints(server.base_url());
  const CollectSummary s = f.run(f.options());
  EXPECT_EQ(s.total, 10u);
  EXPECT_EQ(s.called, 10u);
  EXPECT_TRUE(s.failed.empty());
  EXPECT_EQ(server.requests_received(), 10u);
  const auto cells = f.output();
  ASSERT_EQ(cells.size(), 10u);
  for (std::size_t i = 0; i < 5; ++i) {
    const std::string q = "q" + std::to_string(i);
    // echo <model>: <3 words>: 3 prompt words, 5 answer words; alpha costs 3 x 2e-6 + 5 x 4e-6.
    rapidjson::Document a;
    a.Parse(cells.at({q, "alpha"}).c_str());
    EXPECT_EQ(std::string(a["text"].GetString()), "echo m-alpha: " + words(i));
    EXPECT_EQ(a["meta"]["input_tokens"].GetInt(), 3);
    EXPECT_EQ(a["output_tokens"].GetInt(), 5);
    EXPECT_DOUBLE_EQ(a["cost"].GetDouble(), 3 * 2e-6 + 5 * 4e-6);
    EXPECT_EQ(a["meta"]["attempts"].GetInt(), 1);
    rapidjson::Document b;
    b.Parse(cells.at({q, "beta"}).c_str());
    EXPECT_EQ(std::string(b["text"].GetString()), "echo m-beta: " + words(i));
    EXPECT_DOUBLE_EQ(b["cost"].GetDouble(), 0.0);
  }
  // The request carried the model and the query as the user message.
  const auto bodies = server.request_bodies();
  EXPECT_THAT(bodies[0], HasSubstr(R"("messages":[{"role":"user","content":"question number)"));
  rapidjson::Document manifest;
  manifest.Parse(test::read_file(f.out + "/manifest.json").c_str());
  EXPECT_EQ(std::string(manifest["gold"].GetString()), "pending");
  EXPECT_EQ(manifest["provenance"]["collected_live"]["responses"].GetInt(), 10);
  // The queries as bundle queries: input_tokens from the servers' prompt_tokens (3 words).
  EXPECT_EQ(test::split_lines(test::read_file(f.out + "/queries.jsonl"))[0],
            R"({"id":"q0","subset":"live","split":"test","text":"question number 0","input_tokens":3})");

  // A second run finds everything in the journal and calls nothing.
  const CollectSummary again = f.run(f.options());
  EXPECT_EQ(again.from_journal, 10u);
  EXPECT_EQ(again.called, 0u);
  EXPECT_EQ(server.requests_received(), 10u);
  EXPECT_EQ(f.output().size(), 10u);
}

TEST(CollectTest, RetriesOn429WithRetryAfter500AndDroppedConnections) {
  FakeUpstream server;
  Fixture f;
  f.write_queries(3);
  f.write_endpoints(server.base_url(), 1);
  server.fail_next(1, 429, 1);  // Retry-After: 1 s is a floor over the 10 ms backoff
  const auto start = std::chrono::steady_clock::now();
  CollectSummary s = f.run(f.options());
  EXPECT_GE(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(950));
  EXPECT_TRUE(s.failed.empty());
  EXPECT_EQ(server.requests_received(), 7u);
  std::filesystem::remove_all(f.out);
  server.fail_next(2, 500);
  s = f.run(f.options());
  EXPECT_TRUE(s.failed.empty());
  EXPECT_EQ(server.requests_received(), 7u + 8u);
  std::filesystem::remove_all(f.out);
  server.drop_next(2);
  s = f.run(f.options());
  EXPECT_TRUE(s.failed.empty());
  EXPECT_EQ(server.requests_received(), 15u + 8u);
  const auto cells = f.output();
  EXPECT_EQ(cells.size(), 6u);
  int retried = 0;
  for (const auto& [key, line] : cells) retried += line.find("\"attempts\":1}") == std::string::npos;
  EXPECT_GE(retried, 1);
}

TEST(CollectTest, BadRequestIsNotRetriedAndARerunRetriesOnlyFailures) {
  FakeUpstream server;
  Fixture f;
  f.write_queries(2);
  f.write_endpoints(server.base_url(), 1);
  server.fail_next(1, 400);
  CollectSummary s = f.run(f.options());
  ASSERT_EQ(s.failed.size(), 1u);
  EXPECT_EQ(s.failed[0].status, 400);
  EXPECT_EQ(s.failed[0].attempts, 1);
  EXPECT_THAT(s.failed[0].error, HasSubstr("HTTP 400"));
  EXPECT_EQ(server.requests_received(), 4u);
  EXPECT_EQ(f.output().size(), 3u);
  s = f.run(f.options());
  EXPECT_TRUE(s.failed.empty());
  EXPECT_EQ(s.from_journal, 3u);
  EXPECT_EQ(s.called, 1u);
  EXPECT_EQ(server.requests_received(), 5u);
  EXPECT_EQ(f.output().size(), 4u);
}

TEST(CollectTest, RetriesAreBoundedByMaxRetries) {
  FakeUpstream server;
  Fixture f;
  f.write_queries(1);
  f.write_endpoints(server.base_url(), 1, R"(, "max_retries": 2)");
  server.fail_next(100, 503);
  const CollectSummary s = f.run(f.options());
  ASSERT_EQ(s.failed.size(), 2u);
  EXPECT_EQ(s.failed[0].attempts, 3);
  EXPECT_EQ(server.requests_received(), 6u);
}

TEST(CollectTest, TimeoutIsAFailureAfterRetries) {
  FakeUpstream server;
  server.set_delay(std::chrono::milliseconds(1500));
  Fixture f;
  f.write_queries(1);
  f.write_endpoints(server.base_url(), 1, R"(, "timeout_seconds": 0.2, "max_retries": 1)");
  const CollectSummary s = f.run(f.options());
  ASSERT_EQ(s.failed.size(), 2u);
  EXPECT_EQ(s.failed[0].error, "timeout after 0.2 s");
  EXPECT_EQ(s.failed[0].attempts, 2);
}

TEST(CollectTest, MalformedOversizedAndUsageFreeAnswers) {
  FakeUpstream server;
  Fixture f;
  f.write_queries(1);
  f.write_endpoints(server.base_url(), 1);
  server.set_handler("/v1/chat/completions", [](const Request& r) {
    if (r.body.find("m-alpha") != std::string::npos) return Reply{200, "application/json", "{\"choices\": 3}", {}};
    return Reply{200, "application/json", R"({"choices":[{"message":{"role":"assistant","content":"hi"}}]})", {}};
  });
  std::string notes;
  CollectSummary s = f.run(f.options(), &notes);
  ASSERT_EQ(s.failed.size(), 1u);
  EXPECT_EQ(s.failed[0].candidate, "alpha");
  EXPECT_EQ(s.failed[0].error, "malformed chat completion: no choices[0]");
  EXPECT_EQ(s.usage_unknown, 1u);
  EXPECT_THAT(notes, HasSubstr("1 responses came without usage token counts"));
  const auto cells = f.output();
  EXPECT_THAT(cells.at({"q0", "beta"}),
              ::testing::StartsWith(R"({"query":"q0","model":"beta","output_tokens":null,"cost":null,"text":"hi","meta":{"input_tokens":null,)"));

  std::filesystem::remove_all(f.out);
  server.set_handler("/v1/chat/completions",
                     [](const Request&) { return Reply{200, "application/json", std::string(5000, ' ') + "{}", {}}; });
  CollectOptions o = f.options();
  o.max_response_bytes = 1000;
  s = f.run(o);
  ASSERT_EQ(s.failed.size(), 2u);
  EXPECT_EQ(s.failed[0].error, "response body larger than 1000 bytes");
  EXPECT_EQ(s.failed[0].attempts, 1);
}

TEST(CollectTest, OverHttpsWithARelativeCaFileOneConnectionPerSlot) {
  FakeUpstream server({.tls = true});
  Fixture f;
  test::write_file(f.dir.file("fake-ca.pem"), server.certificate_pem());
  f.write_queries(4);
  // Relative to the endpoints file's directory, not to the working directory.
  f.write_endpoints(server.base_url(), 1, R"(, "ca_file": "fake-ca.pem")");
  const CollectSummary s = f.run(f.options());
  EXPECT_TRUE(s.failed.empty());
  EXPECT_EQ(s.called, 8u);
  EXPECT_EQ(server.requests_received(), 8u);
  // max_concurrency 1 per candidate: one kept-alive TLS connection each for all four queries.
  EXPECT_EQ(server.connections_accepted(), 2u);
  const auto cells = f.output();
  ASSERT_EQ(cells.size(), 8u);
  for (std::size_t i = 0; i < 4; ++i) {
    rapidjson::Document a;
    a.Parse(cells.at({"q" + std::to_string(i), "alpha"}).c_str());
    EXPECT_EQ(std::string(a["text"].GetString()), "echo m-alpha: " + words(i));
    EXPECT_EQ(a["meta"]["attempts"].GetInt(), 1);
  }
}

TEST(CollectTest, UntrustedCertificateFailsClearlyWithoutRetries) {
  FakeUpstream server({.tls = true});
  Fixture f;
  f.write_queries(2);
  f.write_endpoints(server.base_url(), 1);  // no ca_file: the system store, which lacks the fake
  const CollectSummary s = f.run(f.options());
  ASSERT_EQ(s.failed.size(), 4u);
  for (const CollectedCall& c : s.failed) {
    EXPECT_EQ(c.error, "TLS handshake with " + server.base_url() +
                           " failed: certificate verify failed: self-signed certificate (ca_file in the endpoints "
                           "file names a CA to trust)");
    EXPECT_EQ(c.attempts, 1) << "retrying cannot make a certificate trusted";
    EXPECT_EQ(c.status, 0);
  }
  EXPECT_EQ(server.requests_received(), 0u);
  EXPECT_TRUE(f.output().empty());
}

TEST(CollectTest, CommandLineExitCodes) {
  FakeUpstream server;
  Fixture f;
  f.write_queries(2);
  f.write_endpoints(server.base_url());
  std::ostringstream out, err;
  EXPECT_EQ(cli::run_main({"collect", "--queries", f.queries, "--endpoints", f.endpoints, "--out", f.out, "-q"}, out,
                          err),
            0)
      << err.str();
  EXPECT_THAT(out.str(), HasSubstr("4 responses of 4 written to"));
  std::ostringstream out2, err2;
  EXPECT_EQ(cli::run_main({"collect", "--bundle", "x", "--queries", f.queries, "--endpoints", f.endpoints, "--out",
                           f.out},
                          out2, err2),
            2);
  EXPECT_THAT(err2.str(), HasSubstr("give exactly one of --bundle and --queries"));
  test::write_file(f.endpoints, "{\"candidates\": [}");
  std::ostringstream out3, err3;
  EXPECT_EQ(cli::run_main({"collect", "--queries", f.queries, "--endpoints", f.endpoints, "--out", f.out}, out3, err3),
            1);
  EXPECT_THAT(err3.str(), HasSubstr(f.endpoints + ":1: invalid JSON"));
  server.fail_next(1, 404);
  f.write_endpoints(server.base_url());
  std::filesystem::remove_all(f.out);
  std::ostringstream out4, err4;
  EXPECT_EQ(cli::run_main({"collect", "--queries", f.queries, "--endpoints", f.endpoints, "--out", f.out, "-q"}, out4,
                          err4),
            1);
  EXPECT_THAT(err4.str(), HasSubstr("1 calls failed after retries (a rerun retries only these):"));
}

TEST(CollectTest, ProgressLineShowsRateAndEta) {
  EXPECT_EQ(LiveProgress::line("calls", 12, 40, 0, 2.5, 11.2), "12/40 calls  30%  2.5/s  ETA 11s");
  EXPECT_EQ(LiveProgress::line("calls", 1, 400, 2, 0.0, NAN), "1/400 calls   0%  0.0/s  ETA ?  (2 failed)");
  EXPECT_EQ(LiveProgress::line("scores", 5, 10, 0, 1.0, 95), "5/10 scores  50%  1.0/s  ETA 1m35s");
  EXPECT_EQ(LiveProgress::line("scores", 5, 10, 0, 1.0, 3700), "5/10 scores  50%  1.0/s  ETA 1h01m");
}

std::size_t line_count(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) return 0;
  return test::split_lines(test::read_file(path)).size();
}

TEST(CollectTest, ResumeAfterKillNineLosesAndRepeatsNothing) {
  FakeUpstream server;
  server.set_delay(std::chrono::milliseconds(40));
  Fixture f;
  constexpr std::size_t kQueries = 30;
  constexpr std::size_t kConcurrency = 2;
  f.write_queries(kQueries);
  f.write_endpoints(server.base_url(), kConcurrency);
  const std::string journal = f.out + "/journal.jsonl";
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    ::execl(zooter::test::zooter_binary(), zooter::test::zooter_binary(), "collect", "--queries", f.queries.c_str(), "--endpoints",
            f.endpoints.c_str(), "--out", f.out.c_str(), "-q", static_cast<char*>(nullptr));
    ::_exit(127);
  }
  // Wait until some calls are journaled (header + at least 8 records), then kill it hard.
  for (int i = 0; i < 2000 && line_count(journal) < 9; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  ASSERT_EQ(::kill(child, SIGKILL), 0);
  int status = 0;
  ASSERT_EQ(::waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFSIGNALED(status)) << "finished before the kill: make the fake slower";
  const std::size_t journaled = line_count(journal) - 1;
  const std::size_t total = kQueries * 2;
  ASSERT_LT(journaled, total);
  const std::size_t seen_before_rerun = server.requests_received();

  std::ostringstream out, err;
  ASSERT_EQ(cli::run_main({"collect", "--queries", f.queries, "--endpoints", f.endpoints, "--out", f.out, "-q"}, out,
                          err),
            0)
      << err.str();
  const auto cells = f.output();
  EXPECT_EQ(cells.size(), total);
  // Calls in flight at the kill (at most the concurrency of both candidates) are the only
  // ones made twice.
  EXPECT_LE(server.requests_received(), total + 2 * kConcurrency);
  EXPECT_GE(server.requests_received() - seen_before_rerun, total - journaled);
  EXPECT_THAT(out.str(), HasSubstr(std::to_string(total) + " responses of " + std::to_string(total)));
}

// The queries sent must be UTF-8, each field given once: an error at the line, before any call.
TEST(CollectTest, QueriesFileMustBeUtf8WithoutRepeatedKeys) {
  FakeUpstream server;
  Fixture f;
  f.write_endpoints(server.base_url());
  const std::vector<std::string> command = {"collect", "--queries", f.queries, "--endpoints", f.endpoints,
                                            "--out", f.out, "-q"};
  test::write_file(f.queries, "{\"id\": \"q1\", \"text\": \"fine\"}\n{\"id\": \"q2\", \"text\": \"caf\xC3\"}\n");
  std::ostringstream out, err;
  EXPECT_EQ(cli::run_main(command, out, err), 1);
  EXPECT_EQ(err.str(), f.queries + ":2: invalid JSON at column 26: Invalid encoding in string.\n");
  test::write_file(f.queries, "{\"id\": \"q1\", \"text\": \"one\", \"text\": \"two\"}\n");
  std::ostringstream out2, err2;
  EXPECT_EQ(cli::run_main(command, out2, err2), 1);
  EXPECT_EQ(err2.str(), f.queries + ":1: key \"text\" appears twice in one object (which value is meant?)\n");
  EXPECT_EQ(server.requests_received(), 0u);
}

std::string refusal(const std::string& dir, const std::string& holder) {
  return dir + ": another zooter " + holder +
         " is writing into this directory; wait for it to end, or write into another directory (two runs "
         "into one directory would make every call twice and interleave the journal)\n";
}

// Two `zooter collect` processes into one OUT: the second is refused before any call, the first
// finishes alone, every call is made once and the journal stays whole.
TEST(CollectTest, SecondCollectProcessIntoTheSameOutIsRefused) {
  FakeUpstream server;
  server.set_delay(std::chrono::milliseconds(20));
  Fixture f;
  constexpr std::size_t kQueries = 20;
  f.write_queries(kQueries);
  f.write_endpoints(server.base_url(), 2);
  const std::string journal = f.out + "/journal.jsonl";
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    ::alarm(60);  // bounded whatever happens to the test
    ::execl(zooter::test::zooter_binary(), zooter::test::zooter_binary(), "collect", "--queries", f.queries.c_str(),
            "--endpoints", f.endpoints.c_str(), "--out", f.out.c_str(), "-q", static_cast<char*>(nullptr));
    ::_exit(127);
  }
  for (int i = 0; i < 2000 && line_count(journal) < 3; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  std::ostringstream out, err;
  const int code =
      cli::run_main({"collect", "--queries", f.queries, "--endpoints", f.endpoints, "--out", f.out, "-q"}, out, err);
  const std::size_t seen_at_refusal = server.requests_received();
  int status = 0;
  ASSERT_EQ(::waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "the first collect failed: status " << status;
  EXPECT_EQ(code, 1);
  EXPECT_EQ(err.str(), refusal(f.out, "collect (pid " + std::to_string(child) + ")"));
  EXPECT_LT(seen_at_refusal, kQueries * 2) << "the first collect finished before the second started: make it slower";
  EXPECT_EQ(server.requests_received(), kQueries * 2);  // each call once: the refused run made none
  const std::vector<std::string> lines = test::split_lines(test::read_file(journal));
  ASSERT_EQ(lines.size(), kQueries * 2 + 1);
  for (const std::string& line : lines) {
    rapidjson::Document d;
    d.Parse(line.c_str());
    EXPECT_TRUE(d.IsObject()) << line;
  }
  EXPECT_EQ(f.output().size(), kQueries * 2);
}

// Two collects in one process (threads), one journal given outside OUT to both: the journal
// is locked on its own, so a second OUT does not get around it.
TEST(CollectTest, SecondCollectOfOneJournalIsRefusedEvenIntoAnotherOut) {
  FakeUpstream server;
  server.set_delay(std::chrono::milliseconds(20));
  Fixture f;
  f.write_queries(20);
  f.write_endpoints(server.base_url(), 2);
  const std::string journal = f.dir.file("shared.journal.jsonl");
  CollectOptions first_options = f.options();
  first_options.journal_path = journal;
  CollectSummary first;
  std::thread running([&] { first = f.run(first_options); });
  for (int i = 0; i < 2000 && line_count(journal) < 3; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  std::ostringstream out, err;
  const int code = cli::run_main({"collect", "--queries", f.queries, "--endpoints", f.endpoints, "--out",
                                  f.dir.file("elsewhere"), "--journal", journal, "-q"},
                                 out, err);
  running.join();
  EXPECT_EQ(code, 1);
  EXPECT_EQ(err.str(), journal + ": another zooter run is appending to this journal; wait for it to end, or give "
                                 "another --journal\n");
  EXPECT_TRUE(first.failed.empty());
  EXPECT_EQ(server.requests_received(), 40u);
}

// A damaged journal line in the middle (what two writers used to leave): the rerun names it and
// the repair, and after the repair the rerun makes that one call again and succeeds.
TEST(CollectTest, DamagedMiddleJournalLineIsNamedWithItsRepair) {
  FakeUpstream server;
  Fixture f;
  f.write_queries(3);
  f.write_endpoints(server.base_url());
  ASSERT_TRUE(f.run(f.options()).failed.empty());
  const std::string journal = f.out + "/journal.jsonl";
  std::vector<std::string> lines = test::split_lines(test::read_file(journal));
  ASSERT_EQ(lines.size(), 7u);
  const std::string damaged = "{" + lines[3];  // as two interleaved writers leave it: {{"query":...
  test::replace_line(journal, 4, damaged);
  std::ostringstream out, err;
  const std::vector<std::string> rerun = {"collect", "--queries", f.queries, "--endpoints", f.endpoints,
                                          "--out", f.out, "-q"};
  EXPECT_EQ(cli::run_main(rerun, out, err), 1);
  EXPECT_EQ(err.str(), journal + ":4: invalid JSON at column 2: Missing a name for object member.; 1 line of the "
                                 "journal is damaged (4), which no crash does (two runs writing at once, or an "
                                 "edit): delete that line (sed -i '4d' " +
                           journal + ") and rerun: its call is made again, or delete " + journal +
                           " to start over (every call is made again)\n");
  EXPECT_EQ(server.requests_received(), 6u);
  lines.erase(lines.begin() + 3);  // the repair the message gives
  test::write_file(journal, test::join_lines(lines));
  std::ostringstream out2, err2;
  ASSERT_EQ(cli::run_main(rerun, out2, err2), 0) << err2.str();
  EXPECT_THAT(out2.str(), HasSubstr("(5 from the journal, 1 calls made)"));
  EXPECT_EQ(server.requests_received(), 7u);
  EXPECT_EQ(f.output().size(), 6u);
}

}  // namespace
}  // namespace zooter::live
