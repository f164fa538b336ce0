#include "live/http_client.h"

#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>

#include "harness/error.h"

#include "live/tls_context.h"
#include "tests/helpers.h"
#include "tests/support/fake_upstream.h"

namespace zooter::live {
namespace {

using zooter::testing::FakeUpstream;
using zooter::testing::Reply;
using zooter::testing::Request;

// Runs `count` POSTs of `body` to `target` over one connection and returns the results.
std::vector<HttpResult> post_n(const std::string& base, const std::string& target, int count,
                               std::size_t limit = kDefaultMaxResponseBytes,
                               boost::asio::ssl::context* tls = nullptr) {
  boost::asio::io_context io;
  std::vector<HttpResult> results;
  boost::asio::co_spawn(
      io,
      [&]() -> boost::asio::awaitable<void> {
        HttpConnection connection(io.get_executor(), parse_url(base), tls, limit);
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

// The TLS fake's certificate as a CA file, and a client context trusting it.
struct TrustedFake {
  test::TempDir dir;
  std::string ca_file;
  std::unique_ptr<boost::asio::ssl::context> tls;

  explicit TrustedFake(const FakeUpstream& server) : ca_file(dir.file("fake-ca.pem")) {
    test::write_file(ca_file, server.certificate_pem());
    tls = make_tls_context(ca_file);
  }
};

TEST(HttpClientTest, HttpsVerifiesAgainstTheCaFileAndKeepsTheConnection) {
  FakeUpstream server({.tls = true});
  ASSERT_EQ(server.base_url().substr(0, 8), "https://");
  server.set_handler("/v1/echo", [](const Request& r) {
    return Reply{200, "application/json", "{\"host\":\"" + r.header("host") + "\"}", {}};
  });
  const TrustedFake trusted(server);
  const auto results = post_n(server.base_url(), "/v1/echo", 3, kDefaultMaxResponseBytes, trusted.tls.get());
  ASSERT_EQ(results.size(), 3u);
  for (const HttpResult& r : results) {
    EXPECT_EQ(r.status, 200) << r.error;
    EXPECT_EQ(r.body, "{\"host\":\"127.0.0.1:" + std::to_string(server.port()) + "\"}");
  }
  EXPECT_EQ(server.requests_received(), 3u);
  EXPECT_EQ(server.connections_accepted(), 1u) << "keep-alive over TLS";
}

TEST(HttpClientTest, HttpsByHostNameOnTheCertificate) {
  FakeUpstream server({.tls = true});
  const TrustedFake trusted(server);
  server.set_handler("/v1/ping", [](const Request&) { return Reply{200, "text/plain", "pong", {}}; });
  const std::string base = "https://localhost:" + std::to_string(server.port()) + "/v1";
  const auto results = post_n(base, "/v1/ping", 1, kDefaultMaxResponseBytes, trusted.tls.get());
  ASSERT_EQ(results.size(), 1u);
  EXPECT_EQ(results[0].status, 200) << results[0].error;
  EXPECT_EQ(results[0].body, "pong");
}

TEST(HttpClientTest, UntrustedCertificateIsAClearErrorNotRetried) {
  FakeUpstream server({.tls = true});
  const auto system_store = make_tls_context();  // does not know the fake's self-signed certificate
  const auto results = post_n(server.base_url(), "/v1/chat/completions", 1, kDefaultMaxResponseBytes,
                              system_store.get());
  ASSERT_EQ(results.size(), 1u);
  EXPECT_EQ(results[0].status, 0);
  EXPECT_EQ(results[0].error, "TLS handshake with " + server.base_url() +
                                  " failed: certificate verify failed: self-signed certificate (ca_file in the "
                                  "endpoints file names a CA to trust)");
  EXPECT_FALSE(results[0].retryable);
  EXPECT_EQ(server.requests_received(), 0u);
}

TEST(HttpClientTest, CertificateForAnotherNameIsRejected) {
  FakeUpstream server({.tls = true});
  const TrustedFake trusted(server);
  // "127.1" is not an IP literal to Asio, so it is checked as a DNS name, which the certificate
  // (IP:127.0.0.1, DNS:localhost) lacks; the resolver still maps it to 127.0.0.1.
  const std::string base = "https://127.1:" + std::to_string(server.port()) + "/v1";
  const auto results = post_n(base, "/v1/chat/completions", 1, kDefaultMaxResponseBytes, trusted.tls.get());
  ASSERT_EQ(results.size(), 1u);
  EXPECT_EQ(results[0].status, 0);
  EXPECT_NE(results[0].error.find("certificate verify failed: hostname mismatch"), std::string::npos)
      << results[0].error;
  EXPECT_FALSE(results[0].retryable);
}

TEST(HttpClientTest, UnreadableCaFileIsAnInputError) {
  test::TempDir dir;
  const std::string not_pem = dir.file("not-pem.txt");
  test::write_file(not_pem, "hello\n");
  try {
    (void)make_tls_context(not_pem);
    ADD_FAILURE() << "accepted";
  } catch (const InputError& e) {
    EXPECT_EQ(e.path(), not_pem);
    EXPECT_NE(e.message().find("cannot load the CA certificates"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace zooter::live
