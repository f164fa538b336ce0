#include "tests/support/fake_upstream.h"

#include <fmt/format.h>
#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>
#include <strings.h>  // for strncasecmp

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

#include <algorithm>
#include <array>
#include <cstdint>
#include <map>
#include <mutex>
#include <stdexcept>
#include <thread>

#include "tests/support/self_signed_certificate.h"

namespace zooter::testing {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

std::string Request::header(std::string_view name) const {
  for (const auto& [key, value] : headers) {
    if (key.size() == name.size() && ::strncasecmp(key.data(), name.data(), name.size()) == 0) {
      return value;
    }
  }
  return {};
}

namespace {

using JsonWriter = rapidjson::Writer<rapidjson::StringBuffer>;

std::string error_body(const std::string& message, const std::string& type, int code) {
  rapidjson::StringBuffer out;
  JsonWriter w(out);
  w.StartObject();
  w.Key("error");
  w.StartObject();
  w.Key("message");
  w.String(message);
  w.Key("type");
  w.String(type);
  w.Key("code");
  w.Int(code);
  w.EndObject();
  w.EndObject();
  return out.GetString();
}

std::size_t count_words(std::string_view text) {
  std::size_t words = 0;
  bool in_word = false;
  for (char c : text) {
    const bool space = c == ' ' || c == '\n' || c == '\t' || c == '\r';
    if (!space && !in_word) ++words;
    in_word = !space;
  }
  return words;
}

// Message content is a string or an array of {"type": "text", "text": ...} parts (joined by a
// space); anything else reads as "".
std::string content_text(const rapidjson::Value& message) {
  if (!message.IsObject()) return {};
  const auto content = message.FindMember("content");
  if (content == message.MemberEnd()) return {};
  if (content->value.IsString()) return content->value.GetString();
  std::string text;
  if (!content->value.IsArray()) return text;
  for (const auto& part : content->value.GetArray()) {
    if (!part.IsObject()) continue;
    const auto t = part.FindMember("text");
    if (t == part.MemberEnd() || !t->value.IsString()) continue;
    if (!text.empty()) text += ' ';
    text += t->value.GetString();
  }
  return text;
}

// What the default chat route needs from a request body.
struct ChatAsk {
  std::string model;
  std::string last_user;
  std::size_t prompt_words = 0;
  bool stream = false;
  bool include_usage = false;
  std::string id;  // from a hash of the body, so equal requests get equal answers
};

std::optional<ChatAsk> read_chat_ask(const std::string& body) {
  rapidjson::Document doc;
  doc.Parse(body.data(), body.size());
  if (doc.HasParseError() || !doc.IsObject()) return std::nullopt;
  const auto messages = doc.FindMember("messages");
  if (messages == doc.MemberEnd() || !messages->value.IsArray()) return std::nullopt;
  ChatAsk ask;
  if (const auto m = doc.FindMember("model"); m != doc.MemberEnd() && m->value.IsString()) {
    ask.model = m->value.GetString();
  }
  if (const auto s = doc.FindMember("stream"); s != doc.MemberEnd() && s->value.IsBool()) {
    ask.stream = s->value.GetBool();
  }
  if (const auto o = doc.FindMember("stream_options"); o != doc.MemberEnd() && o->value.IsObject()) {
    const auto u = o->value.FindMember("include_usage");
    ask.include_usage = u != o->value.MemberEnd() && u->value.IsBool() && u->value.GetBool();
  }
  for (const auto& message : messages->value.GetArray()) {
    const std::string text = content_text(message);
    ask.prompt_words += count_words(text);
    if (message.IsObject()) {
      const auto role = message.FindMember("role");
      if (role != message.MemberEnd() && role->value.IsString() &&
          std::string_view(role->value.GetString()) == "user") {
        ask.last_user = text;
      }
    }
  }
  std::uint64_t hash = 14695981039346656037ull;  // FNV-1a
  for (unsigned char c : body) hash = (hash ^ c) * 1099511628211ull;
  ask.id = fmt::format("chatcmpl-fake-{:016x}", hash);
  return ask;
}

std::string answer_text(const ChatAsk& ask) { return "echo " + ask.model + ": " + ask.last_user; }

constexpr std::int64_t kCreated = 1700000000;

void write_usage(JsonWriter& w, std::size_t prompt, std::size_t completion) {
  w.Key("usage");
  w.StartObject();
  w.Key("prompt_tokens");
  w.Uint64(prompt);
  w.Key("completion_tokens");
  w.Uint64(completion);
  w.Key("total_tokens");
  w.Uint64(prompt + completion);
  w.EndObject();
}

void write_chunk_head(JsonWriter& w, const ChatAsk& ask) {
  w.Key("id");
  w.String(ask.id);
  w.Key("object");
  w.String("chat.completion.chunk");
  w.Key("created");
  w.Int64(kCreated);
  w.Key("model");
  w.String(ask.model);
}

// One streamed event; `delta_key` empty means an empty delta.
std::string chunk_event(const ChatAsk& ask, const char* delta_key, const std::string& delta_value,
                        const char* finish_reason) {
  rapidjson::StringBuffer out;
  JsonWriter w(out);
  w.StartObject();
  write_chunk_head(w, ask);
  w.Key("choices");
  w.StartArray();
  w.StartObject();
  w.Key("index");
  w.Int(0);
  w.Key("delta");
  w.StartObject();
  if (delta_key != nullptr) {
    w.Key(delta_key);
    w.String(delta_value);
  }
  w.EndObject();
  w.Key("finish_reason");
  if (finish_reason != nullptr) {
    w.String(finish_reason);
  } else {
    w.Null();
  }
  w.EndObject();
  w.EndArray();
  w.EndObject();
  return fmt::format("data: {}\n\n", out.GetString());
}

Reply bad_request() {
  return Reply{400, "application/json",
               error_body("fake upstream: body is not a chat request", "invalid_request_error", 400),
               {}};
}

}  // namespace

Reply fake_chat_completion(const Request& request) {
  const std::optional<ChatAsk> ask = read_chat_ask(request.body);
  if (!ask) return bad_request();
  const std::string answer = answer_text(*ask);
  rapidjson::StringBuffer out;
  JsonWriter w(out);
  w.StartObject();
  w.Key("id");
  w.String(ask->id);
  w.Key("object");
  w.String("chat.completion");
  w.Key("created");
  w.Int64(kCreated);
  w.Key("model");
  w.String(ask->model);
  w.Key("choices");
  w.StartArray();
  w.StartObject();
  w.Key("index");
  w.Int(0);
  w.Key("message");
  w.StartObject();
  w.Key("role");
  w.String("assistant");
  w.Key("content");
  w.String(answer);
  w.EndObject();
  w.Key("finish_reason");
  w.String("stop");
  w.EndObject();
  w.EndArray();
  write_usage(w, ask->prompt_words, count_words(answer));
  w.EndObject();
  return Reply{200, "application/json", out.GetString(), {}};
}

std::vector<std::string> fake_chat_completion_events(const Request& request) {
  const std::optional<ChatAsk> ask = read_chat_ask(request.body);
  if (!ask) return {};
  const std::string answer = answer_text(*ask);
  std::vector<std::string> events;
  events.push_back(chunk_event(*ask, "role", "assistant", nullptr));
  // One event per word with its trailing spaces, so the pieces concatenate to the answer.
  std::size_t start = 0;
  while (start < answer.size()) {
    std::size_t end = answer.find(' ', start);
    end = end == std::string::npos ? answer.size() : answer.find_first_not_of(' ', end);
    if (end == std::string::npos) end = answer.size();
    events.push_back(chunk_event(*ask, "content", answer.substr(start, end - start), nullptr));
    start = end;
  }
  events.push_back(chunk_event(*ask, nullptr, "", "stop"));
  if (ask->include_usage) {
    rapidjson::StringBuffer out;
    JsonWriter w(out);
    w.StartObject();
    write_chunk_head(w, *ask);
    w.Key("choices");
    w.StartArray();
    w.EndArray();
    write_usage(w, ask->prompt_words, count_words(answer));
    w.EndObject();
    events.push_back(fmt::format("data: {}\n\n", out.GetString()));
  }
  events.push_back("data: [DONE]\n\n");
  return events;
}

Reply fake_models_list() {
  return Reply{200, "application/json",
               R"({"object":"list","data":[{"id":"fake-model","object":"model","created":1700000000,"owned_by":"zooter-fake"}]})",
               {}};
}

struct FakeUpstream::Impl {
  asio::io_context io;
  tcp::acceptor acceptor{io};
  std::vector<std::thread> threads;
  unsigned short port = 0;
  std::optional<asio::ssl::context> tls;  // engaged: HTTPS
  std::string certificate_pem;

