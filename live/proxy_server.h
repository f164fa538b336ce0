// `zooter serve`'s HTTP server: an OpenAI-compatible proxy that sends each chat request to the
// candidate a router picks (or the one the request names) and passes the answer back unchanged.
//
// Routes: POST /v1/chat/completions, GET /v1/models, GET /v1/models/{id}, GET or HEAD /healthz,
// GET or HEAD /metrics (Prometheus).
// It is fully asynchronous (Asio coroutines): one io_context per worker thread, each connection
// living on one of them, so a slow or dead upstream holds only the requests sent to it. Upstreams
// may be http or https; a candidate's max_concurrency, when the endpoints file gives it, caps the
// requests in flight to it across all threads (concurrency_limit.h). What it is not: a load
// balancer (one URL per candidate), a retrier (see upstream_forwarder.h), or a TLS terminator
// (bind it to loopback, or put it behind one).
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <iosfwd>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "live/endpoints_file.h"

namespace zooter::live {

class MetricsRegistry;

struct ProxyConfig {
  std::string listen_host = "127.0.0.1";
  unsigned short listen_port = 8080;  // 0: an ephemeral port (tests)
  unsigned threads = 2;
  // When not empty, every route but /healthz needs `Authorization: Bearer <auth_token>`.
  std::string auth_token;
  std::size_t max_body_bytes = 1u << 20;    // larger: 413
  std::size_t max_header_bytes = 16u << 10;  // request line and headers; larger: 431
  // Connections beyond this are answered 503 at once and closed, not queued: a queue would only
  // turn overload into timeouts the client cannot tell from a dead server.
  std::size_t max_connections = 512;
  // Connections past max_connections that are still read, kept for health checks: a GET or HEAD of
  // /healthz or /metrics on one is answered (one request, then closed), anything else gets the
  // same 503. So a flood of clients holding every ordinary slot cannot make a probe fail. Their
  // head deadline is header_timeout or 1 s, whichever is shorter (a probe sends its head at once).
  std::size_t health_check_connections = 8;
  // The longest wait for an upstream's next bytes; zero: each candidate's timeout_seconds.
  std::chrono::milliseconds upstream_timeout{0};
  // The longest wait for a request's line and headers, from the connection's start or, on a
  // kept-alive connection, from the next request's first byte: a client sending its head byte by
  // byte holds a connection slot this long at most (nginx's client_header_timeout, HAProxy's
  // timeout http-request).
  std::chrono::milliseconds header_timeout{10000};
  // The longest wait for a request's body, for the next request on a kept-alive connection, and
  // for each write to the client.
  std::chrono::milliseconds client_timeout{30000};
  // The model asked for by "auto" or by a request naming none: "auto" (the router) or a
  // candidate name.
  std::string default_model = "auto";
  // After SIGTERM/SIGINT (or shutdown()), how long requests in flight may take to finish.
  std::chrono::milliseconds shutdown_grace{10000};
};

// The router as the server sees it: the index (into the candidates given to the server) of the
// candidate to send `text` to. Must be thread-safe.
using RouteFunction = std::function<std::size_t(std::string_view text)>;

class ProxyServer {
 public:
  // Checks the configuration (throws InputError: an unknown default model, no candidates, a
  // ca_file that does not load) and binds the listening socket (throws InputError naming the
  // address), but serves nothing until start(). `access_log`, when given, gets one JSON line per request.
  ProxyServer(ProxyConfig config, std::vector<CandidateEndpoint> candidates, RouteFunction route,
              std::ostream* access_log = nullptr);
  // Stops at once (no grace) if still running.
  ~ProxyServer();
  ProxyServer(const ProxyServer&) = delete;
  ProxyServer& operator=(const ProxyServer&) = delete;

  [[nodiscard]] unsigned short port() const;
  [[nodiscard]] MetricsRegistry& metrics();

  // Starts the worker threads and returns.
  void start();
  // Makes SIGTERM and SIGINT begin a graceful shutdown (asio::signal_set: no global handler).
  void stop_on_signals();
  // Stops accepting, lets requests in flight finish within config.shutdown_grace, then stops
  // the workers. Returns at once; wait() blocks until it is done. Safe from any thread.
  void shutdown();
  // Blocks until the server has stopped (after shutdown() or a signal) and joins the workers.
  void wait();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace zooter::live
