#include "live/proxy_server.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <utility>  // before Asio: Boost 1.74's awaitable.hpp needs std::exchange
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <ostream>
#include <thread>

#include "harness/error.h"
#include "live/chat_request.h"
#include "live/concurrency_limit.h"
#include "live/metrics.h"
#include "live/tls_context.h"
#include "live/upstream_forwarder.h"

namespace zooter::live {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;

namespace {

// Undoes an in-flight count when its scope ends, however it ends: an exception thrown in the
// middle of a request must not leave a gauge raised for good, nor make graceful shutdown wait
// its whole deadline for a request that is gone. now() undoes it early, once.
template <typename Undo>
class InFlight {
 public:
  explicit InFlight(Undo undo) : undo_(std::move(undo)) {}
  InFlight(const InFlight&) = delete;
  InFlight& operator=(const InFlight&) = delete;
  ~InFlight() { now(); }
  void now() {
    if (!done_) {
      done_ = true;
      undo_();
    }
  }

 private:
  Undo undo_;
  bool done_ = false;
};

// The OpenAI error shape, which SDKs parse into their exception types.
std::string openai_error(std::string_view message, std::string_view type, std::string_view code) {
  return fmt::format(R"({{"error":{{"message":{},"type":{},"code":{}}}}})", json_quote(message), json_quote(type),
                     code.empty() ? std::string("null") : json_quote(code));
}

// Compares without an early exit, so the time taken does not tell how much of a guess was right.
bool same_secret(std::string_view given, std::string_view expected) {
  if (given.size() != expected.size()) return false;
  unsigned char difference = 0;
  for (std::size_t i = 0; i < given.size(); ++i) {
    difference |= static_cast<unsigned char>(given[i] ^ expected[i]);
  }
  return difference == 0;
}

constexpr std::string_view kModelPrefix = "/v1/models/";

// The route label of a target: the known routes, or "other" (so that scanners cannot grow the
// metrics without bound). Every model's own path is one label.
std::string route_label(std::string_view path) {
  for (const std::string_view known : {"/v1/chat/completions", "/v1/models", "/healthz", "/metrics"}) {
    if (path == known) return std::string(known);
  }
  if (path.size() > kModelPrefix.size() && path.starts_with(kModelPrefix)) return "/v1/models/{id}";
  return "other";
}

// A path segment with its %XX escapes decoded (an SDK escapes a model id such as "org/name"); a
// '%' not followed by two hex digits stays as it is.
std::string percent_decoded(std::string_view text) {
  auto hex = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size() && hex(text[i + 1]) >= 0 && hex(text[i + 2]) >= 0) {
      out += static_cast<char>(hex(text[i + 1]) * 16 + hex(text[i + 2]));
      i += 2;
    } else {
      out += text[i];
    }
  }
  return out;
}

// One entry of the models list, and the answer to retrieving that model.
std::string model_entry(std::string_view id) {
  return fmt::format(R"({{"id":{},"object":"model","created":0,"owned_by":"zooter"}})", json_quote(id));
}

// A Transfer-Encoding other than chunked alone (e.g. "gzip, chunked"): a coding serve would have
// to undo before it could read the JSON, and does not implement.
bool unimplemented_coding(const http::request_header<>& head) {
  const auto field = head.find(http::field::transfer_encoding);
  if (field == head.end()) return false;
  std::string_view value(field->value().data(), field->value().size());
  while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
  while (!value.empty() && (value.back() == ' ' || value.back() == '\t')) value.remove_suffix(1);
  return !beast::iequals(beast::string_view(value.data(), value.size()), "chunked");
}

struct SimpleReply {
  http::status status = http::status::ok;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
};

SimpleReply error_reply(http::status status, std::string_view message, std::string_view type, std::string_view code) {
  return SimpleReply{status, "application/json", openai_error(message, type, code), {}};
}

}  // namespace

