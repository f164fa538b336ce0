// The fake model server the live-mode tests stand on: default routes, steering, keep-alive.
#include "tests/support/fake_upstream.h"

#include <gtest/gtest.h>

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <chrono>
#include <future>
#include <memory>
#include <string>

namespace zooter::testing {
namespace {

using namespace std::chrono_literals;

const std::string kChat =
    R"({"model":"m1","messages":[{"role":"system","content":"be brief"},{"role":"user","content":"hello there world"}]})";

TEST(FakeUpstreamTest, AnswersChatDeterministically) {
  FakeUpstream upstream;
  EXPECT_EQ(upstream.base_url(), "http://127.0.0.1:" + std::to_string(upstream.port()) + "/v1");
  const LoopbackResponse r = loopback_request(upstream.port(), "POST", "/v1/chat/completions", kChat);
  ASSERT_TRUE(r.complete) << r.error;
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.header("content-type"), "application/json");
  const std::string expected_prefix = R"({"id":"chatcmpl-fake-)";
  EXPECT_EQ(r.body.substr(0, expected_prefix.size()), expected_prefix);
  EXPECT_NE(r.body.find(R"("content":"echo m1: hello there world")"), std::string::npos) << r.body;
  // prompt: 2 + 3 words; answer: "echo m1: hello there world" is 5 words.
  EXPECT_NE(r.body.find(R"("usage":{"prompt_tokens":5,"completion_tokens":5,"total_tokens":10})"),
            std::string::npos)
      << r.body;
  const LoopbackResponse again = loopback_request(upstream.port(), "POST", "/v1/chat/completions", kChat);
  EXPECT_EQ(again.body, r.body);
  EXPECT_EQ(upstream.requests_received(), 2u);
  EXPECT_EQ(upstream.request_bodies().at(0), kChat);
}

TEST(FakeUpstreamTest, ContentPartsAreJoined) {
  FakeUpstream upstream;
  const std::string body =
      R"({"model":"m","messages":[{"role":"user","content":[{"type":"text","text":"a b"},{"type":"text","text":"c"}]}]})";
  const LoopbackResponse r = loopback_request(upstream.port(), "POST", "/v1/chat/completions", body);
  EXPECT_NE(r.body.find(R"("content":"echo m: a b c")"), std::string::npos) << r.body;
}

TEST(FakeUpstreamTest, StreamsServerSentEvents) {
  FakeUpstream upstream;
  const std::string body = R"({"model":"m1","stream":true,"messages":[{"role":"user","content":"hi you"}]})";
  const LoopbackResponse r = loopback_request(upstream.port(), "POST", "/v1/chat/completions", body);
  ASSERT_TRUE(r.complete) << r.error;
  EXPECT_EQ(r.header("content-type"), "text/event-stream");
  EXPECT_EQ(r.header("transfer-encoding"), "chunked");
  std::string expected;
  for (const std::string& e : fake_chat_completion_events(Request{"POST", "/v1/chat/completions", {}, body})) {
    expected += e;
  }
  EXPECT_EQ(r.body, expected);
  EXPECT_NE(r.body.find(R"("delta":{"content":"echo "})"), std::string::npos) << r.body;
  EXPECT_EQ(r.body.substr(r.body.size() - 14), "data: [DONE]\n\n");
}

TEST(FakeUpstreamTest, FailsAndDropsOnRequest) {
  FakeUpstream upstream;
  upstream.fail_next(2, 429, 3);
  upstream.drop_next(1);
  const LoopbackResponse dropped = loopback_request(upstream.port(), "POST", "/v1/chat/completions", kChat);
  EXPECT_FALSE(dropped.complete);
  EXPECT_EQ(dropped.status, 0);
  for (int i = 0; i < 2; ++i) {
    const LoopbackResponse failed = loopback_request(upstream.port(), "POST", "/v1/chat/completions", kChat);
    EXPECT_EQ(failed.status, 429);
    EXPECT_EQ(failed.header("retry-after"), "3");
    EXPECT_NE(failed.body.find(R"({"error":{"message":)"), std::string::npos);
  }
  EXPECT_EQ(loopback_request(upstream.port(), "POST", "/v1/chat/completions", kChat).status, 200);
  EXPECT_EQ(upstream.requests_received(), 4u);
}

TEST(FakeUpstreamTest, SlowAnswerDoesNotHoldUpOthers) {
  FakeUpstream upstream;
  upstream.set_handler("/slow", [](const Request&) { return Reply{200, "text/plain", "slow", {}}; });
  upstream.set_delay(400ms);
  auto slow = std::async(std::launch::async, [&] { return loopback_request(upstream.port(), "GET", "/slow"); });
  std::this_thread::sleep_for(50ms);
  upstream.set_delay(0ms);
  const LoopbackResponse fast = loopback_request(upstream.port(), "GET", "/v1/models");
  EXPECT_EQ(fast.status, 200);
  EXPECT_EQ(slow.wait_for(0ms), std::future_status::timeout) << "the fast answer waited for the slow one";
  const LoopbackResponse s = slow.get();
  EXPECT_EQ(s.body, "slow");
  EXPECT_GE(s.elapsed, 350ms);
}

