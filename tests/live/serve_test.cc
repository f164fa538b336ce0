// zooter serve's proxy against fake upstreams, all on 127.0.0.1: routing, pass-through (SSE
// byte for byte), auth, limits, upstream failures, metrics and graceful shutdown.
#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <future>
#include <optional>
#include <sstream>
#include <string>
#include <thread>

#include "adapters/router/router.h"
#include "harness/error.h"
#include "live/chat_request.h"
#include "live/metrics.h"
#include "live/proxy_server.h"
#include "live/url.h"
#include "harness/run_context.h"
#include "tests/adapters/router/topic_bundle.h"
#include "tests/helpers.h"
#include "tests/support/fake_upstream.h"
#include "tests/support/scripted_upstream.h"

namespace zooter::live {
namespace {

using namespace std::chrono_literals;
using testing::FakeUpstream;
using testing::LoopbackResponse;
using testing::loopback_exchange;
using testing::loopback_request;
using testing::ScriptedReply;
using testing::ScriptedUpstream;

CandidateEndpoint candidate(const std::string& name, unsigned short port, const std::string& model = "") {
  CandidateEndpoint c;
  c.name = name;
  c.base_url = parse_url("http://127.0.0.1:" + std::to_string(port) + "/v1");
  c.model = model.empty() ? name + "-model" : model;
  c.api_key = "key-" + name;
  c.timeout_seconds = 5;
  return c;
}

// A candidate on a TLS fake, trusting its certificate through `ca_file` ("" : the system store).
CandidateEndpoint https_candidate(const std::string& name, const FakeUpstream& upstream, const std::string& ca_file) {
  CandidateEndpoint c = candidate(name, upstream.port());
  c.base_url = parse_url(upstream.base_url());
  c.ca_file = ca_file;
  return c;
}

// The bytes a fake upstream answers to `body`: what a client must get through the proxy.
std::string direct_answer(const std::string& body) {
  const testing::Request request{"POST", "/v1/chat/completions", {}, body};
  if (body.find(R"("stream":true)") == std::string::npos) return testing::fake_chat_completion(request).body;
  std::string events;
  for (const std::string& event : testing::fake_chat_completion_events(request)) events += event;
  return events;
}

// A port with nothing listening: bound, then closed.
unsigned short dead_port() {
  boost::asio::io_context io;
  boost::asio::ip::tcp::acceptor acceptor(io, {boost::asio::ip::make_address("127.0.0.1"), 0});
  return acceptor.local_endpoint().port();
}

std::string chat_body(const std::string& model, const std::string& text, bool stream = false) {
  return R"({"model":)" + json_quote(model) + (stream ? R"(,"stream":true)" : "") +
         R"(,"messages":[{"role":"user","content":)" + json_quote(text) + "}]}";
}

// Two fake upstreams ("alpha" on a, "beta" on b) behind a proxy; every request that names no
// model goes to "alpha".
class ServeTest : public ::testing::Test {
 protected:
  void start(ProxyConfig config = {}, std::vector<CandidateEndpoint> extra = {}, RouteFunction route = {}) {
    config.listen_port = 0;
    std::vector<CandidateEndpoint> candidates = {candidate("alpha", a.port()), candidate("beta", b.port())};
    for (auto& c : extra) candidates.push_back(std::move(c));
    if (!route) route = [](std::string_view) { return std::size_t{0}; };
    server.emplace(config, std::move(candidates), route, &access_log);
    server->start();
  }
  void TearDown() override { server.reset(); }

  LoopbackResponse post(const std::string& body, std::vector<std::pair<std::string, std::string>> headers = {},
                        std::chrono::milliseconds timeout = 10s) {
    return loopback_request(server->port(), "POST", "/v1/chat/completions", body, headers, timeout);
  }
  // POSTs `body` for a streamed answer from `upstream`, which holds it after its first event
  // (hold_streams_after_first_event) and is released only once the first byte of the answer
  // has reached the client: a proxy that buffered the answer would never complete it.
  LoopbackResponse post_released_by_first_byte(const std::string& body, FakeUpstream& upstream) {
    upstream.hold_streams_after_first_event();
    return loopback_request(server->port(), "POST", "/v1/chat/completions", body, {}, 10s,
                            [&upstream] { upstream.release(); });
  }
  // Waits (up to 2 s) until the metrics exposition holds `line`.
  void wait_for_metric(const std::string& line) {
    for (int i = 0; i < 400 && server->metrics().exposition().find(line) == std::string::npos; ++i) {
      std::this_thread::sleep_for(5ms);
    }
  }
  LoopbackResponse get(const std::string& target, std::vector<std::pair<std::string, std::string>> headers = {}) {
    return loopback_request(server->port(), "GET", target, "", headers);
  }
  void expect_serving() {
    const LoopbackResponse r = post(chat_body("beta", "still there?"));
    EXPECT_EQ(r.status, 200) << r.error << r.body;
  }

  // The access log's lines; read it only once the server has stopped (the workers write it).
  std::vector<std::string> access_log_lines() const {
    std::vector<std::string> lines;
    std::istringstream in(access_log.str());
    for (std::string line; std::getline(in, line);) lines.push_back(line);
    return lines;
  }