struct ProxyServer::Impl {
  // One thread, one io_context, one upstream connection pool: a connection and everything it
  // does stays on one thread, so none of it needs a lock or a strand.
  struct Worker {
    Worker(const std::vector<CandidateEndpoint>& candidates, std::vector<asio::ssl::context*> tls,
           std::chrono::milliseconds timeout)
        : guard(asio::make_work_guard(io)), forwarder(candidates, std::move(tls), timeout) {}
    asio::io_context io{1};
    asio::executor_work_guard<asio::io_context::executor_type> guard;
    UpstreamForwarder forwarder;
    std::thread thread;
  };

  Impl(ProxyConfig c, std::vector<CandidateEndpoint> e, RouteFunction r, std::ostream* log)
      : config(std::move(c)), candidates(std::move(e)), route(std::move(r)), access_log(log) {}

  ProxyConfig config;
  std::vector<CandidateEndpoint> candidates;
  RouteFunction route;
  std::ostream* access_log;
  std::mutex log_mutex;

  MetricsRegistry metrics;
  MetricFamily* requests_total = nullptr;
  MetricFamily* routed_total = nullptr;
  MetricFamily* duration = nullptr;
  MetricFamily* upstream_errors = nullptr;
  MetricFamily* upstream_in_flight = nullptr;
  MetricFamily* open_connections = nullptr;
  MetricFamily* refused_connections = nullptr;
  MetricFamily* header_timeouts = nullptr;

  // Per candidate, shared by all workers, so declared before them (destroyed after): a TLS
  // context for https ones, and the max_concurrency cap when the endpoints file sets one.
  std::vector<std::unique_ptr<asio::ssl::context>> tls_contexts;
  std::vector<std::unique_ptr<ConcurrencyLimit>> limits;
  std::vector<std::unique_ptr<Worker>> workers;
  // Declared after the workers, destroyed before them: they live on workers[0]'s io_context.
  std::optional<tcp::acceptor> acceptor;
  std::optional<asio::signal_set> signals;
  unsigned short port = 0;

  std::atomic<std::size_t> connections{0};
  std::atomic<std::size_t> requests_in_flight{0};
  std::atomic<bool> stopping{false};
  std::atomic<std::size_t> next_worker{0};
  bool started = false;
  std::mutex stop_mutex;
  std::condition_variable stop_changed;
  bool stopped = false;

  void register_metrics() {
    requests_total = &metrics.counter("zooter_requests_total", "HTTP requests answered, by route and status code.",
                                      {"route", "code"});
    routed_total = &metrics.counter("zooter_routed_requests_total",
                                    "Chat requests sent to each candidate, by how it was chosen (router or name).",
                                    {"model", "by"});
    duration = &metrics.histogram("zooter_request_duration_seconds",
                                  "Time from a chat request's arrival to the end of its answer, by candidate.",
                                  {"model"}, latency_buckets());
    upstream_errors = &metrics.counter(
        "zooter_upstream_errors_total",
        "Upstream failures by candidate and kind: connect, timeout, closed (dropped or malformed answer), "
        "status (answered 429 or 5xx).",
        {"model", "kind"});
    upstream_in_flight = &metrics.gauge("zooter_upstream_in_flight",
                                        "Chat requests being forwarded to each candidate now (at most its "
                                        "max_concurrency, when set).",
                                        {"model"});
    open_connections = &metrics.gauge("zooter_open_connections", "Client connections open now.");
    refused_connections = &metrics.counter("zooter_refused_connections_total",
                                           "Client connections refused with 503 past --max-connections.");
    // A counter without labels has its one sample from the start: a scraper sees 0, not nothing,
    // before the first refusal (rate() over a missing series is empty, not 0).
    refused_connections->increment({}, 0.0);
    header_timeouts = &metrics.counter("zooter_header_timeouts_total",
                                       "Client connections closed because a request head did not arrive within "
                                       "--header-timeout (slow or silent clients).");
    header_timeouts->increment({}, 0.0);
  }

  void log_access(std::string_view method, std::string_view target, int status, std::string_view model,
                  Clock::time_point start, std::size_t bytes) {
    if (access_log == nullptr) return;
    const double ms = std::chrono::duration<double, std::milli>(Clock::now() - start).count();
    const std::string line = fmt::format(R"({{"method":{},"target":{},"status":{},"model":{},"ms":{:.3f},"bytes":{}}})",
                                         json_quote(method), json_quote(target), status, json_quote(model), ms, bytes);
    const std::lock_guard lock(log_mutex);
    *access_log << line << '\n' << std::flush;
  }