  mutable std::mutex mutex;  // guards everything below
  int drop_remaining = 0;
  int fail_remaining = 0;
  int fail_status = 500;
  std::optional<int> fail_retry_after;
  std::chrono::milliseconds delay{0};
  std::chrono::milliseconds stream_interval{1};
  bool holding_answers = false;  // hold_answers() until release()
  bool holding_streams = false;  // hold_streams_after_first_event() until release()
  std::map<std::string, std::function<Reply(const Request&)>> handlers;
  std::vector<Request> received;
  std::size_t accepted = 0;
  std::size_t answering = 0;  // requests read and not yet answered
  std::size_t max_answering = 0;

  // What to do with one request, decided (and counted) under the lock when it arrives.
  struct Plan {
    bool drop = false;
    std::optional<Reply> failure;
    std::chrono::milliseconds delay{0};
    std::chrono::milliseconds stream_interval{0};
    std::function<Reply(const Request&)> handler;
  };

  // Counts the request as being answered until answered() (not RAII: a coroutine abandoned when
  // the server stops is destroyed after this mutex).
  Plan plan_for(const Request& request) {
    const std::lock_guard lock(mutex);
    received.push_back(request);
    max_answering = std::max(max_answering, ++answering);
    Plan plan;
    plan.delay = delay;
    plan.stream_interval = stream_interval;
    if (drop_remaining > 0) {
      --drop_remaining;
      plan.drop = true;
      return plan;
    }
    if (fail_remaining > 0) {
      --fail_remaining;
      Reply reply{fail_status, "application/json",
                  error_body(fmt::format("fake upstream: failing on purpose with {}", fail_status),
                             fail_status == 429 ? "rate_limit_error" : "server_error", fail_status),
                  {}};
      if (fail_retry_after) reply.headers.emplace_back("Retry-After", std::to_string(*fail_retry_after));
      plan.failure = std::move(reply);
      return plan;
    }
    const std::string path = request.target.substr(0, request.target.find('?'));
    if (const auto h = handlers.find(path); h != handlers.end()) plan.handler = h->second;
    return plan;
  }

