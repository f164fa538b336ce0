// One client connection to an upstream server (an endpoint's base URL): plain TCP for http://,
// TLS over TCP for https:// with the server's certificate verified against a TLS context's trust
// store (tls_context.h), its name checked against the URL's host, and SNI sent.
//
// It is the set-up that the collect/score client (http_client.h) and serve's forwarder
// (upstream_forwarder.h) share: they differ in what they send and read, not in how a connection
// is opened, so each does its own HTTP exchange on plain() or secure(). Not thread-safe: a
// connection lives on one executor and runs one exchange at a time.
#pragma once

#include <utility>  // before Asio: Boost 1.74's awaitable.hpp uses std::exchange without it

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>

#include <chrono>
#include <memory>
#include <optional>
#include <span>
#include <string>

#include "live/url.h"

namespace zooter::live {

// Why a connection could not be opened.
struct ConnectFailure {
  boost::system::error_code code;  // boost::beast::error::timeout when the deadline passed
  // For people, naming the stage and the URL: "cannot connect to http://127.0.0.1:9/v1: Connection
  // refused", "TLS handshake with https://h/v1 failed: certificate verify failed: self-signed ...".
  std::string message;
  // The server's certificate did not verify (untrusted, expired, wrong name): retrying cannot help.
  bool certificate_rejected = false;
};

class UpstreamConnection {
 public:
  using TlsStream = boost::beast::ssl_stream<boost::beast::tcp_stream>;

  // `tls` must outlive the connection; it is used for https URLs only (nullptr: opening fails).
  UpstreamConnection(boost::asio::any_io_executor executor, Url url, boost::asio::ssl::context* tls);
  ~UpstreamConnection();
  UpstreamConnection(const UpstreamConnection&) = delete;
  UpstreamConnection& operator=(const UpstreamConnection&) = delete;

  // Resolves the host, connects and, for https, does the TLS handshake, all before `deadline`.
  // Closes a connection still open first. Never throws for network trouble: a failure comes back
  // (and leaves the connection closed); nullopt means open.
  boost::asio::awaitable<std::optional<ConnectFailure>> open(std::chrono::steady_clock::time_point deadline);

  [[nodiscard]] bool is_open() const { return plain_.has_value() || secure_.has_value(); }
  // Closes the socket at once (no TLS close_notify: nothing is pending when a client hangs up)
  // and drops bytes read ahead.
  void close();

  // While open, exactly one of these is non-null: the stream to exchange HTTP messages on.
  [[nodiscard]] boost::beast::tcp_stream* plain() { return plain_ ? &*plain_ : nullptr; }
  [[nodiscard]] TlsStream* secure() { return secure_ ? &*secure_ : nullptr; }
  // The TCP layer under either (open only): for timeouts.
  [[nodiscard]] boost::beast::tcp_stream& tcp();
  // Bytes read past the end of the last message; belongs to this connection.
  [[nodiscard]] boost::beast::flat_buffer& buffer() { return buffer_; }
  // Where pieces of an answer's body read from this connection go on their way to a client
  // (serve's relay). Kept with the connection, which carries one request at a time, so that a
  // request reuses it rather than allocating its own.
  [[nodiscard]] std::span<char> relay_buffer();
  [[nodiscard]] const Url& url() const { return url_; }
  // For a kept-alive connection taken from a pool, before anything is written on it: false when
  // the server has closed or reset it while it was idle, or has sent bytes nobody asked for (a TLS
  // alert, a stray answer). Looks without waiting and without reading.
  [[nodiscard]] bool still_open_while_idle();

  static constexpr std::size_t kRelayBytes = 16384;

 private:
  boost::asio::any_io_executor executor_;
  Url url_;
  boost::asio::ssl::context* tls_;
  std::optional<boost::beast::tcp_stream> plain_;
  std::optional<TlsStream> secure_;
  boost::beast::flat_buffer buffer_;
  std::unique_ptr<char[]> relay_;  // kRelayBytes, made on first use
};

// Whether an error on a reused keep-alive connection, before any byte of the answer, means the
// server had closed the connection while it was idle (so the request never reached it).
[[nodiscard]] bool closed_while_idle(const boost::system::error_code& ec);

}  // namespace zooter::live