  // With `head_only` (an answer to HEAD), the head goes out with the Content-Length the body would
  // have, and no body.
  asio::awaitable<bool> send(beast::tcp_stream& stream, const SimpleReply& reply, unsigned version, bool keep_alive,
                             bool head_only = false) {
    http::response<http::string_body> response{reply.status, version};
    response.set(http::field::server, "zooter");
    response.set(http::field::content_type, reply.content_type);
    for (const auto& [name, value] : reply.headers) response.set(name, value);
    response.keep_alive(keep_alive);
    response.body() = reply.body;
    response.prepare_payload();
    beast::error_code ec;
    stream.expires_after(config.client_timeout);
    if (head_only) {
      http::response_serializer<http::string_body> serializer{response};
      co_await http::async_write_header(stream, serializer, asio::redirect_error(asio::use_awaitable, ec));
    } else {
      co_await http::async_write(stream, response, asio::redirect_error(asio::use_awaitable, ec));
    }
    co_return !ec;
  }

  // After an error answer to a request whose body was not read: stop sending, then read and drop
  // what the client still sends for a moment, so that closing does not reset the connection and
  // destroy the answer before the client reads it.
  static asio::awaitable<void> linger_close(beast::tcp_stream& stream) {
    beast::error_code ec;
    stream.socket().shutdown(tcp::socket::shutdown_send, ec);
    std::array<char, 16384> scratch{};
    std::size_t drained = 0;
    stream.expires_after(std::chrono::seconds(1));
    while (!ec && drained < (64u << 20)) {
      drained += co_await stream.async_read_some(asio::buffer(scratch), asio::redirect_error(asio::use_awaitable, ec));
    }
  }

  [[nodiscard]] bool authorized(const http::request<http::string_body>& request) const {
    if (config.auth_token.empty()) return true;
    const auto header = request.find(http::field::authorization);
    if (header == request.end()) return false;
    const std::string_view value(header->value().data(), header->value().size());
    constexpr std::string_view kBearer = "Bearer ";
    if (value.size() < kBearer.size() || value.substr(0, kBearer.size()) != kBearer) return false;
    return same_secret(value.substr(kBearer.size()), config.auth_token);
  }

  [[nodiscard]] std::string models_list() const {
    std::string out = R"({"object":"list","data":[)";
    out += model_entry("auto");
    for (const CandidateEndpoint& c : candidates) out += "," + model_entry(c.name);
    out += "]}";
    return out;
  }

  // "auto, alpha, beta": the names a request may give as its model.
  [[nodiscard]] std::string known_models() const {
    std::string known = "auto";
    for (const CandidateEndpoint& c : candidates) known += ", " + c.name;
    return known;
  }

  [[nodiscard]] SimpleReply model_not_found(std::string_view wanted) const {
    return error_reply(http::status::not_found,
                       fmt::format("The model {} does not exist here (known: {})", json_quote(wanted), known_models()),
                       "invalid_request_error", "model_not_found");
  }

  // GET /v1/models/{id} (the SDKs' models.retrieve): the list's entry for that model, or 404.
  [[nodiscard]] SimpleReply retrieve_model(std::string_view path) const {
    const std::string id = percent_decoded(path.substr(kModelPrefix.size()));
    const bool known = id == "auto" || std::any_of(candidates.begin(), candidates.end(),
                                                   [&](const CandidateEndpoint& c) { return c.name == id; });
    return known ? SimpleReply{http::status::ok, "application/json", model_entry(id), {}} : model_not_found(id);
  }