  void answered() {
    const std::lock_guard lock(mutex);
    --answering;
  }

  asio::awaitable<void> accept_loop() {
    for (;;) {
      beast::error_code ec;
      tcp::socket socket = co_await acceptor.async_accept(asio::redirect_error(asio::use_awaitable, ec));
      if (ec == asio::error::operation_aborted || !acceptor.is_open()) co_return;
      if (ec) continue;
      {
        const std::lock_guard lock(mutex);
        ++accepted;
      }
      if (tls) {
        asio::co_spawn(acceptor.get_executor(), serve_tls(std::move(socket)), asio::detached);
      } else {
        asio::co_spawn(acceptor.get_executor(), serve_plain(std::move(socket)), asio::detached);
      }
    }
  }

  asio::awaitable<void> serve_plain(tcp::socket socket) {
    beast::tcp_stream stream(std::move(socket));
    co_await serve(stream);
  }

  asio::awaitable<void> serve_tls(tcp::socket socket) {
    beast::ssl_stream<beast::tcp_stream> stream(beast::tcp_stream(std::move(socket)), *tls);
    beast::error_code ec;
    beast::get_lowest_layer(stream).expires_after(std::chrono::seconds(10));
    // A client that does not trust the certificate aborts here; that is its business.
    co_await stream.async_handshake(asio::ssl::stream_base::server, asio::redirect_error(asio::use_awaitable, ec));
    if (ec) co_return;
    beast::get_lowest_layer(stream).expires_never();
    co_await serve(stream);
  }

