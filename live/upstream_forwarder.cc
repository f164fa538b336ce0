#include "live/upstream_forwarder.h"

#include <boost/asio/redirect_error.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/http.hpp>
#include <cmath>
#include <limits>
#include <optional>
#include <span>
#include <strings.h>  // for strncasecmp
#include <sys/socket.h>

#include <cerrno>
#include <memory>

#include "live/upstream_connection.h"

namespace zooter::live {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using Clock = std::chrono::steady_clock;

namespace {

// Upstream response headers the client gets back; the rest (Server, Date, framing, hop-by-hop
// headers) belong to the upstream's own connection. retry-after-ms and x-should-retry are read
// by the OpenAI SDKs to decide whether and when to retry.
bool passes_through(std::string_view name) {
  static constexpr std::string_view kKept[] = {"content-type",   "cache-control",        "retry-after",
                                               "retry-after-ms", "x-should-retry",       "x-request-id",
                                               "openai-processing-ms", "openai-model", "openai-version"};
  for (const std::string_view kept : kKept) {
    if (name.size() == kept.size() && ::strncasecmp(name.data(), kept.data(), kept.size()) == 0) return true;
  }
  return name.size() > 12 && ::strncasecmp(name.data(), "x-ratelimit-", 12) == 0;
}

std::string kind_of(const beast::error_code& ec) { return ec == beast::error::timeout ? "timeout" : "closed"; }

using ResponseParser = http::response_parser<http::buffer_body>;

// Sends the request and reads the answer's head. Stream: a plain or a TLS stream (one template,
// so that both go through the same code).
template <typename Stream>
asio::awaitable<beast::error_code> send_and_read_head(Stream& stream, beast::flat_buffer& buffer,
                                                      const http::request<http::string_body>& request,
                                                      ResponseParser& parser) {
  beast::error_code ec;
  co_await http::async_write(stream, request, asio::redirect_error(asio::use_awaitable, ec));
  if (!ec) co_await http::async_read_header(stream, buffer, parser, asio::redirect_error(asio::use_awaitable, ec));
  co_return ec;
}

// Parses the body bytes that arrived together with the head (already in `buffer`) into `piece`,
// without waiting for more; returns how many there were. The parser is eager for this one put
// only (every buffered chunk, not only the first) and is left non-eager: see read_some_body.
std::size_t take_buffered_body(ResponseParser& parser, beast::flat_buffer& buffer, std::span<char> piece,
                               beast::error_code& ec) {
  parser.get().body().data = piece.data();
  parser.get().body().size = piece.size();
  parser.eager(true);
  buffer.consume(parser.put(buffer.data(), ec));
  parser.eager(false);
  if (ec == http::error::need_more || ec == http::error::need_buffer) ec = {};
  return piece.size() - parser.get().body().size;
}

// Reads the next piece of body into the parser's buffer. The parser must not be eager: Beast's
// read_some reads again for as long as the parser says need_more, and an eager parser says so
// after a chunk's data whenever the next chunk's size line is not all there yet, with that data
// already in the body; an eager read would then hold each event back until the piece is full or
// the answer ends. Not eager, it returns as soon as one chunk's (or one read's) bytes are in.
template <typename Stream>
asio::awaitable<beast::error_code> read_some_body(Stream& stream, beast::flat_buffer& buffer, ResponseParser& parser) {
  beast::error_code ec;
  co_await http::async_read_some(stream, buffer, parser, asio::redirect_error(asio::use_awaitable, ec));
  if (ec == http::error::need_buffer) ec = {};
  co_return ec;
}

// The client's connection as seen while the upstream has not answered yet (all on the worker's
// thread: no lock). `connection` is the upstream connection to close when the client goes.
struct ClientWatch {
  bool active = true;
  bool client_gone = false;
  UpstreamConnection* connection = nullptr;
};

// Waits for the client's socket to become readable: the client sent nothing more while waiting
// for its answer, so readable means it hung up (FIN or reset), unless it pipelined a request, in
// which case it is still there and the watch ends. A half-close (shutdown of its sending side) reads
// as hanging up, as it does to nginx.
void watch_client(beast::tcp_stream& client, const std::shared_ptr<ClientWatch>& watch) {
  client.socket().async_wait(asio::ip::tcp::socket::wait_read, [&client, watch](const beast::error_code& ec) {
    // Not active: the exchange went on without this watch, and `client` may be gone.
    if (!watch->active || ec == asio::error::operation_aborted) return;
    if (!ec) {
      char byte = 0;
      const ssize_t n = ::recv(client.socket().native_handle(), &byte, 1, MSG_PEEK | MSG_DONTWAIT);
      if (n > 0 || (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR))) return;
    }
    watch->client_gone = true;
    if (watch->connection != nullptr && watch->connection->is_open()) {
      // Closing the socket ends the pending upstream read or write at once, and tells the upstream.
      beast::error_code ignored;
      watch->connection->tcp().socket().close(ignored);
    }
  });
}

// Ends the watch when the upstream's head is in, or however forward_chat ends before that.
class ClientWatchStop {
 public:
  ClientWatchStop(beast::tcp_stream& client, std::shared_ptr<ClientWatch> watch)
      : client_(client), watch_(std::move(watch)) {}
  ClientWatchStop(const ClientWatchStop&) = delete;
  ClientWatchStop& operator=(const ClientWatchStop&) = delete;
  ~ClientWatchStop() { now(); }
  void now() {
    if (!watch_->active) return;
    watch_->active = false;
    watch_->connection = nullptr;
    beast::error_code ignored;
    client_.socket().cancel(ignored);  // the watch's wait is the only operation on it now
  }