  // Answers one chat request. Returns the status sent and whether the connection is still usable.
  asio::awaitable<std::pair<int, bool>> chat(beast::tcp_stream& stream, const http::request<http::string_body>& request,
                                             bool keep_alive, Clock::time_point start, std::string& model_name,
                                             std::size_t& bytes) {
    const unsigned version = request.version();
    ChatRequest chat;
    std::optional<SimpleReply> rejection;  // co_await is not allowed inside a catch block
    try {
      chat = parse_chat_request(request.body(), ChatRequestLimits{config.max_body_bytes, 4096});
    } catch (const ChatRequestError& e) {
      const bool too_large = e.kind() == ChatRequestError::Kind::kTooLarge;
      rejection = error_reply(too_large ? http::status::payload_too_large : http::status::bad_request, e.what(),
                              "invalid_request_error", "");
    }
    if (rejection) {
      bytes = rejection->body.size();
      const bool ok = co_await send(stream, *rejection, version, keep_alive);
      co_return std::pair{static_cast<int>(rejection->status), ok};
    }
    std::string wanted = chat.model.empty() ? config.default_model : chat.model;
    std::size_t index = 0;
    std::string by = "name";
    if (wanted == "auto") {
      index = route(chat.routing_text);
      by = "router";
    } else {
      const auto found = std::find_if(candidates.begin(), candidates.end(),
                                      [&](const CandidateEndpoint& c) { return c.name == wanted; });
      if (found == candidates.end()) {
        const SimpleReply reply = model_not_found(wanted);
        bytes = reply.body.size();
        const bool ok = co_await send(stream, reply, version, keep_alive);
        co_return std::pair{404, ok};
      }
      index = static_cast<std::size_t>(found - candidates.begin());
    }
    const CandidateEndpoint& candidate = candidates.at(index);
    model_name = candidate.name;
    routed_total->increment({candidate.name, by});

    Worker& worker = current_worker();
    ConcurrencyLimit::Slot slot;  // held until the answer has been relayed
    if (ConcurrencyLimit* limit = limits[index].get()) {
      const std::chrono::milliseconds patience = worker.forwarder.timeout_for(index);
      const Clock::time_point deadline = Clock::now() + patience;
      slot = co_await limit->acquire(deadline);
      if (!slot) {
        // Busy rather than a timeout: the upstream was never asked. 503 with Retry-After is what
        // HAProxy and Envoy answer for a full queue, and what the OpenAI SDKs retry with backoff.
        SimpleReply reply = error_reply(
            http::status::service_unavailable,
            fmt::format("candidate {} has {} requests in flight (its max_concurrency) and none finished "
                        "within {:.1f} s; retry later",
                        candidate.name, limit->limit(), std::chrono::duration<double>(patience).count()),
            "server_busy", "upstream_busy");
        reply.headers.emplace_back("x-zooter-model", candidate.name);
        reply.headers.emplace_back("Retry-After", "1");
        bytes = reply.body.size();
        const bool ok = co_await send(stream, reply, version, keep_alive);
        duration->observe({candidate.name}, std::chrono::duration<double>(Clock::now() - start).count());
        co_return std::pair{503, ok};
      }
    }
    upstream_in_flight->increment({candidate.name}, 1);
    InFlight upstream_done([&] { upstream_in_flight->increment({candidate.name}, -1); });
    ClientLeg client{stream, version, keep_alive, config.client_timeout, {{"x-zooter-model", candidate.name}}};
    const std::string forwarded = replace_model(request.body(), chat, candidate.model);
    const ForwardOutcome outcome = co_await worker.forwarder.forward_chat(index, forwarded, client);
    upstream_done.now();
    slot = {};
    bytes = outcome.body_bytes;
    if (!outcome.error.empty()) upstream_errors->increment({candidate.name, outcome.error});
    if (outcome.headers_sent && (outcome.status == 429 || outcome.status >= 500)) {
      upstream_errors->increment({candidate.name, "status"});
    }
    int status = outcome.status;
    bool usable = outcome.client_usable;
    if (!outcome.headers_sent && usable) {
      const bool timeout = outcome.error == "timeout";
      const auto code = timeout ? http::status::gateway_timeout : http::status::bad_gateway;
      SimpleReply reply = error_reply(code,
                                      fmt::format("upstream {} failed: {}", candidate.name, outcome.error_detail),
                                      "upstream_error", timeout ? "upstream_timeout" : "upstream_unavailable");
      reply.headers.emplace_back("x-zooter-model", candidate.name);
      bytes = reply.body.size();
      usable = co_await send(stream, reply, version, keep_alive);
      status = static_cast<int>(code);
    }
    duration->observe({candidate.name}, std::chrono::duration<double>(Clock::now() - start).count());
    co_return std::pair{status, usable};
  }

