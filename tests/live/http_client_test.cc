#include "harness/live/http_client.h"

#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>

#include "tests/support/fake_upstream.h"

namespace zooter::live {
namespace {

using zooter::testing::FakeUpstream;
using zooter::testing::Reply;
using zooter::testing::Request;

// Runs `count` POSTs of `body` to `target` over one connection and returns the results.
std::vector<HttpResult> post_n(const std::string& base, const std::string& target, int count,
                               std::size_t limit = kDefaultMaxResponseBytes) {
  boost::asio::io_context io;
  std::vector<HttpResult> results;
  boost::asio::co_spawn(
      io,
      [&]() -> boost::asio::awaitable<void> {
        HttpConnection connection(io.get_executor(), parse_url(base), nullptr, limit);
        for (int i = 0; i < count; ++i) {
          std::string t = target;
          std::string b = "{}";
          std::string key = "sk-test";
          HttpResult r = co_await connection.post(std::move(t), std::move(b), std::move(key), std::chrono::seconds(5));
          results.push_back(std::move(r));
        }
      },
      boost::asio::detached);
  io.run();
  return results;
}

TEST(HttpClientTest, KeepAliveReusesOneConnectionAndSendsTheKey) {
  FakeUpstream server;
  server.set_handler("/v1/echo", [](const Request& r) {
    return Reply{200, "application/json", "{\"auth\":\"" + r.header("authorization") + "\"}", {}};
  });
  const auto results = post_n(server.base_url(), "/v1/echo", 3);
  ASSERT_EQ(results.size(), 3u);
  for (const HttpResult& r : results) {
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(r.body, "{\"auth\":\"Bearer sk-test\"}");
  }
  EXPECT_EQ(server.requests_received(), 3u);
}

TEST(HttpClientTest, OversizedBodyIsRefusedAndNotRetryable) {
  FakeUpstream server;
  server.set_handler("/v1/big", [](const Request&) { return Reply{200, "application/json", std::string(5000, 'x'), {}}; });
  const auto results = post_n(server.base_url(), "/v1/big", 1, 1000);
  ASSERT_EQ(results.size(), 1u);
  EXPECT_EQ(results[0].status, 0);
  EXPECT_EQ(results[0].error, "response body larger than 1000 bytes");
  EXPECT_FALSE(results[0].retryable);
}

TEST(HttpClientTest, StatusAndRetryAfterAreReported) {
  FakeUpstream server;
  server.fail_next(1, 429, 3);
  const auto results = post_n(server.base_url(), "/v1/chat/completions", 1);
  ASSERT_EQ(results.size(), 1u);
  EXPECT_EQ(results[0].status, 429);
  EXPECT_EQ(results[0].retry_after, "3");
}

TEST(HttpClientTest, RefusedConnectionIsARetryableTransportError) {
  unsigned short port = 0;
  { FakeUpstream server; port = server.port(); }  // closed again: nothing listens there now
  const auto results = post_n("http://127.0.0.1:" + std::to_string(port) + "/v1", "/v1/x", 1);
  ASSERT_EQ(results.size(), 1u);
  EXPECT_EQ(results[0].status, 0);
  EXPECT_TRUE(results[0].retryable);
  EXPECT_FALSE(results[0].error.empty());
}

}  // namespace
}  // namespace zooter::live