TEST(FakeUpstreamTest, KeepsConnectionsAlive) {
  FakeUpstream upstream;
  // Two requests on one connection; the second asks to close it.
  const std::string raw =
      "GET /v1/models HTTP/1.1\r\nHost: x\r\n\r\nGET /v1/models HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
  const LoopbackResponse r = loopback_exchange(upstream.port(), raw);
  ASSERT_TRUE(r.complete);
  EXPECT_EQ(r.status, 200);
  // The reader stops after the first response; the server still saw both.
  for (int i = 0; i < 200 && upstream.requests_received() < 2; ++i) std::this_thread::sleep_for(5ms);
  EXPECT_EQ(upstream.requests_received(), 2u);
}

TEST(FakeUpstreamTest, UnknownRouteIs404AndExtraRoutesWork) {
  FakeUpstream upstream;
  EXPECT_EQ(loopback_request(upstream.port(), "GET", "/nope").status, 404);
  upstream.set_handler("/v1/embeddings", [](const Request& r) {
    return Reply{201, "application/json", "{\"got\":\"" + r.header("x-test") + "\"}", {{"x-extra", "1"}}};
  });
  const LoopbackResponse r = loopback_request(upstream.port(), "POST", "/v1/embeddings", "{}", {{"X-Test", "yes"}});
  EXPECT_EQ(r.status, 201);
  EXPECT_EQ(r.body, R"({"got":"yes"})");
  EXPECT_EQ(r.header("x-extra"), "1");
}

TEST(FakeUpstreamTest, CountsConnectionsAndRequestsAnsweredAtOnce) {
  FakeUpstream upstream;
  const std::string two_on_one =
      "GET /v1/models HTTP/1.1\r\nHost: x\r\n\r\nGET /v1/models HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
  EXPECT_TRUE(loopback_exchange(upstream.port(), two_on_one).complete);
  for (int i = 0; i < 200 && upstream.requests_received() < 2; ++i) std::this_thread::sleep_for(5ms);
  EXPECT_EQ(upstream.connections_accepted(), 1u);
  EXPECT_EQ(upstream.max_concurrent_requests(), 1u);
  upstream.set_delay(200ms);
  auto first = std::async(std::launch::async, [&] { return loopback_request(upstream.port(), "GET", "/v1/models"); });
  auto second = std::async(std::launch::async, [&] { return loopback_request(upstream.port(), "GET", "/v1/models"); });
  EXPECT_EQ(first.get().status, 200);
  EXPECT_EQ(second.get().status, 200);
  EXPECT_EQ(upstream.connections_accepted(), 3u);
  EXPECT_EQ(upstream.max_concurrent_requests(), 2u);
}

TEST(FakeUpstreamTest, TlsCertificateNamesLoopbackAndIsValidForADay) {
  FakeUpstream plain;
  EXPECT_EQ(plain.certificate_pem(), "");
  FakeUpstream upstream({.tls = true});
  EXPECT_EQ(upstream.base_url(), "https://127.0.0.1:" + std::to_string(upstream.port()) + "/v1");
  const std::string pem = upstream.certificate_pem();
  const std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())),
                                                      BIO_free);
  const std::unique_ptr<X509, decltype(&X509_free)> cert(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr),
                                                        X509_free);
  ASSERT_NE(cert, nullptr) << pem;
  EXPECT_EQ(X509_check_ip_asc(cert.get(), "127.0.0.1", 0), 1);
  EXPECT_EQ(X509_check_host(cert.get(), "localhost", 0, 0, nullptr), 1);
  EXPECT_EQ(X509_check_host(cert.get(), "example.com", 0, 0, nullptr), 0);
  EXPECT_LT(X509_cmp_current_time(X509_get0_notBefore(cert.get())), 0);
  EXPECT_GT(X509_cmp_current_time(X509_get0_notAfter(cert.get())), 0);
  int days = 0;
  int seconds = 0;
  ASSERT_EQ(ASN1_TIME_diff(&days, &seconds, X509_get0_notBefore(cert.get()), X509_get0_notAfter(cert.get())), 1);
  EXPECT_EQ(days * 86400 + seconds, 25 * 3600);  // from an hour ago to a day from now
  const EVP_PKEY* key = X509_get0_pubkey(cert.get());
  ASSERT_NE(key, nullptr);
  char group[64] = {};
  ASSERT_EQ(EVP_PKEY_get_group_name(key, group, sizeof group, nullptr), 1);
  EXPECT_STREQ(group, "prime256v1");  // P-256
  EXPECT_EQ(X509_check_issued(cert.get(), cert.get()), X509_V_OK) << "self-signed";
  FakeUpstream another({.tls = true});
  EXPECT_NE(another.certificate_pem(), pem) << "a fresh key and certificate per server";
}

}  // namespace
}  // namespace zooter::testing