  static Request to_request(const http::request<http::string_body>& message) {
    Request request;
    request.method = std::string(message.method_string());
    request.target = std::string(message.target());
    for (const auto& field : message) {
      request.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
    }
    request.body = message.body();
    return request;
  }

  template <typename Stream>
  static asio::awaitable<bool> write_reply(Stream& stream, const Reply& reply, unsigned version, bool keep_alive) {
    http::response<http::string_body> response{static_cast<http::status>(reply.status), version};
    response.set(http::field::server, "zooter-fake-upstream");
    response.set(http::field::content_type, reply.content_type);
    for (const auto& [name, value] : reply.headers) response.set(name, value);
    response.keep_alive(keep_alive);
    response.body() = reply.body;
    response.prepare_payload();
    beast::error_code ec;
    co_await http::async_write(stream, response, asio::redirect_error(asio::use_awaitable, ec));
    co_return !ec;
  }

  // Waits while `flag` (read under the lock) is set, looking again every 2 ms: a timer, so the
  // threads serve other connections meanwhile.
  template <typename Stream>
  asio::awaitable<void> wait_while(Stream& stream, bool Impl::*flag) {
    asio::steady_timer timer(stream.get_executor());
    beast::error_code ec;
    for (;;) {
      {
        const std::lock_guard lock(mutex);
        if (!(this->*flag)) co_return;
      }
      timer.expires_after(std::chrono::milliseconds(2));
      co_await timer.async_wait(asio::redirect_error(asio::use_awaitable, ec));
      if (ec) co_return;
    }
  }

  template <typename Stream>
  asio::awaitable<bool> write_stream(Stream& stream, const std::vector<std::string>& events,
                                     std::chrono::milliseconds interval, unsigned version, bool keep_alive) {
    http::response<http::empty_body> response{http::status::ok, version};
    response.set(http::field::server, "zooter-fake-upstream");
    response.set(http::field::content_type, "text/event-stream");
    response.set(http::field::cache_control, "no-cache");
    response.keep_alive(keep_alive);
    response.chunked(true);
    http::response_serializer<http::empty_body> serializer{response};
    beast::error_code ec;
    co_await http::async_write_header(stream, serializer, asio::redirect_error(asio::use_awaitable, ec));
    if (ec) co_return false;
    asio::steady_timer timer(stream.get_executor());
    for (const std::string& event : events) {
      if (interval.count() > 0) {
        timer.expires_after(interval);
        co_await timer.async_wait(asio::redirect_error(asio::use_awaitable, ec));
      }
      const auto chunk = http::make_chunk(asio::buffer(event));
      co_await asio::async_write(stream, chunk, asio::redirect_error(asio::use_awaitable, ec));
      if (ec) co_return false;
      bool Impl::*const held = &Impl::holding_streams;
      if (&event == &events.front()) co_await wait_while(stream, held);
    }
    const auto last = http::make_chunk_last();
    co_await asio::async_write(stream, last, asio::redirect_error(asio::use_awaitable, ec));
    co_return !ec;
  }