  FakeUpstream a;
  FakeUpstream b;
  std::ostringstream access_log;  // outlives the server, which writes it
  std::optional<ProxyServer> server;
};

TEST_F(ServeTest, RoutesByModelNameAndPassesTheAnswerThrough) {
  start();
  const std::string body = chat_body("beta", "hello there");
  const LoopbackResponse r = post(body);
  ASSERT_TRUE(r.complete) << r.error;
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.header("x-zooter-model"), "beta");
  EXPECT_EQ(r.header("content-type"), "application/json");
  ASSERT_EQ(b.requests_received(), 1u);
  EXPECT_EQ(a.requests_received(), 0u);
  // The upstream got the body with only the model replaced, and the candidate's key.
  const testing::Request sent = b.requests().at(0);
  EXPECT_EQ(sent.body, chat_body("beta-model", "hello there"));
  EXPECT_EQ(sent.header("authorization"), "Bearer key-beta");
  EXPECT_EQ(sent.target, "/v1/chat/completions");
  // The client got exactly what the upstream answers to that body.
  const LoopbackResponse direct = loopback_request(b.port(), "POST", "/v1/chat/completions", sent.body);
  EXPECT_EQ(r.body, direct.body);
  EXPECT_EQ(r.header("content-length"), direct.header("content-length"));
}

TEST_F(ServeTest, AutoAndMissingModelGoToTheRoutersPick) {
  namespace router = adapters::router;
  const Bundle bundle = router::testing::make_topic_bundle();
  router::RouterOptions options;
  options.reward = "qwen-rm";
  options.featuriser.dimension = 1u << 10;
  options.trainer.epochs = 3;
  const std::vector<std::uint32_t> train = router::testing::split_queries(bundle, 0);
  const auto trained = std::make_shared<const router::Router>(
      router::train_router({bundle, train, true, "split train"}, options, RunContext(1)));
  ASSERT_EQ(trained->candidates(), (std::vector<std::string>{"alpha", "beta", "gamma"}));
  FakeUpstream c;
  start({}, {candidate("gamma", c.port())}, [trained](std::string_view text) { return trained->route(text); });
  const std::string code_text = "python function compile bug loop array";
  const std::string poem_text = "poem rhyme verse sonnet moon haiku";
  const std::string expected_code = trained->candidates()[trained->route(code_text)];
  const std::string expected_poem = trained->candidates()[trained->route(poem_text)];
  EXPECT_EQ(expected_code, "beta");  // the topic bundle's best candidate for code
  EXPECT_EQ(expected_poem, "gamma");
  EXPECT_EQ(post(chat_body("auto", code_text)).header("x-zooter-model"), expected_code);
  const LoopbackResponse no_model =
      post(R"({"messages":[{"role":"user","content":)" + json_quote(poem_text) + "}]}");
  EXPECT_EQ(no_model.header("x-zooter-model"), expected_poem);
  ASSERT_EQ(c.requests_received(), 1u);
  EXPECT_EQ(c.request_bodies().at(0).substr(0, 23), R"({"model":"gamma-model",)");
  const std::string text = server->metrics().exposition();
  EXPECT_NE(text.find("zooter_routed_requests_total{model=\"beta\",by=\"router\"} 1\n"), std::string::npos) << text;
  EXPECT_NE(text.find("zooter_routed_requests_total{model=\"gamma\",by=\"router\"} 1\n"), std::string::npos) << text;
}

TEST_F(ServeTest, StreamsServerSentEventsByteForByteAsTheyArrive) {
  start();
  const std::string body = chat_body("alpha", "one two three four five", true);
  // The upstream sends the rest only once the first event has reached the client (see
  // post_released_by_first_byte): a complete answer shows the proxy relays events as they come.
  const LoopbackResponse through = post_released_by_first_byte(body, a);
  ASSERT_TRUE(through.complete) << through.error;
  EXPECT_EQ(through.status, 200);
  EXPECT_EQ(through.header("content-type"), "text/event-stream");
  EXPECT_EQ(through.header("x-zooter-model"), "alpha");
  const LoopbackResponse direct =
      loopback_request(a.port(), "POST", "/v1/chat/completions", a.request_bodies().at(0));
  ASSERT_TRUE(direct.complete);
  EXPECT_EQ(through.body, direct.body);  // the event bytes, chunk framing removed
  EXPECT_EQ(through.body.substr(through.body.size() - 14), "data: [DONE]\n\n");
}

TEST_F(ServeTest, BearerTokenIsRequiredExceptForHealthz) {
  ProxyConfig config;
  config.auth_token = "s3cret";
  start(config);
  const std::string body = chat_body("alpha", "hi");
  const LoopbackResponse none = post(body);
  EXPECT_EQ(none.status, 401);
  EXPECT_EQ(none.header("www-authenticate"), "Bearer");
  EXPECT_NE(none.body.find(R"("code":"invalid_api_key")"), std::string::npos) << none.body;
  EXPECT_EQ(post(body, {{"Authorization", "Bearer s3cre"}}).status, 401);
  EXPECT_EQ(post(body, {{"Authorization", "Basic s3cret"}}).status, 401);
  EXPECT_EQ(get("/metrics").status, 401);
  EXPECT_EQ(get("/v1/models").status, 401);
  EXPECT_EQ(a.requests_received(), 0u);
  EXPECT_EQ(get("/healthz").status, 200);
  EXPECT_EQ(post(body, {{"Authorization", "Bearer s3cret"}}).status, 200);
  EXPECT_EQ(get("/metrics", {{"Authorization", "Bearer s3cret"}}).status, 200);
}

TEST_F(ServeTest, OversizedBodyIs413AndServingGoesOn) {
  ProxyConfig config;
  config.max_body_bytes = 4096;
  start(config);
  const LoopbackResponse r = post(chat_body("alpha", std::string(100000, 'x')));
  ASSERT_TRUE(r.complete) << r.error;
  EXPECT_EQ(r.status, 413);
  EXPECT_NE(r.body.find("request body exceeds 4096 bytes"), std::string::npos) << r.body;
  EXPECT_EQ(a.requests_received(), 0u);
  expect_serving();
}

TEST_F(ServeTest, HugeHeadersAre431AndServingGoesOn) {
  ProxyConfig config;
  config.max_header_bytes = 2048;
  start(config);
  const LoopbackResponse r = post(chat_body("alpha", "hi"), {{"X-Padding", std::string(10000, 'p')}});
  ASSERT_TRUE(r.complete) << r.error;
  EXPECT_EQ(r.status, 431);
  expect_serving();
}

TEST_F(ServeTest, MalformedRequestsAre400AndServingGoesOn) {
  start();
  const LoopbackResponse bad_json = post(R"({"model":"alpha","messages":[)");
  EXPECT_EQ(bad_json.status, 400);
  EXPECT_NE(bad_json.body.find(R"({"error":{"message":"invalid JSON at 1:30: )"), std::string::npos) << bad_json.body;
  EXPECT_NE(bad_json.body.find(R"("type":"invalid_request_error")"), std::string::npos);
  expect_serving();
  const LoopbackResponse wrong_type = post(R"({"model":"alpha","messages":"hi"})");
  EXPECT_EQ(wrong_type.status, 400);
  EXPECT_NE(wrong_type.body.find("messages: expected an array, got a string"), std::string::npos);
  const LoopbackResponse bad_http = loopback_exchange(server->port(), "GARBAGE\x01 / HTTP/9\r\n\r\n");
  EXPECT_EQ(bad_http.status, 400) << bad_http.error;
  const LoopbackResponse bad_length =
      loopback_exchange(server->port(), "POST /v1/chat/completions HTTP/1.1\r\nContent-Length: -3\r\n\r\n");
  EXPECT_EQ(bad_length.status, 400) << bad_length.error;
  EXPECT_EQ(a.requests_received(), 0u);
  expect_serving();
}

TEST_F(ServeTest, UnknownModelAndRouteAre404) {
  start();
  const LoopbackResponse r = post(chat_body("gpt-9", "hi"));
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(r.body,
            R"x({"error":{"message":"The model \"gpt-9\" does not exist here (known: auto, alpha, beta)",)x"
            R"("type":"invalid_request_error","code":"model_not_found"}})");
  EXPECT_EQ(get("/v2/nothing").status, 404);
  EXPECT_EQ(get("/v1/chat/completions").status, 405);
  expect_serving();
}

// The bytes after a response's head.
std::string after_head(const LoopbackResponse& r) {
  const std::size_t end = r.raw.find("\r\n\r\n");
  return end == std::string::npos ? std::string() : r.raw.substr(end + 4);
}

TEST_F(ServeTest, ChunksThatCameWithTheHeadGoOutInOneWrite) {
  // The whole chunked answer arrives in one segment with its head. The proxy relays what it
  // holds in one write: one chunk of all 11 bytes, then the last chunk; a relay that wrote
  // piece by piece would pass on the upstream's 5 + 6 framing.
  ScriptedUpstream raw({{"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
                         "5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n"},
                        {"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n6\r\nsecond\r\n0\r\n\r\n"}});
  ProxyConfig config;
  config.threads = 1;  // one worker, one connection pool: the second request must reuse
  start(config, {candidate("gamma", raw.port())});
  const LoopbackResponse first = post(chat_body("gamma", "one"));
  ASSERT_TRUE(first.complete) << first.error;
  EXPECT_EQ(first.status, 200);
  EXPECT_EQ(first.header("transfer-encoding"), "chunked");
  EXPECT_EQ(first.header("content-type"), "application/json");
  EXPECT_EQ(after_head(first), "b\r\nhello world\r\n0\r\n\r\n");
  const LoopbackResponse second = post(chat_body("gamma", "two"));
  EXPECT_EQ(second.body, "second");
  EXPECT_EQ(raw.connections_accepted(), 1u);  // the upstream connection was kept and reused
}

TEST_F(ServeTest, ALengthKnownAnswerKeepsItsLengthAndBytes) {
  const std::string body = R"({"id":"x","choices":[]})";
  ScriptedUpstream raw({{"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " +
                         std::to_string(body.size()) + "\r\nX-Request-Id: r-1\r\n\r\n" + body}});
  start({}, {candidate("gamma", raw.port())});
  const LoopbackResponse r = post(chat_body("gamma", "one"));
  ASSERT_TRUE(r.complete) << r.error;
  EXPECT_EQ(r.header("content-length"), std::to_string(body.size()));
  EXPECT_EQ(r.header("transfer-encoding"), "");
  EXPECT_EQ(r.header("x-request-id"), "r-1");
  EXPECT_EQ(after_head(r), body);
}

TEST_F(ServeTest, ABodilessAnswerIsFramedByItsStatus) {
  // A 204 has no body by its status, and RFC 9110 forbids a Content-Length on it; another
  // bodiless answer (a 200 with Content-Length: 0) says so with Content-Length: 0.
  ScriptedUpstream raw({{"HTTP/1.1 204 No Content\r\nX-Request-Id: r-2\r\n\r\n"},
                        {"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"}});
  start({}, {candidate("gamma", raw.port())});
  const LoopbackResponse none = post(chat_body("gamma", "one"));
  ASSERT_TRUE(none.complete) << none.error;
  EXPECT_EQ(none.status, 204);
  EXPECT_EQ(none.header("content-length"), "");
  EXPECT_EQ(none.header("transfer-encoding"), "");
  EXPECT_EQ(none.header("x-request-id"), "r-2");
  EXPECT_EQ(after_head(none), "");
  const LoopbackResponse empty = post(chat_body("gamma", "two"));
  ASSERT_TRUE(empty.complete) << empty.error;
  EXPECT_EQ(empty.status, 200);
  EXPECT_EQ(empty.header("content-length"), "0");
  EXPECT_EQ(after_head(empty), "");
}

TEST_F(ServeTest, AnAnswerEndedByClosingGoesOutChunked) {
  ScriptedUpstream raw({{"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nno length, ended by close", true},
                        {"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"}});
  ProxyConfig config;
  config.threads = 1;  // one connection pool, so a reuse of the closed connection would show
  start(config, {candidate("gamma", raw.port())});
  const LoopbackResponse r = post(chat_body("gamma", "one"));
  ASSERT_TRUE(r.complete) << r.error;
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.header("transfer-encoding"), "chunked");
  EXPECT_EQ(r.body, "no length, ended by close");
  EXPECT_EQ(post(chat_body("gamma", "two")).body, "ok");
  EXPECT_EQ(raw.connections_accepted(), 2u);  // the closed connection was not reused
}