  // The worker whose thread is running this (a coroutine never leaves its connection's worker).
  Worker& current_worker() {
    for (auto& w : workers) {
      if (w->io.get_executor().running_in_this_thread()) return *w;
    }
    ZOOTER_CHECK(false);
    return *workers.front();
  }

  // Answers one request; returns whether the connection may carry another.
  asio::awaitable<bool> handle(beast::tcp_stream& stream, const http::request<http::string_body>& request,
                               bool keep_alive) {
    const Clock::time_point start = Clock::now();
    const std::string_view target(request.target().data(), request.target().size());
    const std::string_view path = target.substr(0, target.find('?'));
    const std::string route_name = route_label(path);
    const http::verb method = request.method();
    const bool head_only = method == http::verb::head;
    const bool get_or_head = method == http::verb::get || head_only;
    const unsigned version = request.version();
    std::string model_name;
    std::size_t bytes = 0;
    int status = 200;
    bool usable = true;

    auto wrong_method = [&](std::string_view allowed) {
      SimpleReply reply = error_reply(http::status::method_not_allowed,
                                      fmt::format("{} takes {} only", path, allowed), "invalid_request_error", "");
      reply.headers.emplace_back("Allow", std::string(allowed));
      return reply;
    };

    // Every route but chat answers with one SimpleReply, sent below. (Replies are named objects,
    // never temporaries, in co_await expressions: GCC 12 can destroy such a temporary twice.)
    std::optional<SimpleReply> reply;
    if (route_name == "/healthz") {
      reply = get_or_head ? SimpleReply{http::status::ok, "text/plain", "ok\n", {}} : wrong_method("GET, HEAD");
    } else if (!authorized(request)) {
      reply = error_reply(http::status::unauthorized, "missing or wrong API key: send Authorization: Bearer <token>",
                          "invalid_request_error", "invalid_api_key");
      reply->headers.emplace_back("WWW-Authenticate", "Bearer");
    } else if (route_name == "/metrics") {
      reply = get_or_head ? SimpleReply{http::status::ok, "text/plain; version=0.0.4; charset=utf-8",
                                        metrics.exposition(), {}}
                          : wrong_method("GET, HEAD");
    } else if (route_name == "/v1/models") {
      reply = method == http::verb::get ? SimpleReply{http::status::ok, "application/json", models_list(), {}}
                                        : wrong_method("GET");
    } else if (route_name == "/v1/models/{id}") {
      reply = method == http::verb::get ? retrieve_model(path) : wrong_method("GET");
    } else if (route_name == "/v1/chat/completions") {
      if (method != http::verb::post) reply = wrong_method("POST");
    } else {
      reply = error_reply(http::status::not_found, fmt::format("no route {}", json_quote(path)),
                          "invalid_request_error", "unknown_url");
    }
    if (reply) {
      // Any answer to a HEAD (a 401 or 405 too) is its head alone: a body would be read as the
      // start of the next answer.
      status = static_cast<int>(reply->status);
      bytes = head_only ? 0 : reply->body.size();
      usable = co_await send(stream, *reply, version, keep_alive, head_only);
    } else {
      std::tie(status, usable) = co_await chat(stream, request, keep_alive, start, model_name, bytes);
    }
    requests_total->increment({route_name, std::to_string(status)});
    log_access(std::string_view(request.method_string().data(), request.method_string().size()), target, status, model_name, start, bytes);
    co_return usable;
  }

  // Whether a connection is served, kept for health checks only, or refused unread.
  enum class Admission { kServe, kHealthChecksOnly, kRefuse };
  static constexpr std::chrono::milliseconds kProbeHeadTimeout{1000};

  SimpleReply too_many_connections() const {
    SimpleReply reply = error_reply(http::status::service_unavailable, "too many connections; retry later",
                                    "server_busy", "too_many_connections");
    reply.headers.emplace_back("Retry-After", "1");
    return reply;
  }