  // Answers the requests of one connection, over plain TCP or TLS.
  template <typename Stream>
  asio::awaitable<void> serve(Stream& stream) {
    tcp::socket& socket = beast::get_lowest_layer(stream).socket();
    beast::flat_buffer buffer;
    for (;;) {
      http::request_parser<http::string_body> parser;
      parser.body_limit(64u << 20);
      beast::error_code ec;
      co_await http::async_read(stream, buffer, parser, asio::redirect_error(asio::use_awaitable, ec));
      if (ec) co_return;
      const http::request<http::string_body>& message = parser.get();
      const Request request = to_request(message);
      const Plan plan = plan_for(request);
      if (plan.drop) {
        answered();
        socket.shutdown(tcp::socket::shutdown_both, ec);
        socket.close(ec);
        co_return;
      }
      bool Impl::*const held = &Impl::holding_answers;
      co_await wait_while(stream, held);
      if (plan.delay.count() > 0) {
        asio::steady_timer timer(stream.get_executor(), plan.delay);
        co_await timer.async_wait(asio::redirect_error(asio::use_awaitable, ec));
      }
      const bool keep_alive = message.keep_alive();
      const unsigned version = message.version();
      // Every argument of a co_awaited call is a named object: GCC 12 can destroy a temporary in
      // a co_await expression twice.
      bool ok = false;
      if (plan.failure) {
        ok = co_await write_reply(stream, *plan.failure, version, keep_alive);
      } else if (plan.handler) {
        const Reply reply = plan.handler(request);
        ok = co_await write_reply(stream, reply, version, keep_alive);
      } else if (request.target == "/v1/chat/completions" && request.method == "POST") {
        const std::optional<ChatAsk> ask = read_chat_ask(request.body);
        if (ask && ask->stream) {
          const std::vector<std::string> events = fake_chat_completion_events(request);
          ok = co_await write_stream(stream, events, plan.stream_interval, version, keep_alive);
        } else {
          const Reply reply = fake_chat_completion(request);
          ok = co_await write_reply(stream, reply, version, keep_alive);
        }
      } else if (request.target == "/v1/models" && request.method == "GET") {
        const Reply reply = fake_models_list();
        ok = co_await write_reply(stream, reply, version, keep_alive);
      } else {
        const Reply reply{404, "application/json",
                          error_body("fake upstream: no route " + request.method + " " + request.target,
                                     "invalid_request_error", 404),
                          {}};
        ok = co_await write_reply(stream, reply, version, keep_alive);
      }
      answered();
      if (!ok || !keep_alive) {
        socket.shutdown(tcp::socket::shutdown_send, ec);
        co_return;
      }
    }
  }
};

FakeUpstream::FakeUpstream(unsigned short port, unsigned threads)
    : FakeUpstream(FakeUpstreamOptions{port, threads, false}) {}

FakeUpstream::FakeUpstream(FakeUpstreamOptions options) : impl_(std::make_unique<Impl>()) {
  const unsigned short port = options.port;
  const unsigned threads = options.threads;
  if (options.tls) {
    const SelfSignedCertificate certificate = make_self_signed_certificate();
    impl_->certificate_pem = certificate.certificate_pem;
    impl_->tls.emplace(asio::ssl::context::tls_server);
    impl_->tls->use_certificate_chain(asio::buffer(certificate.certificate_pem));
    impl_->tls->use_private_key(asio::buffer(certificate.key_pem), asio::ssl::context::pem);
  }
  const tcp::endpoint endpoint(asio::ip::make_address("127.0.0.1"), port);
  impl_->acceptor.open(endpoint.protocol());
  impl_->acceptor.set_option(asio::socket_base::reuse_address(true));
  impl_->acceptor.bind(endpoint);
  impl_->acceptor.listen();
  impl_->port = impl_->acceptor.local_endpoint().port();
  asio::co_spawn(impl_->io, impl_->accept_loop(), asio::detached);
  for (unsigned i = 0; i < std::max(1u, threads); ++i) {
    impl_->threads.emplace_back([this] { impl_->io.run(); });
  }
}

FakeUpstream::~FakeUpstream() {
  // Stopping the context abandons every coroutine where it waits; their frames (sockets,
  // timers) are destroyed with the context, after the threads have left it.
  impl_->io.stop();
  for (std::thread& t : impl_->threads) t.join();
}

unsigned short FakeUpstream::port() const { return impl_->port; }

std::string FakeUpstream::base_url() const {
  return fmt::format("{}://127.0.0.1:{}/v1", impl_->tls ? "https" : "http", impl_->port);
}

std::string FakeUpstream::certificate_pem() const { return impl_->certificate_pem; }

std::size_t FakeUpstream::connections_accepted() const {
  const std::lock_guard lock(impl_->mutex);
  return impl_->accepted;
}

std::size_t FakeUpstream::max_concurrent_requests() const {
  const std::lock_guard lock(impl_->mutex);
  return impl_->max_answering;
}

void FakeUpstream::fail_next(int count, int status, std::optional<int> retry_after_seconds) {
  const std::lock_guard lock(impl_->mutex);
  impl_->fail_remaining = count;
  impl_->fail_status = status;
  impl_->fail_retry_after = retry_after_seconds;
}

void FakeUpstream::drop_next(int count) {
  const std::lock_guard lock(impl_->mutex);
  impl_->drop_remaining = count;
}

void FakeUpstream::set_delay(std::chrono::milliseconds delay) {
  const std::lock_guard lock(impl_->mutex);
  impl_->delay = delay;
}

void FakeUpstream::set_stream_interval(std::chrono::milliseconds interval) {
  const std::lock_guard lock(impl_->mutex);
  impl_->stream_interval = interval;
}

void FakeUpstream::hold_answers() {
  const std::lock_guard lock(impl_->mutex);
  impl_->holding_answers = true;
}

void FakeUpstream::hold_streams_after_first_event() {
  const std::lock_guard lock(impl_->mutex);
  impl_->holding_streams = true;
}

void FakeUpstream::release() {
  const std::lock_guard lock(impl_->mutex);
  impl_->holding_answers = false;
  impl_->holding_streams = false;
}

void FakeUpstream::set_handler(std::string path, std::function<Reply(const Request&)> handler) {
  const std::lock_guard lock(impl_->mutex);
  impl_->handlers[std::move(path)] = std::move(handler);
}

std::size_t FakeUpstream::requests_received() const {
  const std::lock_guard lock(impl_->mutex);
  return impl_->received.size();
}

std::vector<std::string> FakeUpstream::request_bodies() const {
  const std::lock_guard lock(impl_->mutex);
  std::vector<std::string> bodies;
  bodies.reserve(impl_->received.size());
  for (const Request& r : impl_->received) bodies.push_back(r.body);
  return bodies;
}

std::vector<Request> FakeUpstream::requests() const {
  const std::lock_guard lock(impl_->mutex);
  return impl_->received;
}

std::string LoopbackResponse::header(std::string_view name) const {
  for (const auto& [key, value] : headers) {
    if (key.size() == name.size() && ::strncasecmp(key.data(), name.data(), name.size()) == 0) {
      return value;
    }
  }
  return {};
}

namespace {

using Clock = std::chrono::steady_clock;

std::chrono::milliseconds since(Clock::time_point start) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start);
}