TEST_F(ServeTest, AMalformedChunkBeforeAnyByteWentOutIs502) {
  ScriptedUpstream raw({{"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nhello\r\n0\r\n\r\n"}});
  start({}, {candidate("gamma", raw.port())});
  const LoopbackResponse r = post(chat_body("gamma", "one"));
  EXPECT_EQ(r.status, 502);
  EXPECT_NE(r.body.find("upstream gamma failed"), std::string::npos) << r.body;
  EXPECT_EQ(r.header("x-zooter-model"), "gamma");
  EXPECT_NE(server->metrics().exposition().find("zooter_upstream_errors_total{model=\"gamma\",kind=\"closed\"} 1\n"),
            std::string::npos);
  expect_serving();
}

TEST_F(ServeTest, AnUpstreamThatClosesMidBodyCutsTheClientConnection) {
  // 10 of the 100 bytes promised, then the upstream hangs up: the status is gone already, so the
  // client learns by its connection closing before the answer's end.
  ScriptedUpstream raw({{"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n0123456789", true}});
  start({}, {candidate("gamma", raw.port())});
  const LoopbackResponse r = post(chat_body("gamma", "one"));
  EXPECT_FALSE(r.complete);
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(after_head(r), "0123456789");
  EXPECT_NE(server->metrics().exposition().find("zooter_upstream_errors_total{model=\"gamma\",kind=\"closed\"} 1\n"),
            std::string::npos);
  expect_serving();
}