  // Reads one request: its head within `head_timeout`, its body within client_timeout. `later` is
  // a kept-alive connection's next request: the wait for its first byte is idle time
  // (client_timeout), and the head's deadline starts with that byte. Returns the error, if any;
  // `unimplemented` is set (and the body left unread) for a Transfer-Encoding serve cannot decode.
  asio::awaitable<beast::error_code> read_request(beast::tcp_stream& stream, beast::flat_buffer& buffer,
                                                  http::request_parser<http::string_body>& parser, bool later,
                                                  std::chrono::milliseconds head_timeout, bool& unimplemented) {
    beast::error_code ec;
    if (later && buffer.size() == 0) {
      stream.expires_after(config.client_timeout);
      const std::size_t n = co_await stream.async_read_some(buffer.prepare(4096), asio::redirect_error(asio::use_awaitable, ec));
      buffer.commit(n);
      if (ec) co_return ec;
    }
    stream.expires_after(head_timeout);
    co_await http::async_read_header(stream, buffer, parser, asio::redirect_error(asio::use_awaitable, ec));
    // Closed without an answer (the stream closes the socket at its deadline), but counted: a
    // flood of slow clients shows in the metrics.
    if (ec == beast::error::timeout) header_timeouts->increment({});
    if (ec) co_return ec;
    if (unimplemented_coding(parser.get())) {
      unimplemented = true;
      co_return ec;
    }
    if (!parser.is_done()) {
      stream.expires_after(config.client_timeout);
      co_await http::async_read(stream, buffer, parser, asio::redirect_error(asio::use_awaitable, ec));
    }
    co_return ec;
  }

  // Answers a request that could not be read (too large, malformed, a coding not implemented),
  // then closes; nothing is answered to a client that left or timed out.
  asio::awaitable<void> refuse_unreadable(beast::tcp_stream& stream, const beast::error_code& ec, bool unimplemented) {
    std::optional<SimpleReply> reply;
    if (unimplemented) {
      reply = error_reply(http::status::not_implemented,
                          "Transfer-Encoding other than chunked is not implemented; send the body unencoded",
                          "invalid_request_error", "");
    } else if (ec == http::error::header_limit) {
      reply = error_reply(http::status::request_header_fields_too_large,
                          fmt::format("request line and headers exceed {} bytes", config.max_header_bytes),
                          "invalid_request_error", "");
    } else if (ec == http::error::body_limit) {
      reply = error_reply(http::status::payload_too_large,
                          fmt::format("request body exceeds {} bytes", config.max_body_bytes),
                          "invalid_request_error", "");
    } else if (ec.category() == http::make_error_code(http::error::header_limit).category() &&
               ec != http::error::end_of_stream && ec != http::error::partial_message) {
      reply = error_reply(http::status::bad_request, "malformed HTTP request: " + ec.message(),
                          "invalid_request_error", "");
    }
    if (!reply) co_return;
    const Clock::time_point start = Clock::now();
    co_await send(stream, *reply, 11, false);
    requests_total->increment({"other", std::to_string(static_cast<int>(reply->status))});
    log_access("-", "-", static_cast<int>(reply->status), "", start, reply->body.size());
    co_await linger_close(stream);
  }