// Writes the request while the reader runs: a server may answer (413, 431) and close before it
// has read everything, and the answer must still be seen.
asio::awaitable<void> write_all(std::shared_ptr<tcp::socket> socket, std::shared_ptr<const std::string> bytes) {
  beast::error_code ec;
  co_await asio::async_write(*socket, asio::buffer(*bytes), asio::redirect_error(asio::use_awaitable, ec));
}

asio::awaitable<void> exchange(unsigned short port, std::shared_ptr<const std::string> request,
                               LoopbackResponse* result, std::function<void()> on_first_body_byte) {
  auto socket = std::make_shared<tcp::socket>(co_await asio::this_coro::executor);
  beast::error_code ec;
  co_await socket->async_connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port),
                                 asio::redirect_error(asio::use_awaitable, ec));
  if (ec) {
    result->error = "connect: " + ec.message();
    co_return;
  }
  const Clock::time_point start = Clock::now();
  asio::co_spawn(socket->get_executor(), write_all(socket, request), asio::detached);
  http::response_parser<http::string_body> parser;
  parser.eager(true);
  parser.body_limit(256u << 20);
  // An answer to HEAD has a head only, whatever its Content-Length says.
  parser.skip(request->starts_with("HEAD "));
  std::string pending;
  std::array<char, 16384> chunk{};
  for (;;) {
    const std::size_t n = co_await socket->async_read_some(asio::buffer(chunk),
                                                           asio::redirect_error(asio::use_awaitable, ec));
    if (ec) {
      if (ec == asio::error::eof && parser.is_header_done()) {
        beast::error_code eof_ec;
        parser.put_eof(eof_ec);
        if (!eof_ec) break;
      }
      result->error = "read: " + ec.message();
      break;
    }
    result->raw.append(chunk.data(), n);
    pending.append(chunk.data(), n);
    while (!pending.empty() && !parser.is_done()) {
      const std::size_t used = parser.put(asio::buffer(pending), ec);
      pending.erase(0, used);
      if (ec == http::error::need_more) {
        ec = {};
        break;
      }
      if (ec) break;
      if (used == 0) break;
    }
    if (ec) {
      result->error = "parse: " + ec.message();
      break;
    }
    if (result->first_body_byte.count() < 0 && parser.is_header_done() && !parser.get().body().empty()) {
      result->first_body_byte = since(start);
      if (on_first_body_byte) on_first_body_byte();
    }
    if (parser.is_done()) break;
  }
  result->elapsed = since(start);
  if (parser.is_header_done()) {
    const auto& message = parser.get();
    result->status = static_cast<int>(message.result_int());
    for (const auto& field : message) {
      result->headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
    }
    result->body = message.body();
  }
  result->complete = parser.is_done();
  if (result->complete) result->error.clear();
  socket->close(ec);  // ends a writer still blocked on a server that stopped reading
}

}  // namespace

