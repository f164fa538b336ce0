// zooter serve's connection budget against slow clients (issue 19 item 10): a request head has
// its own short deadline, so clients that send it byte by byte cannot hold every connection slot
// for the whole client timeout, and a reserve of connections answers health checks even while
// every ordinary slot is held. All on 127.0.0.1; every client stops by itself.
#include <gtest/gtest.h>

#include <utility>  // before Asio: Boost 1.74's awaitable.hpp uses std::exchange without it

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <array>
#include <atomic>
#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <thread>

#include "live/metrics.h"
#include "live/proxy_server.h"
#include "live/url.h"
#include "tests/support/fake_upstream.h"

namespace zooter::live {
namespace {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;
using testing::FakeUpstream;
using testing::LoopbackResponse;
using testing::loopback_request;

// `count` connections, each sending a request head one byte every `interval` and never finishing
// it, until the server closes the connection or answers (a refusal), or `give_up_after` has
// passed; then it closes.
class SlowClients {
 public:
  SlowClients(unsigned short port, std::size_t count, std::chrono::milliseconds interval,
              std::chrono::milliseconds give_up_after)
      : deadline_(Clock::now() + give_up_after) {
    for (std::size_t i = 0; i < count; ++i) asio::co_spawn(io_, dribble(port, interval), asio::detached);
    thread_ = std::thread([this] { io_.run(); });
  }
  ~SlowClients() {
    io_.stop();
    thread_.join();
  }
  SlowClients(const SlowClients&) = delete;
  SlowClients& operator=(const SlowClients&) = delete;

  [[nodiscard]] std::size_t connected() const { return connected_.load(); }
  // Connections the server ended (a timeout, or a 503 and close) before the client gave up.
  [[nodiscard]] std::size_t ended_by_server() const { return ended_by_server_.load(); }

 private:
  asio::awaitable<void> dribble(unsigned short port, std::chrono::milliseconds interval) {
    auto socket = std::make_shared<tcp::socket>(io_);
    boost::system::error_code ec;
    co_await socket->async_connect({asio::ip::make_address("127.0.0.1"), port},
                                   asio::redirect_error(asio::use_awaitable, ec));
    if (ec) co_return;
    ++connected_;
    asio::co_spawn(io_, watch(socket), asio::detached);
    const std::string head = "GET /v1/models HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: " + std::string(4096, 's');
    asio::steady_timer timer(io_);
    for (std::size_t i = 0; socket->is_open() && Clock::now() < deadline_; i = (i + 1) % head.size()) {
      co_await asio::async_write(*socket, asio::buffer(&head[i], 1), asio::redirect_error(asio::use_awaitable, ec));
      if (ec) break;
      timer.expires_after(interval);
      co_await timer.async_wait(asio::redirect_error(asio::use_awaitable, ec));
    }
    socket->close(ec);
  }

  // Waits for the server's first move on the connection: closing it (the head deadline) or
  // answering (a refusal), counted as the server ending it; the client then closes at once.
  asio::awaitable<void> watch(std::shared_ptr<tcp::socket> socket) {
    std::array<char, 1024> scratch{};
    boost::system::error_code ec;
    co_await socket->async_read_some(asio::buffer(scratch), asio::redirect_error(asio::use_awaitable, ec));
    if (ec != asio::error::operation_aborted && ec != asio::error::bad_descriptor) ++ended_by_server_;
    socket->close(ec);
  }

  asio::io_context io_{1};
  Clock::time_point deadline_;
  std::atomic<std::size_t> connected_{0};
  std::atomic<std::size_t> ended_by_server_{0};
  std::thread thread_;
};

CandidateEndpoint candidate(const std::string& name, unsigned short port) {
  CandidateEndpoint c;
  c.name = name;
  c.base_url = parse_url("http://127.0.0.1:" + std::to_string(port) + "/v1");
  c.model = name + "-model";
  c.timeout_seconds = 5;
  return c;
}

const std::string kChat = R"({"model":"alpha","messages":[{"role":"user","content":"hi"}]})";

class ServeConnectionBudget : public ::testing::Test {
 protected:
  void start(ProxyConfig config) {
    config.listen_port = 0;
    server.emplace(config, std::vector<CandidateEndpoint>{candidate("alpha", upstream.port())},
                   [](std::string_view) { return std::size_t{0}; });
    server->start();
  }
  void wait_for_metric(const std::string& line) {
    for (int i = 0; i < 400 && server->metrics().exposition().find(line) == std::string::npos; ++i) {
      std::this_thread::sleep_for(5ms);
    }
  }
  // Sends `method target` until it is not a 503 or `give_up_after` has passed; the last answer and
  // how long it took.
  std::pair<LoopbackResponse, std::chrono::milliseconds> until_served(const std::string& method,
                                                                      const std::string& target,
                                                                      const std::string& body,
                                                                      std::chrono::milliseconds give_up_after) {
    const Clock::time_point start = Clock::now();
    LoopbackResponse r;
    do {
      r = loopback_request(server->port(), method, target, body, {}, 2s);
      if (r.status != 503) break;
      std::this_thread::sleep_for(10ms);
    } while (Clock::now() - start < give_up_after);
    return {r, std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start)};
  }