TEST_F(ServeTest, DeadUpstreamIs502WhileAnotherAnswers) {
  ProxyConfig config;
  start(config, {candidate("dead", dead_port())});
  const LoopbackResponse r = post(chat_body("dead", "anyone?"));
  EXPECT_EQ(r.status, 502);
  EXPECT_EQ(r.header("x-zooter-model"), "dead");
  EXPECT_NE(r.body.find(R"("code":"upstream_unavailable")"), std::string::npos) << r.body;
  expect_serving();
  EXPECT_EQ(server->metrics().exposition().find("zooter_upstream_errors_total{model=\"dead\",kind=\"connect\"} 1\n") ==
                std::string::npos,
            false);
}

TEST_F(ServeTest, DroppedUpstreamConnectionIs502) {
  start();
  a.drop_next(1);
  EXPECT_EQ(post(chat_body("alpha", "hi")).status, 502);
  EXPECT_EQ(post(chat_body("alpha", "hi")).status, 200);
}

TEST_F(ServeTest, UpstreamTimeoutIs504) {
  ProxyConfig config;
  config.upstream_timeout = 200ms;
  // The upstream holds the answer until the end of the test, and the candidate's own timeout is
  // an hour: only the proxy's upstream_timeout can answer before the client gives up.
  CandidateEndpoint patient = candidate("patient", a.port());
  patient.timeout_seconds = 3600;
  start(config, {patient});
  a.hold_answers();
  const LoopbackResponse r = post(chat_body("patient", "slow"));
  EXPECT_EQ(r.status, 504) << r.error;
  EXPECT_NE(r.body.find(R"("code":"upstream_timeout")"), std::string::npos) << r.body;
  EXPECT_EQ(a.requests_received(), 1u);
  a.release();
  expect_serving();
}

TEST_F(ServeTest, UpstreamErrorStatusPassesThroughUnchanged) {
  start();
  a.fail_next(1, 429, 7);
  const LoopbackResponse r = post(chat_body("alpha", "hi"));
  EXPECT_EQ(r.status, 429);
  EXPECT_EQ(r.header("retry-after"), "7");
  EXPECT_EQ(r.header("x-zooter-model"), "alpha");
  EXPECT_NE(r.body.find("failing on purpose with 429"), std::string::npos) << r.body;
  EXPECT_EQ(a.requests_received(), 1u) << "the proxy does not retry";
}

TEST_F(ServeTest, SlowUpstreamDoesNotHoldUpAFastOne) {
  ProxyConfig config;
  config.threads = 1;  // even with one worker thread
  start(config);
  a.hold_answers();  // "alpha" answers only once released, after the fast request
  auto slow = std::async(std::launch::async, [&] { return post(chat_body("alpha", "slow")); });
  for (int i = 0; i < 400 && a.requests_received() == 0; ++i) std::this_thread::sleep_for(5ms);
  const LoopbackResponse fast = post(chat_body("beta", "fast"));
  EXPECT_EQ(fast.status, 200);
  EXPECT_EQ(slow.wait_for(0ms), std::future_status::timeout) << "the fast answer came after the slow one";
  a.release();
  EXPECT_EQ(slow.get().status, 200);
}

TEST_F(ServeTest, ModelsAndHealthz) {
  start();
  const LoopbackResponse models = get("/v1/models");
  EXPECT_EQ(models.status, 200);
  EXPECT_EQ(models.body,
            R"({"object":"list","data":[{"id":"auto","object":"model","created":0,"owned_by":"zooter"},)"
            R"({"id":"alpha","object":"model","created":0,"owned_by":"zooter"},)"
            R"({"id":"beta","object":"model","created":0,"owned_by":"zooter"}]})");
  const LoopbackResponse health = get("/healthz");
  EXPECT_EQ(health.status, 200);
  EXPECT_EQ(health.body, "ok\n");
}