 private:
  beast::tcp_stream& client_;
  std::shared_ptr<ClientWatch> watch_;
};

ForwardOutcome abandoned_by_client(ForwardOutcome& outcome) {
  // 499, nginx's "client closed request": not an upstream failure, and nothing to answer.
  outcome.status = 499;
  outcome.client_usable = false;
  outcome.error_detail = "the client closed its connection before the upstream answered";
  return outcome;
}

}  // namespace

UpstreamForwarder::UpstreamForwarder(const std::vector<CandidateEndpoint>& candidates,
                                     std::vector<asio::ssl::context*> tls, std::chrono::milliseconds timeout)
    : candidates_(candidates), tls_(std::move(tls)), timeout_(timeout), idle_(candidates.size()) {
  tls_.resize(candidates.size(), nullptr);
}

UpstreamForwarder::~UpstreamForwarder() = default;

std::chrono::milliseconds UpstreamForwarder::timeout_for(std::size_t candidate) const {
  if (timeout_.count() > 0) return timeout_;
  return std::chrono::milliseconds(static_cast<long long>(std::ceil(candidates_[candidate].timeout_seconds * 1000.0)));
}

asio::awaitable<ForwardOutcome> UpstreamForwarder::forward_chat(std::size_t candidate, const std::string& body,
                                                                const ClientLeg& client) {
  const CandidateEndpoint& endpoint = candidates_[candidate];
  const std::chrono::milliseconds timeout = timeout_for(candidate);
  ForwardOutcome outcome;

  http::request<http::string_body> request{http::verb::post, endpoint.base_url.target("chat/completions"), 11};
  request.set(http::field::host, endpoint.base_url.host_header());
  request.set(http::field::content_type, "application/json");
  request.set(http::field::user_agent, "zooter-serve");
  if (!endpoint.api_key.empty()) request.set(http::field::authorization, "Bearer " + endpoint.api_key);
  request.keep_alive(true);
  request.body() = body;
  request.prepare_payload();

  std::unique_ptr<UpstreamConnection> connection;
  std::optional<ResponseParser> parser;
  beast::error_code ec;
  // Until the upstream's head is in, a client that hangs up closes the upstream connection: the
  // upstream stops generating and the candidate's concurrency slot is free again.
  const auto watch = std::make_shared<ClientWatch>();
  ClientWatchStop stop_watching{client.stream, watch};
  watch_client(client.stream, watch);
  // A pooled connection the upstream closed while it sat idle is dropped unused: nothing was
  // written on it, so nothing can have been processed. One that looks open gets the request, and
  // any failure after that is final (a 502, never a second send: the upstream may have acted on
  // the request before closing).
  while (!idle_[candidate].empty() && !connection) {
    connection = std::move(idle_[candidate].back());
    idle_[candidate].pop_back();
    if (!connection->still_open_while_idle()) connection.reset();
  }
  if (!connection) {
    const asio::any_io_executor executor = co_await asio::this_coro::executor;
    connection = std::make_unique<UpstreamConnection>(executor, endpoint.base_url, tls_[candidate]);
    watch->connection = connection.get();
    const Clock::time_point deadline = Clock::now() + timeout;
    const std::optional<ConnectFailure> failure = co_await connection->open(deadline);
    if (watch->client_gone) co_return abandoned_by_client(outcome);
    if (failure) {
      outcome.error = failure->code == beast::error::timeout ? "timeout" : "connect";
      outcome.error_detail = failure->message;
      co_return outcome;
    }
  }
  watch->connection = connection.get();
  if (watch->client_gone) co_return abandoned_by_client(outcome);
  connection->tcp().expires_after(timeout);
  parser.emplace();
  parser->body_limit(std::numeric_limits<std::uint64_t>::max());
  // Named arguments and plain if/else around co_await: GCC 12 mishandles temporaries and ?: in
  // co_await expressions.
  if (beast::tcp_stream* plain = connection->plain()) {
    ec = co_await send_and_read_head(*plain, connection->buffer(), request, *parser);
  } else {
    ec = co_await send_and_read_head(*connection->secure(), connection->buffer(), request, *parser);
  }
  if (watch->client_gone) co_return abandoned_by_client(outcome);
  stop_watching.now();
  if (ec) {
    outcome.error = kind_of(ec);
    outcome.error_detail = endpoint.base_url.to_string() + ": " + ec.message();
    co_return outcome;
  }

  // The answer's head, then its body piece by piece as the upstream sends it. Body bytes that
  // came in with the head go out in the same write as the client's head: one segment, so that
  // for a plain answer the client wakes once, not once for the head and again for the body.
  const auto& head = parser->get();
  outcome.status = static_cast<int>(head.result_int());
  http::response<http::buffer_body> down{head.result(), client.version};
  for (const auto& field : head) {
    if (passes_through(std::string_view(field.name_string().data(), field.name_string().size()))) down.insert(field.name_string(), field.value());
  }
  for (const auto& [name, value] : client.extra_headers) down.set(name, value);
  down.keep_alive(client.keep_alive);
  // A known length is kept as is, so a plain answer reaches the client byte for byte with the
  // same framing; anything else (chunked, or read-until-close) goes out chunked.
  const bool bodiless = parser->is_done();
  const bool chunked = !bodiless && !parser->content_length();
  if (bodiless) {
    // No Content-Length on a 204 or a 304, whose framing says there is no body (RFC 9110 8.6).
    const unsigned code = head.result_int();
    if (code != 204 && code != 304) down.content_length(0);
  } else if (chunked) {
    down.chunked(true);
  } else {
    down.content_length(*parser->content_length());
  }
  const std::span<char> piece = connection->relay_buffer();
  std::size_t n = 0;  // body bytes in `piece`, not yet relayed
  if (!bodiless && connection->buffer().size() > 0) {
    n = take_buffered_body(*parser, connection->buffer(), piece, ec);
    if (ec) {  // a malformed body: nothing went to the client yet, so it gets a 502
      outcome.error = kind_of(ec);
      outcome.error_detail = endpoint.base_url.to_string() + ": " + ec.message();
      co_return outcome;
    }
  }
  http::response_serializer<http::buffer_body> serializer{down};
  for (bool head_pending = true;;) {
    if (head_pending || n > 0 || parser->is_done()) {
      down.body().data = n > 0 ? piece.data() : nullptr;
      down.body().size = n;
      down.body().more = !parser->is_done();
      client.stream.expires_after(client.write_timeout);
      if (head_pending && n == 0 && !parser->is_done()) {
        // The head alone, now. (Given no body bytes and more to come, a buffer_body serializer
        // writes nothing at all, not even the head: it would wait for the first body bytes.)
        co_await http::async_write_header(client.stream, serializer, asio::redirect_error(asio::use_awaitable, ec));
      } else {
        co_await http::async_write(client.stream, serializer, asio::redirect_error(asio::use_awaitable, ec));
      }
      if (ec == http::error::need_buffer) ec = {};  // wrote all it was given; more to come
      outcome.headers_sent = true;
      head_pending = false;
      if (ec) {
        outcome.client_usable = false;  // the client left; the upstream connection is dropped too
        co_return outcome;
      }
      outcome.body_bytes += n;
    }
    if (parser->is_done()) break;
    parser->get().body().data = piece.data();
    parser->get().body().size = piece.size();
    connection->tcp().expires_after(timeout);
    if (beast::tcp_stream* plain = connection->plain()) {
      ec = co_await read_some_body(*plain, connection->buffer(), *parser);
    } else {
      ec = co_await read_some_body(*connection->secure(), connection->buffer(), *parser);
    }
    if (ec) {
      // Mid-answer: the status is gone already, so the client learns by the connection closing
      // before the answer's end.
      outcome.error = kind_of(ec);
      outcome.error_detail = endpoint.base_url.to_string() + " mid-answer: " + ec.message();
      outcome.client_usable = false;
      co_return outcome;
    }
    n = piece.size() - parser->get().body().size;
  }
  if (head.keep_alive() && idle_[candidate].size() < kMaxIdlePerCandidate) {
    connection->tcp().expires_never();
    idle_[candidate].push_back(std::move(connection));
  }
  co_return outcome;
}

}  // namespace zooter::live