LoopbackResponse loopback_exchange(unsigned short port, const std::string& raw_request,
                                   std::chrono::milliseconds timeout, std::function<void()> on_first_body_byte) {
  LoopbackResponse result;
  {
    asio::io_context io;
    asio::co_spawn(io,
                   exchange(port, std::make_shared<const std::string>(raw_request), &result,
                            std::move(on_first_body_byte)),
                   asio::detached);
    io.run_for(timeout);
    if (!io.stopped()) {
      result.complete = false;
      result.error = "timeout";
    }
  }  // the context (and any coroutine left waiting) goes before `result` is returned
  return result;
}

LoopbackResponse loopback_request(unsigned short port, const std::string& method, const std::string& target,
                                  const std::string& body,
                                  const std::vector<std::pair<std::string, std::string>>& headers,
                                  std::chrono::milliseconds timeout, std::function<void()> on_first_body_byte) {
  std::string raw = fmt::format("{} {} HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nConnection: close\r\n", method,
                                target, port);
  bool has_type = false;
  for (const auto& [name, value] : headers) {
    raw += fmt::format("{}: {}\r\n", name, value);
    if (::strcasecmp(name.c_str(), "content-type") == 0) has_type = true;
  }
  if (!body.empty() || method == "POST") {
    if (!has_type) raw += "Content-Type: application/json\r\n";
    raw += fmt::format("Content-Length: {}\r\n", body.size());
  }
  raw += "\r\n";
  raw += body;
  return loopback_exchange(port, raw, timeout, std::move(on_first_body_byte));
}

}  // namespace zooter::testing