  FakeUpstream upstream;
  std::optional<ProxyServer> server;
};

TEST_F(ServeConnectionBudget, HealthChecksAreAnsweredWhileSlowClientsHoldEverySlot) {
  ProxyConfig config;
  config.max_connections = 4;
  config.health_check_connections = 2;
  config.header_timeout = 20s;  // the slow clients keep their slots for the whole test
  start(config);
  const SlowClients slow(server->port(), 4, 20ms, 5s);
  wait_for_metric("zooter_open_connections 4\n");
  ASSERT_EQ(slow.connected(), 4u);
  const LoopbackResponse health = loopback_request(server->port(), "GET", "/healthz");
  EXPECT_EQ(health.status, 200) << health.error;
  EXPECT_EQ(health.body, "ok\n");
  const LoopbackResponse metrics = loopback_request(server->port(), "HEAD", "/metrics");
  EXPECT_EQ(metrics.status, 200) << metrics.error;
  // The reserve is for probes only: a chat request on it gets the refusal.
  const LoopbackResponse chat = loopback_request(server->port(), "POST", "/v1/chat/completions", kChat);
  EXPECT_EQ(chat.status, 503);
  EXPECT_EQ(chat.header("retry-after"), "1");
  EXPECT_NE(chat.body.find(R"("code":"too_many_connections")"), std::string::npos) << chat.body;
  EXPECT_EQ(upstream.requests_received(), 0u);
  EXPECT_EQ(slow.ended_by_server(), 0u);
}

// The flood of the issue, scaled down: more slow clients than slots and reserve together. Each is
// cut at the head deadline (250 ms), so a well-behaved client that backs off on 503 is served
// within a bound far below the client timeout (20 s), which used to be how long it waited.
TEST_F(ServeConnectionBudget, AFloodOfSlowHeadsIsCutAtTheHeadDeadline) {
  ProxyConfig config;
  config.max_connections = 16;
  config.health_check_connections = 2;
  config.header_timeout = 250ms;
  config.client_timeout = 20s;
  start(config);
  constexpr std::size_t kSlow = 40;
  const SlowClients slow(server->port(), kSlow, 20ms, 5s);
  for (int i = 0; i < 400 && slow.connected() < kSlow; ++i) std::this_thread::sleep_for(5ms);
  ASSERT_EQ(slow.connected(), kSlow);
  const auto [chat, chat_wait] = until_served("POST", "/v1/chat/completions", kChat, 5s);
  EXPECT_EQ(chat.status, 200) << chat.error << chat.body;
  EXPECT_LT(chat_wait, 2s);
  const auto [health, health_wait] = until_served("GET", "/healthz", "", 5s);
  EXPECT_EQ(health.status, 200) << health.error;
  EXPECT_LT(health_wait, 2s);
  // Every slow client was ended by the server (cut at the deadline, or refused), none gave up.
  for (int i = 0; i < 400 && slow.ended_by_server() < kSlow; ++i) std::this_thread::sleep_for(5ms);
  EXPECT_EQ(slow.ended_by_server(), kSlow);
}

// A head cut at its deadline is counted, so that a flood shows in the metrics.
TEST_F(ServeConnectionBudget, AHeadCutAtItsDeadlineIsCounted) {
  ProxyConfig config;
  config.header_timeout = 100ms;
  start(config);
  EXPECT_NE(server->metrics().exposition().find("zooter_header_timeouts_total 0\n"), std::string::npos);
  const SlowClients slow(server->port(), 1, 20ms, 5s);
  for (int i = 0; i < 400 && slow.ended_by_server() == 0; ++i) std::this_thread::sleep_for(5ms);
  EXPECT_EQ(slow.ended_by_server(), 1u);
  wait_for_metric("zooter_header_timeouts_total 1\n");
  EXPECT_NE(server->metrics().exposition().find("zooter_header_timeouts_total 1\n"), std::string::npos);
}

// A kept-alive connection may sit idle between requests for the client timeout, not the head
// deadline: the deadline starts with the next request's first byte.
TEST_F(ServeConnectionBudget, AnIdleKeptAliveConnectionIsNotCutAtTheHeadDeadline) {
  ProxyConfig config;
  config.header_timeout = 50ms;
  config.client_timeout = 20s;
  start(config);
  asio::io_context io;
  tcp::socket socket(io);
  socket.connect({asio::ip::make_address("127.0.0.1"), server->port()});
  const std::string request = "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n";
  std::string received;
  std::array<char, 1024> scratch{};
  for (int round = 0; round < 2; ++round) {
    asio::write(socket, asio::buffer(request));
    received.clear();
    while (received.find("ok\n") == std::string::npos) {
      boost::system::error_code ec;
      const std::size_t n = socket.read_some(asio::buffer(scratch), ec);
      ASSERT_FALSE(ec) << "round " << round << ": " << ec.message();
      received.append(scratch.data(), n);
    }
    EXPECT_TRUE(received.starts_with("HTTP/1.1 200 OK\r\n")) << received;
    std::this_thread::sleep_for(150ms);  // idle three head deadlines long
  }
}

}  // namespace
}  // namespace zooter::live