TEST_F(ServeTest, MetricsCountAKnownSequenceExactly) {
  start({}, {candidate("dead", dead_port())});
  EXPECT_EQ(post(chat_body("alpha", "one")).status, 200);
  EXPECT_EQ(post(chat_body("alpha", "two", true)).status, 200);
  EXPECT_EQ(post(chat_body("beta", "three")).status, 200);
  EXPECT_EQ(post(chat_body("nobody", "four")).status, 404);
  EXPECT_EQ(post(chat_body("dead", "five")).status, 502);
  b.fail_next(1, 500);
  EXPECT_EQ(post(chat_body("beta", "six")).status, 500);
  EXPECT_EQ(get("/healthz").status, 200);
  // The server may not have seen the last client close yet: wait (bounded) until it has.
  for (int i = 0; i < 400 && server->metrics().exposition().find("zooter_open_connections 0\n") == std::string::npos;
       ++i) {
    std::this_thread::sleep_for(5ms);
  }
  const LoopbackResponse r = get("/metrics");
  EXPECT_EQ(r.header("content-type"), "text/plain; version=0.0.4; charset=utf-8");
  std::string counters;  // every line but the latency buckets and sums, which depend on timing
  std::size_t start_of_line = 0;
  while (start_of_line < r.body.size()) {
    const std::size_t end = r.body.find('\n', start_of_line);
    const std::string line = r.body.substr(start_of_line, end - start_of_line);
    start_of_line = end + 1;
    if (line.starts_with("zooter_request_duration_seconds_bucket") ||
        line.starts_with("zooter_request_duration_seconds_sum")) {
      continue;
    }
    counters += line + "\n";
  }
  EXPECT_EQ(counters,
            "# HELP zooter_requests_total HTTP requests answered, by route and status code.\n"
            "# TYPE zooter_requests_total counter\n"
            "zooter_requests_total{route=\"/healthz\",code=\"200\"} 1\n"
            "zooter_requests_total{route=\"/v1/chat/completions\",code=\"200\"} 3\n"
            "zooter_requests_total{route=\"/v1/chat/completions\",code=\"404\"} 1\n"
            "zooter_requests_total{route=\"/v1/chat/completions\",code=\"500\"} 1\n"
            "zooter_requests_total{route=\"/v1/chat/completions\",code=\"502\"} 1\n"
            "# HELP zooter_routed_requests_total Chat requests sent to each candidate, by how it was chosen "
            "(router or name).\n"
            "# TYPE zooter_routed_requests_total counter\n"
            "zooter_routed_requests_total{model=\"alpha\",by=\"name\"} 2\n"
            "zooter_routed_requests_total{model=\"beta\",by=\"name\"} 2\n"
            "zooter_routed_requests_total{model=\"dead\",by=\"name\"} 1\n"
            "# HELP zooter_request_duration_seconds Time from a chat request's arrival to the end of its "
            "answer, by candidate.\n"
            "# TYPE zooter_request_duration_seconds histogram\n"
            "zooter_request_duration_seconds_count{model=\"alpha\"} 2\n"
            "zooter_request_duration_seconds_count{model=\"beta\"} 2\n"
            "zooter_request_duration_seconds_count{model=\"dead\"} 1\n"
            "# HELP zooter_upstream_errors_total Upstream failures by candidate and kind: connect, timeout, "
            "closed (dropped or malformed answer), status (answered 429 or 5xx).\n"
            "# TYPE zooter_upstream_errors_total counter\n"
            "zooter_upstream_errors_total{model=\"beta\",kind=\"status\"} 1\n"
            "zooter_upstream_errors_total{model=\"dead\",kind=\"connect\"} 1\n"
            "# HELP zooter_upstream_in_flight Chat requests being forwarded to each candidate now (at most its "
            "max_concurrency, when set).\n"
            "# TYPE zooter_upstream_in_flight gauge\n"
            "zooter_upstream_in_flight{model=\"alpha\"} 0\n"
            "zooter_upstream_in_flight{model=\"beta\"} 0\n"
            "zooter_upstream_in_flight{model=\"dead\"} 0\n"
            "# HELP zooter_open_connections Client connections open now.\n"
            "# TYPE zooter_open_connections gauge\n"
            "zooter_open_connections 1\n"
            "# HELP zooter_refused_connections_total Client connections refused with 503 past --max-connections.\n"
            "# TYPE zooter_refused_connections_total counter\n"
            "zooter_refused_connections_total 0\n"
            "# HELP zooter_header_timeouts_total Client connections closed because a request head did not arrive "
            "within --header-timeout (slow or silent clients).\n"
            "# TYPE zooter_header_timeouts_total counter\n"
            "zooter_header_timeouts_total 0\n");
}

TEST_F(ServeTest, ConnectionsPastTheLimitGet503) {
  ProxyConfig config;
  config.max_connections = 1;
  start(config);
  boost::asio::io_context io;
  boost::asio::ip::tcp::socket held(io);
  held.connect({boost::asio::ip::make_address("127.0.0.1"), server->port()});
  // Wait (bounded) until the server has accepted the held connection.
  const std::string open_line = "zooter_open_connections 1\n";
  for (int i = 0; i < 400 && server->metrics().exposition().find(open_line) == std::string::npos; ++i) {
    std::this_thread::sleep_for(5ms);
  }
  const LoopbackResponse r = post(chat_body("alpha", "hi"));
  EXPECT_EQ(r.status, 503);
  EXPECT_EQ(r.header("retry-after"), "1");
  held.close();
  for (int i = 0; i < 400 && server->metrics().exposition().find("zooter_open_connections 0\n") == std::string::npos; ++i) {
    std::this_thread::sleep_for(5ms);
  }
  expect_serving();
}

TEST_F(ServeTest, ShutdownLetsARequestInFlightFinish) {
  start();
  a.set_delay(500ms);
  auto in_flight = std::async(std::launch::async, [&] { return post(chat_body("alpha", "finish me")); });
  for (int i = 0; i < 400 && a.requests_received() == 0; ++i) std::this_thread::sleep_for(5ms);
  ASSERT_EQ(a.requests_received(), 1u);
  server->shutdown();
  std::this_thread::sleep_for(50ms);
  const LoopbackResponse late = get("/healthz");
  EXPECT_FALSE(late.complete) << "a new connection was served after shutdown began";
  server->wait();
  const LoopbackResponse r = in_flight.get();
  EXPECT_EQ(r.status, 200) << r.error;
  EXPECT_EQ(r.header("connection"), "close");
}

TEST_F(ServeTest, RefusesAnUnknownDefaultAndAnUnloadableCaFile) {
  ProxyConfig config;
  config.listen_port = 0;
  config.default_model = "nope";
  EXPECT_THROW(ProxyServer(config, {candidate("a", 1)}, [](std::string_view) { return std::size_t{0}; }), InputError);
  config.default_model = "auto";
  test::TempDir dir;
  test::write_file(dir.file("bad.pem"), "-----BEGIN CERTIFICATE-----\nnot base64\n-----END CERTIFICATE-----\n");
  CandidateEndpoint secure = candidate("s", 1);
  secure.base_url = parse_url("https://127.0.0.1:1/v1");
  secure.ca_file = dir.file("bad.pem");
  EXPECT_THROW(ProxyServer(config, {secure}, [](std::string_view) { return std::size_t{0}; }), InputError);
}