  // A connection's requests, one after another. On a health-check connection (past
  // max_connections) one request is read: a probe of /healthz or /metrics is answered, anything
  // else gets the 503 a refused connection gets.
  asio::awaitable<void> session(tcp::socket& socket, bool health_checks_only) {
    // A probe sends its request at once, so a reserve connection gets at most kProbeHeadTimeout
    // for its head: slow clients that spill into the reserve are cut quickly and free it.
    const std::chrono::milliseconds head_timeout =
        health_checks_only ? std::min(config.header_timeout, kProbeHeadTimeout) : config.header_timeout;
    beast::tcp_stream stream(std::move(socket));
    beast::error_code ec;
    stream.socket().set_option(tcp::no_delay(true), ec);
    beast::flat_buffer buffer;
    for (bool later = false;; later = true) {
      http::request_parser<http::string_body> parser;
      parser.header_limit(static_cast<std::uint32_t>(std::min<std::size_t>(config.max_header_bytes, UINT32_MAX)));
      parser.body_limit(config.max_body_bytes);
      bool unimplemented = false;
      ec = co_await read_request(stream, buffer, parser, later, head_timeout, unimplemented);
      if (ec || unimplemented) {
        co_await refuse_unreadable(stream, ec, unimplemented);
        co_return;
      }
      ++requests_in_flight;
      InFlight request_done([this] { --requests_in_flight; });
      const http::request<http::string_body>& request = parser.get();
      const std::string_view target(request.target().data(), request.target().size());
      const std::string route_name = route_label(target.substr(0, target.find('?')));
      if (health_checks_only && route_name != "/healthz" && route_name != "/metrics") {
        refused_connections->increment({});
        const Clock::time_point start = Clock::now();
        const SimpleReply reply = too_many_connections();
        co_await send(stream, reply, request.version(), false);
        requests_total->increment({route_name, "503"});
        log_access(std::string_view(request.method_string().data(), request.method_string().size()), target, 503,
                   "", start, reply.body.size());
        stream.socket().shutdown(tcp::socket::shutdown_send, ec);
        co_return;
      }
      const bool keep_alive = request.keep_alive() && !stopping.load() && !health_checks_only;
      const bool usable = co_await handle(stream, request, keep_alive);
      request_done.now();
      if (!usable || !keep_alive) {
        stream.socket().shutdown(tcp::socket::shutdown_send, ec);
        co_return;
      }
    }
  }

  // A connection past max_connections and the health-check reserve: told so and closed, without
  // reading its request.
  asio::awaitable<void> refuse(tcp::socket& socket) {
    beast::tcp_stream stream(std::move(socket));
    refused_connections->increment({});
    const SimpleReply reply = too_many_connections();
    co_await send(stream, reply, 11, false);
    co_await linger_close(stream);
  }

  asio::awaitable<void> accept_loop() {
    for (;;) {
      Worker& worker = *workers[next_worker++ % workers.size()];
      tcp::socket socket(worker.io);
      beast::error_code ec;
      co_await acceptor->async_accept(socket, asio::redirect_error(asio::use_awaitable, ec));
      if (stopping.load() || !acceptor->is_open()) co_return;
      if (ec) continue;  // e.g. out of file descriptors; the next accept may work
      const std::size_t open = ++connections;
      const Admission admission = open <= config.max_connections ? Admission::kServe
                                  : open <= config.max_connections + config.health_check_connections
                                      ? Admission::kHealthChecksOnly
                                      : Admission::kRefuse;
      asio::co_spawn(worker.io, counted(std::move(socket), admission), asio::detached);
    }
  }

  // Runs a session or a refusal and keeps the connection count and gauge right.
  asio::awaitable<void> counted(tcp::socket socket, Admission admission) {
    open_connections->increment({}, 1);
    try {
      if (admission == Admission::kRefuse) {
        co_await refuse(socket);
      } else {
        co_await session(socket, admission == Admission::kHealthChecksOnly);
      }
    } catch (const std::exception&) {
      // Only resource exhaustion (bad_alloc) gets here: that connection is lost, not the server.
    }
    open_connections->increment({}, -1);
    --connections;
  }

  asio::awaitable<void> drain_then_stop() {
    asio::steady_timer timer(workers.front()->io);
    const Clock::time_point deadline = Clock::now() + config.shutdown_grace;
    while (requests_in_flight.load() > 0 && Clock::now() < deadline) {
      timer.expires_after(std::chrono::milliseconds(5));
      beast::error_code ec;
      co_await timer.async_wait(asio::redirect_error(asio::use_awaitable, ec));
    }
    stop_workers();
  }

  void stop_workers() {
    for (auto& w : workers) {
      w->guard.reset();
      w->io.stop();
    }
    const std::lock_guard lock(stop_mutex);
    stopped = true;
    stop_changed.notify_all();
  }

  void begin_shutdown() {
    if (stopping.exchange(true)) return;
    if (!started) {
      stop_workers();
      return;
    }
    asio::post(workers.front()->io, [this] {
      beast::error_code ec;
      acceptor->close(ec);
      if (signals) signals->cancel(ec);
      asio::co_spawn(workers.front()->io, drain_then_stop(), asio::detached);
    });
  }
};

