// The upstream half of `zooter serve`: sends one chat request to one candidate's server and
// relays the answer to the client as it arrives (SSE included, chunk by chunk, never buffered
// whole), keeping idle upstream connections for reuse.
//
// It does not retry: a streamed answer cannot be replayed once bytes went out, and for a plain
// answer the client (the OpenAI SDKs retry 429/5xx with backoff by default) is the one place
// that knows its own budget; retrying here too would multiply attempts and hide the upstream's
// Retry-After. Nor does it send a request twice: a pooled keep-alive connection the upstream
// closed while idle is found closed before anything is written on it and dropped for a fresh one,
// but once the request is written, a connection that then closes is a failure (the upstream may
// have acted on the request). A client that hangs up before the upstream's answer head has come
// closes the upstream connection, so the generation stops (nginx's default). http and https
// upstreams alike (upstream_connection.h opens both).
//
// One UpstreamForwarder belongs to one worker thread (one io_context), which is what lets its
// connection pool go without a lock. It does not limit concurrency: the server takes a slot of
// the candidate's ConcurrencyLimit (concurrency_limit.h) before forwarding.
#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>
#include <utility>  // before Asio: Boost 1.74's awaitable.hpp uses std::exchange without it
#include <vector>

#include <boost/asio/awaitable.hpp>
#include <boost/beast/core/tcp_stream.hpp>

#include "live/endpoints_file.h"

namespace boost::asio::ssl {
class context;
}  // namespace boost::asio::ssl

namespace zooter::live {

class UpstreamConnection;

// What happened, for the caller's status, metrics and log.
struct ForwardOutcome {
  // The upstream's status, when it answered; 499 when the client hung up before it did (the
  // upstream request was then abandoned and nothing can be sent to the client).
  int status = 0;
  bool headers_sent = false;  // the client has a response head: it can no longer get a 502
  bool client_usable = true;  // false: the client connection must be closed (mid-answer failure)
  // "" on success; "connect" (including a failed TLS handshake), "timeout" or "closed"
  // (connection dropped, malformed answer).
  std::string error;
  std::string error_detail;    // for the client's error message and the log
  std::size_t body_bytes = 0;  // answer bytes relayed to the client
};

// The client's side of one exchange.
struct ClientLeg {
  boost::beast::tcp_stream& stream;
  unsigned version = 11;
  bool keep_alive = true;
  std::chrono::steady_clock::duration write_timeout;
  // Added to the response head, e.g. {"x-zooter-model", "gpt-4"}.
  std::vector<std::pair<std::string, std::string>> extra_headers;
};

class UpstreamForwarder {
 public:
  // `candidates` must outlive the forwarder, and so must `tls`: one TLS client context per
  // candidate (tls_context.h), null for http ones; a context may be shared with other forwarders
  // (OpenSSL contexts are thread-safe once set up). `timeout` is the longest wait for the
  // upstream's next bytes (connect and TLS handshake, answer head, each piece of body); zero
  // means each candidate's own timeout_seconds.
  UpstreamForwarder(const std::vector<CandidateEndpoint>& candidates, std::vector<boost::asio::ssl::context*> tls,
                    std::chrono::milliseconds timeout);
  ~UpstreamForwarder();
  UpstreamForwarder(const UpstreamForwarder&) = delete;
  UpstreamForwarder& operator=(const UpstreamForwarder&) = delete;

  // POSTs `body` to candidates[candidate]'s /chat/completions with its API key and relays the
  // answer to `client`. Never throws for network trouble: see ForwardOutcome. Both references
  // must stay valid until the result is ready (pass named objects: GCC 12 mishandles temporaries
  // in co_await expressions).
  boost::asio::awaitable<ForwardOutcome> forward_chat(std::size_t candidate, const std::string& body,
                                                      const ClientLeg& client);

  // The longest wait for candidates[candidate]'s next bytes.
  [[nodiscard]] std::chrono::milliseconds timeout_for(std::size_t candidate) const;

  // Idle connections kept per candidate.
  static constexpr std::size_t kMaxIdlePerCandidate = 64;

 private:
  const std::vector<CandidateEndpoint>& candidates_;
  std::vector<boost::asio::ssl::context*> tls_;  // per candidate
  std::chrono::milliseconds timeout_;
  std::vector<std::vector<std::unique_ptr<UpstreamConnection>>> idle_;  // per candidate
};

}  // namespace zooter::live