TEST_F(ServeTest, ForwardsToAnHttpsUpstreamOverOneKeptAliveConnection) {
  FakeUpstream secure({.tls = true});
  test::TempDir dir;
  const std::string ca_file = dir.file("fake-ca.pem");
  test::write_file(ca_file, secure.certificate_pem());
  ProxyConfig config;
  config.threads = 1;  // one worker, one connection pool: the second request must reuse
  start(config, {https_candidate("sec", secure, ca_file)});
  for (const std::string text : {"first over tls", "second over tls"}) {
    const LoopbackResponse r = post(chat_body("sec", text));
    ASSERT_TRUE(r.complete) << r.error;
    EXPECT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.header("x-zooter-model"), "sec");
    const std::string forwarded = chat_body("sec-model", text);
    EXPECT_EQ(r.body, direct_answer(forwarded));
    EXPECT_EQ(r.header("content-length"), std::to_string(r.body.size()));
  }
  ASSERT_EQ(secure.requests_received(), 2u);
  EXPECT_EQ(secure.requests().at(0).header("authorization"), "Bearer key-sec");
  EXPECT_EQ(secure.requests().at(0).header("host"), "127.0.0.1:" + std::to_string(secure.port()));
  EXPECT_EQ(secure.connections_accepted(), 1u);
}

TEST_F(ServeTest, StreamsFromAnHttpsUpstreamByteForByteAsTheEventsArrive) {
  FakeUpstream secure({.tls = true});
  test::TempDir dir;
  const std::string ca_file = dir.file("fake-ca.pem");
  test::write_file(ca_file, secure.certificate_pem());
  start({}, {https_candidate("sec", secure, ca_file)});
  // As for plain HTTP: the rest is sent only once the first event has reached the client.
  const LoopbackResponse through = post_released_by_first_byte(chat_body("sec", "one two three four five", true), secure);
  ASSERT_TRUE(through.complete) << through.error;
  EXPECT_EQ(through.status, 200);
  EXPECT_EQ(through.header("content-type"), "text/event-stream");
  EXPECT_EQ(through.header("transfer-encoding"), "chunked");
  EXPECT_EQ(through.body, direct_answer(chat_body("sec-model", "one two three four five", true)));
  EXPECT_EQ(through.body.substr(through.body.size() - 14), "data: [DONE]\n\n");
}

TEST_F(ServeTest, UntrustedHttpsUpstreamIs502AndServingGoesOn) {
  FakeUpstream secure({.tls = true});
  start({}, {https_candidate("sec", secure, "")});  // the system store does not know the fake
  const LoopbackResponse r = post(chat_body("sec", "anyone?"));
  EXPECT_EQ(r.status, 502);
  EXPECT_EQ(r.header("x-zooter-model"), "sec");
  EXPECT_EQ(r.body, R"x({"error":{"message":"upstream sec failed: TLS handshake with )x" + secure.base_url() +
                        R"x( failed: certificate verify failed: self-signed certificate (ca_file in the endpoints )x"
                        R"x(file names a CA to trust)","type":"upstream_error","code":"upstream_unavailable"}})x");
  EXPECT_EQ(secure.requests_received(), 0u);
  expect_serving();
  EXPECT_NE(server->metrics().exposition().find("zooter_upstream_errors_total{model=\"sec\",kind=\"connect\"} 1\n"),
            std::string::npos);
}

TEST_F(ServeTest, MaxConcurrencySerialisesRequestsToOneCandidateOnly) {
  a.hold_answers();  // the capped candidate's upstream answers only once released
  CandidateEndpoint capped = candidate("capped", a.port());
  capped.max_concurrency = 1;
  capped.max_concurrency_given = true;
  ProxyConfig config;
  config.threads = 2;  // the two requests land on different workers: the cap is shared
  start(config, {capped});
  auto first = std::async(std::launch::async, [&] { return post(chat_body("capped", "first")); });
  auto second = std::async(std::launch::async, [&] { return post(chat_body("capped", "second")); });
  // Both routed to "capped": one is held by the upstream, the other waits for the slot.
  wait_for_metric("zooter_routed_requests_total{model=\"capped\",by=\"name\"} 2\n");
  for (int i = 0; i < 400 && a.requests_received() == 0; ++i) std::this_thread::sleep_for(5ms);
  // "beta" has no max_concurrency in its (absent) file entry: uncapped, and not held up.
  const LoopbackResponse other = post(chat_body("beta", "other"));
  EXPECT_EQ(first.wait_for(0ms), std::future_status::timeout) << "the uncapped candidate waited for the capped one";
  EXPECT_EQ(second.wait_for(0ms), std::future_status::timeout) << "the uncapped candidate waited for the capped one";
  EXPECT_EQ(a.requests_received(), 1u) << "the second request reached the upstream while the first was held";
  a.release();
  const LoopbackResponse r1 = first.get();
  const LoopbackResponse r2 = second.get();
  EXPECT_EQ(r1.status, 200) << r1.body;
  EXPECT_EQ(r2.status, 200) << r2.body;
  EXPECT_EQ(other.status, 200);
  EXPECT_EQ(a.requests_received(), 2u);
  EXPECT_EQ(a.max_concurrent_requests(), 1u) << "the second request reached the upstream before the first ended";
  // The gauge falls back to 0 just after the relay ends, which the client may see first.
  const std::string idle = "zooter_upstream_in_flight{model=\"capped\"} 0\n";
  wait_for_metric(idle);
  EXPECT_NE(server->metrics().exposition().find(idle), std::string::npos);
}