ProxyServer::ProxyServer(ProxyConfig config, std::vector<CandidateEndpoint> candidates, RouteFunction route,
                         std::ostream* access_log)
    : impl_(std::make_unique<Impl>(std::move(config), std::move(candidates), std::move(route), access_log)) {
  Impl& s = *impl_;
  if (s.candidates.empty()) throw InputError("zooter serve: no candidates to route to");
  if (s.config.default_model != "auto" &&
      std::none_of(s.candidates.begin(), s.candidates.end(),
                   [&](const CandidateEndpoint& c) { return c.name == s.config.default_model; })) {
    throw InputError(fmt::format("--default-model \"{}\" is neither auto nor a candidate", s.config.default_model));
  }
  s.register_metrics();
  std::vector<asio::ssl::context*> tls;
  for (const CandidateEndpoint& c : s.candidates) {
    s.tls_contexts.push_back(c.base_url.scheme == "https" ? make_tls_context(c.ca_file) : nullptr);
    tls.push_back(s.tls_contexts.back().get());
    s.limits.push_back(c.max_concurrency_given ? std::make_unique<ConcurrencyLimit>(c.max_concurrency) : nullptr);
  }
  const std::chrono::milliseconds timeout = s.config.upstream_timeout;
  for (unsigned i = 0; i < std::max(1u, s.config.threads); ++i) {
    s.workers.push_back(std::make_unique<Impl::Worker>(s.candidates, tls, timeout));
  }
  const std::string host = s.config.listen_host == "localhost" ? "127.0.0.1" : s.config.listen_host;
  beast::error_code ec;
  const asio::ip::address address = asio::ip::make_address(host, ec);
  if (ec) throw InputError(fmt::format("--listen: \"{}\" is not an IP address", s.config.listen_host));
  const tcp::endpoint endpoint(address, s.config.listen_port);
  s.acceptor.emplace(s.workers.front()->io);
  s.acceptor->open(endpoint.protocol(), ec);
  if (!ec) s.acceptor->set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) s.acceptor->bind(endpoint, ec);
  if (!ec) s.acceptor->listen(asio::socket_base::max_listen_connections, ec);
  if (ec) throw InputError(fmt::format("cannot listen on {}:{}: {}", host, s.config.listen_port, ec.message()));
  s.port = s.acceptor->local_endpoint().port();
}

ProxyServer::~ProxyServer() {
  Impl& s = *impl_;
  s.stopping = true;
  s.stop_workers();
  for (auto& w : s.workers) {
    if (w->thread.joinable()) w->thread.join();
  }
  // The workers' io_contexts are destroyed next, with the requests still waiting on them; a slot
  // they give back must not be posted to one of them.
  for (auto& limit : s.limits) {
    if (limit) limit->stop_handing_over();
  }
}

unsigned short ProxyServer::port() const { return impl_->port; }

MetricsRegistry& ProxyServer::metrics() { return impl_->metrics; }

void ProxyServer::start() {
  Impl& s = *impl_;
  ZOOTER_CHECK(!s.started);
  s.started = true;
  asio::co_spawn(s.workers.front()->io, s.accept_loop(), asio::detached);
  for (auto& w : s.workers) {
    Impl::Worker* worker = w.get();
    w->thread = std::thread([worker] { worker->io.run(); });
  }
}

void ProxyServer::stop_on_signals() {
  Impl& s = *impl_;
  s.signals.emplace(s.workers.front()->io, SIGINT, SIGTERM);
  s.signals->async_wait([&s](const beast::error_code& ec, int) {
    if (!ec) s.begin_shutdown();
  });
}

void ProxyServer::shutdown() { impl_->begin_shutdown(); }

void ProxyServer::wait() {
  Impl& s = *impl_;
  {
    std::unique_lock lock(s.stop_mutex);
    s.stop_changed.wait(lock, [&s] { return s.stopped; });
  }
  for (auto& w : s.workers) {
    if (w->thread.joinable()) w->thread.join();
  }
}

}  // namespace zooter::live