TEST_F(ServeTest, RequestPastMaxConcurrencyGets503AfterTheUpstreamTimeout) {
  a.set_stream_interval(100ms);  // a long answer that keeps the slot without ever going silent
  CandidateEndpoint capped = candidate("capped", a.port());
  capped.max_concurrency = 1;
  capped.max_concurrency_given = true;
  ProxyConfig config;
  config.upstream_timeout = 300ms;
  start(config, {capped});
  auto streaming = std::async(std::launch::async, [&] {
    return post(chat_body("capped", "one two three four five six seven eight", true));
  });
  for (int i = 0; i < 400 && a.requests_received() == 0; ++i) std::this_thread::sleep_for(5ms);
  const LoopbackResponse busy = post(chat_body("capped", "me too"));
  EXPECT_EQ(busy.status, 503);
  EXPECT_EQ(busy.header("retry-after"), "1");
  EXPECT_EQ(busy.header("x-zooter-model"), "capped");
  EXPECT_EQ(busy.body,
            R"({"error":{"message":"candidate capped has 1 requests in flight (its max_concurrency) and none )"
            R"(finished within 0.3 s; retry later","type":"server_busy","code":"upstream_busy"}})");
  EXPECT_GE(busy.elapsed, 280ms);
  EXPECT_EQ(streaming.wait_for(0ms), std::future_status::timeout) << "the stream should still be running";
  const LoopbackResponse streamed = streaming.get();
  EXPECT_EQ(streamed.status, 200);
  EXPECT_TRUE(streamed.complete) << streamed.error;
  EXPECT_EQ(a.requests_received(), 1u);
  expect_serving();
  // The slot is free again: a request still waiting for it would get the 503 above.
  const LoopbackResponse after = post(chat_body("capped", "now"));
  EXPECT_EQ(after.status, 200);
}

// Issue 19 item 11: a client that hangs up while the upstream has not answered yet closes the
// upstream connection (the generation stops) and gives the candidate's concurrency slot back.
TEST_F(ServeTest, AClientThatLeavesCancelsTheUpstreamRequestAndFreesItsSlot) {
  ScriptedUpstream raw({{.bytes = "", .hold_until_client_closes = true}});  // then: closed unanswered
  CandidateEndpoint capped = candidate("capped", raw.port());
  capped.max_concurrency = 1;
  capped.max_concurrency_given = true;
  start({}, {capped});
  boost::asio::io_context io;
  boost::asio::ip::tcp::socket client(io);
  client.connect({boost::asio::ip::make_address("127.0.0.1"), server->port()});
  const std::string body = chat_body("capped", "never mind");
  const std::string request = "POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                              "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
  boost::asio::write(client, boost::asio::buffer(request));
  for (int i = 0; i < 400 && raw.requests_received() == 0; ++i) std::this_thread::sleep_for(5ms);
  ASSERT_EQ(raw.requests_received(), 1u);
  wait_for_metric("zooter_upstream_in_flight{model=\"capped\"} 1\n");
  client.close();
  for (int i = 0; i < 400 && raw.closed_by_client() == 0; ++i) std::this_thread::sleep_for(5ms);
  EXPECT_EQ(raw.closed_by_client(), 1u) << "the upstream connection stayed open after the client left";
  const std::string idle = "zooter_upstream_in_flight{model=\"capped\"} 0\n";
  wait_for_metric(idle);
  const std::string text = server->metrics().exposition();
  EXPECT_NE(text.find(idle), std::string::npos) << text;
  EXPECT_NE(text.find("zooter_requests_total{route=\"/v1/chat/completions\",code=\"499\"} 1\n"), std::string::npos)
      << text;
  EXPECT_EQ(text.find("zooter_upstream_errors_total{model=\"capped\""), std::string::npos)
      << "a client leaving is not an upstream failure\n" << text;
  // The slot is free: the next request reaches the upstream at once (which closes it unanswered)
  // rather than waiting 5 s for the slot and getting a 503.
  const LoopbackResponse next = post(chat_body("capped", "next"));
  EXPECT_EQ(next.status, 502) << next.body;
  EXPECT_EQ(raw.requests_received(), 2u);
}

// Issue 19 item 12: an upstream that read the request and then closed may have acted on it: the
// client gets a 502, and the upstream never sees the request a second time.
TEST_F(ServeTest, ARequestTheUpstreamReadThenClosedOnIsA502AndNotSentAgain) {
  ScriptedUpstream raw({{"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"}});  // the second: read, then closed
  ProxyConfig config;
  config.threads = 1;  // one worker, one connection pool: the second request reuses the connection
  start(config, {candidate("gamma", raw.port())});
  EXPECT_EQ(post(chat_body("gamma", "one")).body, "ok");
  const LoopbackResponse r = post(chat_body("gamma", "two"));
  EXPECT_EQ(r.status, 502);
  EXPECT_NE(r.body.find(R"("code":"upstream_unavailable")"), std::string::npos) << r.body;
  EXPECT_EQ(raw.requests_received(), 2u) << "the request was sent upstream twice";
  EXPECT_EQ(raw.connections_accepted(), 1u);
}

// The one case where a request goes on a fresh connection: the pooled one was closed by the
// upstream while idle, found so before anything was written on it.
TEST_F(ServeTest, AnIdleConnectionTheUpstreamClosedIsReplacedBeforeAnythingIsWritten) {
  ScriptedUpstream raw({{"HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\none", true},
                        {"HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\ntwo"}});
  ProxyConfig config;
  config.threads = 1;
  start(config, {candidate("gamma", raw.port())});
  EXPECT_EQ(post(chat_body("gamma", "one")).body, "one");
  for (int i = 0; i < 400 && raw.closed_by_server() == 0; ++i) std::this_thread::sleep_for(5ms);
  ASSERT_EQ(raw.closed_by_server(), 1u);
  std::this_thread::sleep_for(20ms);  // the FIN crosses the loopback
  const LoopbackResponse r = post(chat_body("gamma", "two"));
  EXPECT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.body, "two");
  EXPECT_EQ(raw.requests_received(), 2u);
  EXPECT_EQ(raw.connections_accepted(), 2u);
}

// Issue 19 item 13: the SDKs' models.retrieve.
TEST_F(ServeTest, RetrievesOneModelAnd404sAnUnknownOne) {
  start();
  const LoopbackResponse beta = get("/v1/models/beta");
  EXPECT_EQ(beta.status, 200);
  EXPECT_EQ(beta.body, R"({"id":"beta","object":"model","created":0,"owned_by":"zooter"})");
  EXPECT_EQ(get("/v1/models/auto").body, R"({"id":"auto","object":"model","created":0,"owned_by":"zooter"})");
  EXPECT_EQ(get("/v1/models/%61lpha").body, R"({"id":"alpha","object":"model","created":0,"owned_by":"zooter"})");
  const LoopbackResponse unknown = get("/v1/models/gpt-9");
  EXPECT_EQ(unknown.status, 404);
  EXPECT_EQ(unknown.body,
            R"x({"error":{"message":"The model \"gpt-9\" does not exist here (known: auto, alpha, beta)",)x"
            R"("type":"invalid_request_error","code":"model_not_found"}})");
  const LoopbackResponse post_to_model = loopback_request(server->port(), "POST", "/v1/models/beta", "{}");
  EXPECT_EQ(post_to_model.status, 405);
  EXPECT_EQ(post_to_model.header("allow"), "GET");
  EXPECT_NE(server->metrics().exposition().find("zooter_requests_total{route=\"/v1/models/{id}\",code=\"200\"} 3\n"),
            std::string::npos);
}

TEST_F(ServeTest, HeadOfHealthzAndMetricsIsTheHeadAlone) {
  start();
  const LoopbackResponse health = loopback_request(server->port(), "HEAD", "/healthz");
  ASSERT_TRUE(health.complete) << health.error;
  EXPECT_EQ(health.status, 200);
  EXPECT_EQ(health.header("content-length"), "3");  // as for GET's "ok\n"
  EXPECT_EQ(after_head(health), "");
  const LoopbackResponse metrics = loopback_request(server->port(), "HEAD", "/metrics");
  ASSERT_TRUE(metrics.complete) << metrics.error;
  EXPECT_EQ(metrics.status, 200);
  EXPECT_EQ(metrics.header("content-type"), "text/plain; version=0.0.4; charset=utf-8");
  EXPECT_EQ(after_head(metrics), "");
  // Any other answer to a HEAD is a head alone too.
  const LoopbackResponse models = loopback_request(server->port(), "HEAD", "/v1/models");
  ASSERT_TRUE(models.complete) << models.error;
  EXPECT_EQ(models.status, 405);
  EXPECT_EQ(after_head(models), "");
  EXPECT_EQ(get("/healthz").header("allow"), "");
  const LoopbackResponse wrong = loopback_request(server->port(), "DELETE", "/healthz");
  EXPECT_EQ(wrong.status, 405);
  EXPECT_EQ(wrong.header("allow"), "GET, HEAD");
}

TEST_F(ServeTest, PassesBackTheHeadersTheSdksRetryBy) {
  ScriptedUpstream raw({{"HTTP/1.1 429 Too Many Requests\r\nContent-Type: application/json\r\nretry-after-ms: 1500\r\n"
                         "retry-after: 2\r\nx-should-retry: true\r\nContent-Length: 2\r\n\r\n{}"}});
  start({}, {candidate("gamma", raw.port())});
  const LoopbackResponse r = post(chat_body("gamma", "one"));
  EXPECT_EQ(r.status, 429);
  EXPECT_EQ(r.header("retry-after-ms"), "1500");
  EXPECT_EQ(r.header("retry-after"), "2");
  EXPECT_EQ(r.header("x-should-retry"), "true");
  EXPECT_EQ(r.body, "{}");
}

TEST_F(ServeTest, ATransferCodingServeCannotDecodeIs501) {
  start();
  const std::string body = chat_body("alpha", "hi");
  for (const std::string coding : {"gzip, chunked", "deflate,chunked", "gzip"}) {
    const LoopbackResponse r = loopback_exchange(
        server->port(), "POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: " + coding +
                            "\r\n\r\n5\r\nhello\r\n0\r\n\r\n");
    EXPECT_EQ(r.status, 501) << coding << ": " << r.error;
    EXPECT_EQ(r.body, R"({"error":{"message":"Transfer-Encoding other than chunked is not implemented; send the )"
                      R"(body unencoded","type":"invalid_request_error","code":null}})")
        << coding;
  }
  // Chunked alone is read and forwarded.
  char size[16];
  std::snprintf(size, sizeof size, "%zx", body.size());
  const LoopbackResponse chunked = loopback_exchange(
      server->port(), "POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nConnection: close\r\nTransfer-Encoding: "
                      " Chunked\r\n\r\n" + std::string(size) + "\r\n" + body + "\r\n0\r\n\r\n");
  EXPECT_EQ(chunked.status, 200) << chunked.error << chunked.body;
  EXPECT_EQ(a.requests_received(), 1u);
}

TEST_F(ServeTest, TheAccessLogCountsTheBodyOfEveryAnswer) {
  start({}, {candidate("dead", dead_port())});
  const LoopbackResponse unknown = post(chat_body("gpt-9", "hi"));
  const LoopbackResponse dead = post(chat_body("dead", "hi"));
  const LoopbackResponse bad = post("{");
  const LoopbackResponse route = get("/nowhere");
  ASSERT_EQ(unknown.status, 404);
  ASSERT_EQ(dead.status, 502);
  ASSERT_EQ(bad.status, 400);
  ASSERT_EQ(route.status, 404);
  // A graceful stop waits for every request to end, its log line included; then the workers are
  // joined and the log can be read.
  server->shutdown();
  server->wait();
  server.reset();
  const std::vector<std::string> lines = access_log_lines();
  ASSERT_EQ(lines.size(), 4u) << access_log.str();
  // One line per answer (in whichever order the workers wrote them), with its status and size.
  for (const LoopbackResponse* answer : {&unknown, &dead, &bad, &route}) {
    const std::string status = R"("status":)" + std::to_string(answer->status) + ",";
    const std::string bytes = R"("bytes":)" + std::to_string(answer->body.size()) + "}";
    EXPECT_EQ(std::count_if(lines.begin(), lines.end(),
                            [&](const std::string& line) {
                              return line.find(status) != std::string::npos && line.find(bytes) != std::string::npos;
                            }),
              answer == &unknown || answer == &route ? 1 + (unknown.body.size() == route.body.size()) : 1)
        << status << bytes << '\n' << access_log.str();
  }
}

}  // namespace
}  // namespace zooter::live
