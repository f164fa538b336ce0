// zooter serve relays an answer piece by piece as the upstream sends it, whatever the TCP
// segmentation of the upstream's bytes: every answer shape (SSE chunked, SSE with a
// Content-Length, JSON with a Content-Length, chunked JSON, a body ended by closing, a 204),
// split at seeded random points with small pauses, its head and first body bytes in one write
// or apart.
//
// No wall-clock bound: the upstream is lockstep. It sends the bytes of body piece k+1 only once
// the test's client has received pieces 0..k through the proxy, so a relay that holds bytes back
// waiting for more deadlocks, and a bounded wait (kStepWait) turns that into a failure naming
// the piece. The client also checks the relayed bytes and framing exactly. Everything is on
// 127.0.0.1 with plain POSIX sockets, every wait is bounded, and every thread stops by itself.
#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <utility>  // before Asio: Boost 1.74's awaitable.hpp uses std::exchange without it

#include <boost/asio/buffer.hpp>
#include <boost/beast/http.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <iterator>
#include <limits>
#include <mutex>
#include <random>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "live/endpoints_file.h"
#include "live/proxy_server.h"
#include "live/url.h"

namespace zooter::live {
namespace {

namespace http = boost::beast::http;
using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

// How long the upstream waits for the client to get a piece before it calls the relay stalled,
// and how long the client waits for the proxy's next bytes (longer, so that the upstream's
// diagnosis comes first). Both generous: a relay that streams needs a millisecond or so.
constexpr auto kStepWait = 5s;
constexpr auto kClientWait = 6s;

// ---- Sockets: blocking file descriptors, every wait through poll() with a deadline. ----

class Socket {
 public:
  explicit Socket(int fd = -1) : fd_(fd) {}
  ~Socket() { reset(); }
  Socket(Socket&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
  Socket& operator=(Socket&& other) noexcept {
    if (this != &other) {
      reset();
      fd_ = std::exchange(other.fd_, -1);
    }
    return *this;
  }
  [[nodiscard]] int get() const { return fd_; }
  [[nodiscard]] bool valid() const { return fd_ >= 0; }
  void reset() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }

 private:
  int fd_;
};

// Whether `fd` became ready for `events` (or failed) before `deadline`.
bool ready_before(int fd, short events, Clock::time_point deadline) {
  for (;;) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
    pollfd p{fd, events, 0};
    const int r = ::poll(&p, 1, static_cast<int>(std::max<long long>(left, 0)));
    if (r > 0) return true;
    if (r == 0 || errno != EINTR) return false;
  }
}

sockaddr_in loopback_address(unsigned short port) {
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  return address;
}

void set_no_delay(int fd) {
  const int one = 1;
  (void)::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
}

Socket listen_on_loopback(unsigned short& port) {
  Socket s(::socket(AF_INET, SOCK_STREAM, 0));
  sockaddr_in address = loopback_address(0);
  if (!s.valid() || ::bind(s.get(), reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
      ::listen(s.get(), 4) != 0) {
    return Socket();
  }
  socklen_t length = sizeof address;
  if (::getsockname(s.get(), reinterpret_cast<sockaddr*>(&address), &length) != 0) return Socket();
  port = ntohs(address.sin_port);
  return s;
}

Socket connect_to_loopback(unsigned short port) {
  Socket s(::socket(AF_INET, SOCK_STREAM, 0));
  sockaddr_in address = loopback_address(port);
  if (!s.valid() || ::connect(s.get(), reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) return Socket();
  set_no_delay(s.get());
  return s;
}

bool send_all(int fd, std::string_view bytes, Clock::time_point deadline) {
  while (!bytes.empty()) {
    const ssize_t sent = ::send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
    if (sent > 0) {
      bytes.remove_prefix(static_cast<std::size_t>(sent));
    } else if (sent < 0 && errno == EINTR) {
      continue;
    } else if (sent < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      if (!ready_before(fd, POLLOUT, deadline)) return false;
    } else {
      return false;
    }
  }
  return true;
}

enum class Received { kSome, kEnd, kTimeout, kError };

// Appends what the peer sent next to `into`.
Received receive_some(int fd, std::string& into, Clock::time_point deadline) {
  if (!ready_before(fd, POLLIN, deadline)) return Received::kTimeout;
  char scratch[65536];
  for (;;) {
    const ssize_t n = ::recv(fd, scratch, sizeof scratch, MSG_DONTWAIT);
    if (n > 0) {
      into.append(scratch, static_cast<std::size_t>(n));
      return Received::kSome;
    }
    if (n == 0) return Received::kEnd;
    if (errno == EINTR) continue;
    if (errno == EAGAIN || errno == EWOULDBLOCK) return receive_some(fd, into, deadline);
    return Received::kError;
  }
}

std::string str(boost::beast::string_view v) { return std::string(v.data(), v.size()); }

// Feeds `pending` to `parser`, dropping what it parsed; false (with `error`) on malformed input.
template <class Parser>
bool feed(Parser& parser, std::string& pending, std::string& error) {
  while (!pending.empty() && !parser.is_done()) {
    boost::system::error_code ec;
    const std::size_t used = parser.put(boost::asio::buffer(pending), ec);
    pending.erase(0, used);
    if (ec == http::error::need_more) return true;
    if (ec) {
      error = ec.message();
      return false;
    }
    if (used == 0) return true;
  }
  return true;
}

// ---- The lockstep between the test's client and the scripted upstream. ----

// The client's progress: 0 before the answer's head, then 1 + the body bytes received.
class Lockstep {
 public:
  void publish(std::size_t progress, bool done) {
    const std::lock_guard lock(mutex_);
    progress_ = progress;
    done_ = done;
    changed_.notify_all();
  }
  void give_up() {
    const std::lock_guard lock(mutex_);
    gave_up_ = true;
    changed_.notify_all();
  }
  // Whether the client reached `progress` (and, with `done`, the answer's end) within kStepWait.
  bool wait_for(std::size_t progress, bool done = false) {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, kStepWait, [&] { return gave_up_ || (progress_ >= progress && (done_ || !done)); }) &&
           !gave_up_;
  }
  [[nodiscard]] std::size_t progress() {
    const std::lock_guard lock(mutex_);
    return progress_;
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  std::size_t progress_ = 0;
  bool done_ = false;
  bool gave_up_ = false;
};

// ---- What the upstream sends, and how. ----

enum class Framing { kLength, kChunked, kNone };  // what the client must get

struct Barrier {
  std::size_t offset;    // before sending wire[offset] ...
  std::size_t progress;  // ... the client must have reached this (see Lockstep)
};

struct Write {
  std::size_t end;  // sends wire[previous end, end)
  std::chrono::microseconds pause;  // before it
};

struct Plan {
  std::string label;  // for failure messages
  std::string wire;   // the upstream's answer, framing included
  std::vector<Write> writes;       // ends ascending, the last one wire.size()
  std::vector<Barrier> barriers;   // offsets ascending, each one a write's start
  bool close_at_end = false;       // the body ends when the upstream closes
  int status = 200;
  std::string content_type;
  std::string body;  // what the client must get, framing removed
  Framing framing = Framing::kLength;
};

// The upstream's answer before segmentation.
struct Answer {
  std::string head;
  std::vector<std::string> pieces;  // the body, in the pieces the upstream waits between
  bool chunked = false;             // one chunk per piece
  bool close_at_end = false;
  int status = 200;
  std::string content_type;
  Framing framing = Framing::kLength;
};

// The wire bytes of `answer`; `data` gets where each piece's bytes are in them.
std::string wire_of(const Answer& answer, std::vector<std::pair<std::size_t, std::size_t>>& data) {
  std::string wire = answer.head;
  for (const std::string& piece : answer.pieces) {
    if (answer.chunked) wire += fmt::format("{:x}\r\n", piece.size());
    data.emplace_back(wire.size(), wire.size() + piece.size());
    wire += piece;
    if (answer.chunked) wire += "\r\n";
  }
  if (answer.chunked) wire += "0\r\n\r\n";
  return wire;
}

Plan plan_of(const Answer& answer, std::string label) {
  Plan plan;
  plan.label = std::move(label);
  plan.close_at_end = answer.close_at_end;
  plan.status = answer.status;
  plan.content_type = answer.content_type;
  plan.framing = answer.framing;
  for (const std::string& piece : answer.pieces) plan.body += piece;
  return plan;
}

// Writes ending at `cuts` and at every barrier (and at the end), each after a pause from `pause`.
template <typename Pause>
void make_writes(Plan& plan, std::vector<std::size_t> cuts, Pause pause) {
  for (const Barrier& b : plan.barriers) cuts.push_back(b.offset);
  cuts.push_back(plan.wire.size());
  std::sort(cuts.begin(), cuts.end());
  cuts.erase(std::unique(cuts.begin(), cuts.end()), cuts.end());
  for (const std::size_t end : cuts) {
    if (end > 0) plan.writes.push_back({end, pause()});
  }
}

// ---- One exchange: upstream thread, proxy, client. ----

struct UpstreamRun {
  std::string request_line;  // "POST /v1/chat/completions"
  std::string failure;       // "" when it sent the whole plan in lockstep
};

void serve_plan(int listener, const Plan& plan, Lockstep& lockstep, UpstreamRun& run) {
  const Clock::time_point accept_deadline = Clock::now() + kStepWait;
  if (!ready_before(listener, POLLIN, accept_deadline)) {
    run.failure = "the proxy did not connect to the upstream";
    lockstep.give_up();
    return;
  }
  Socket s(::accept(listener, nullptr, nullptr));
  if (!s.valid()) {
    run.failure = "accept failed";
    lockstep.give_up();
    return;
  }
  set_no_delay(s.get());
  http::request_parser<http::string_body> request;
  request.eager(true);
  std::string pending;
  std::string error;
  const Clock::time_point read_deadline = Clock::now() + kStepWait;
  while (!request.is_done()) {
    if (receive_some(s.get(), pending, read_deadline) != Received::kSome || !feed(request, pending, error)) {
      run.failure = "no whole request from the proxy " + error;
      lockstep.give_up();
      return;
    }
  }
  run.request_line = str(request.get().method_string()) + " " + str(request.get().target());

  std::size_t sent = 0;
  auto barrier = plan.barriers.begin();
  auto pass_barriers = [&](std::size_t offset) {
    for (; barrier != plan.barriers.end() && barrier->offset <= offset; ++barrier) {
      if (!lockstep.wait_for(barrier->progress)) {
        const std::size_t progress = lockstep.progress();
        run.failure = fmt::format(
            "stalled: the upstream had sent {} of {} bytes and waited {} s for the client to get {} (the "
            "client had {})",
            sent, plan.wire.size(), std::chrono::seconds(kStepWait).count(),
            barrier->progress == 1 ? std::string("the head") : fmt::format("{} body bytes", barrier->progress - 1),
            progress == 0 ? std::string("nothing") : fmt::format("the head and {} body bytes", progress - 1));
        return false;
      }
    }
    return true;
  };
  for (const Write& write : plan.writes) {
    if (!pass_barriers(sent)) return;
    if (write.pause.count() > 0) std::this_thread::sleep_for(write.pause);
    if (!send_all(s.get(), std::string_view(plan.wire).substr(sent, write.end - sent), Clock::now() + kStepWait)) {
      run.failure = fmt::format("send failed after {} bytes", sent);
      return;
    }
    sent = write.end;
  }
  if (!pass_barriers(sent)) return;
  // Stays connected until the client has the whole answer: a relay that waited for the upstream
  // to close would deadlock here too. (A body ended by closing ends when this returns.)
  if (!plan.close_at_end && !lockstep.wait_for(1 + plan.body.size(), true)) {
    run.failure = "the client did not get the answer's end";
  }
}

struct ClientRun {
  bool complete = false;
  std::string failure;
  int status = 0;
  std::string content_length;     // "" when absent
  std::string transfer_encoding;  // "" when absent
  std::string content_type;
  std::string body;
  std::size_t bytes_after_answer = 0;
};

ClientRun exchange(unsigned short proxy_port, Lockstep& lockstep) {
  ClientRun run;
  Socket s = connect_to_loopback(proxy_port);
  const std::string chat = R"({"model":"up","stream":true,"messages":[{"role":"user","content":"hello"}]})";
  const std::string request = fmt::format(
      "POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
      "Content-Length: {}\r\n\r\n{}",
      chat.size(), chat);
  if (!s.valid() || !send_all(s.get(), request, Clock::now() + kClientWait)) {
    run.failure = "cannot send the request to the proxy";
    lockstep.give_up();
    return run;
  }
  http::response_parser<http::string_body> parser;
  parser.eager(true);
  parser.body_limit(std::numeric_limits<std::uint64_t>::max());
  std::string pending;
  while (!parser.is_done()) {
    const Received received = receive_some(s.get(), pending, Clock::now() + kClientWait);
    if (received != Received::kSome) {
      const std::size_t body = parser.is_header_done() ? parser.get().body().size() : 0;
      run.failure = fmt::format("{} with {}{} body bytes received",
                                received == Received::kTimeout ? "no byte from the proxy for 6 s"
                                                               : "the proxy closed the connection",
                                parser.is_header_done() ? "the head and " : "no head, ", body);
      break;
    }
    if (!feed(parser, pending, run.failure)) {
      run.failure = "malformed answer from the proxy: " + run.failure;
      break;
    }
    lockstep.publish(parser.is_header_done() ? 1 + parser.get().body().size() : 0, parser.is_done());
  }
  if (!parser.is_done()) {
    lockstep.give_up();
    return run;
  }
  run.complete = true;
  run.bytes_after_answer = pending.size();
  const auto& response = parser.get();
  run.status = static_cast<int>(response.result_int());
  auto header = [&](http::field field) {
    const auto it = response.find(field);
    return it == response.end() ? std::string() : str(it->value());
  };
  run.content_length = header(http::field::content_length);
  run.transfer_encoding = header(http::field::transfer_encoding);
  run.content_type = header(http::field::content_type);
  run.body = response.body();
  return run;
}

// Runs `plan` through a fresh proxy; false when the relay failed (failures are reported).
bool relays(const Plan& plan) {
  SCOPED_TRACE(plan.label);
  unsigned short upstream_port = 0;
  Socket listener = listen_on_loopback(upstream_port);
  if (!listener.valid()) {
    ADD_FAILURE() << "cannot listen on 127.0.0.1";
    return false;
  }
  CandidateEndpoint up;
  up.name = "up";
  up.model = "up-model";
  up.base_url = parse_url(fmt::format("http://127.0.0.1:{}/v1", upstream_port));
  up.timeout_seconds = 30;  // longer than kStepWait: a stall shows as one, not as the proxy's timeout
  ProxyConfig config;
  config.listen_port = 0;
  config.threads = 1;
  ProxyServer proxy(config, {up}, [](std::string_view) { return std::size_t{0}; });
  proxy.start();

  Lockstep lockstep;
  UpstreamRun upstream;
  std::thread upstream_thread([&] { serve_plan(listener.get(), plan, lockstep, upstream); });
  const ClientRun client = exchange(proxy.port(), lockstep);
  upstream_thread.join();

  EXPECT_EQ(upstream.failure, "");
  EXPECT_EQ(client.failure, "");
  EXPECT_EQ(upstream.request_line, "POST /v1/chat/completions");
  if (!client.complete) return false;
  EXPECT_EQ(client.status, plan.status);
  EXPECT_EQ(client.body, plan.body);  // byte for byte
  EXPECT_EQ(client.bytes_after_answer, 0u);
  EXPECT_EQ(client.content_type, plan.content_type);
  switch (plan.framing) {
    case Framing::kLength:
      EXPECT_EQ(client.content_length, std::to_string(plan.body.size()));
      EXPECT_EQ(client.transfer_encoding, "");
      break;
    case Framing::kChunked:
      EXPECT_EQ(client.content_length, "");
      EXPECT_EQ(client.transfer_encoding, "chunked");
      break;
    case Framing::kNone:
      EXPECT_EQ(client.content_length, "");
      EXPECT_EQ(client.transfer_encoding, "");
      break;
  }
  return upstream.failure.empty() && client.failure.empty() && client.body == plan.body &&
         client.status == plan.status;
}

// ---- Answers. ----

std::string sse_event(std::string_view content) {
  return fmt::format("data: {{\"object\":\"chat.completion.chunk\",\"choices\":[{{\"index\":0,\"delta\":"
                     "{{\"content\":\"{}\"}}}}]}}\n\n",
                     content);
}

Answer sse_chunked(std::vector<std::string> pieces) {
  Answer a;
  a.head = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-cache\r\n"
           "Transfer-Encoding: chunked\r\n\r\n";
  a.pieces = std::move(pieces);
  a.chunked = true;
  a.content_type = "text/event-stream";
  a.framing = Framing::kChunked;
  return a;
}

// The issue as reported: the head and the first event in one write, then one event per write,
// each "size CRLF event CRLF" as an SSE server flushes them. An eager parse left on after the
// bytes that came with the head read on after each event's trailing CRLF for the next chunk's
// size, holding the event back until 16 KiB or the end.
TEST(RelaySegmentation, HeadAndFirstEventInOneWriteThenEachEventReachesTheClientAsItArrives) {
  const Answer answer = sse_chunked({sse_event("Hello"), sse_event(" there"), sse_event("!"), "data: [DONE]\n\n"});
  std::vector<std::pair<std::size_t, std::size_t>> data;
  Plan plan = plan_of(answer, "head and first event in one write, then one event per write");
  plan.wire = wire_of(answer, data);
  std::size_t received = 0;
  for (std::size_t k = 0; k < data.size(); ++k) {
    received += data[k].second - data[k].first;
    // The next chunk (or the last one) goes only once the client has this event.
    plan.barriers.push_back({data[k].second + 2, 1 + received});
  }
  make_writes(plan, {}, [] { return std::chrono::microseconds(0); });
  ASSERT_EQ(plan.writes.size(), 5u);  // head + event, 3 more events, the last chunk
  EXPECT_TRUE(relays(plan));
}

// ---- The class: every shape, seeded segmentations. ----

enum class Shape { kSseChunked, kSseLength, kJsonLength, kJsonChunked, kSseUntilClose, kNoContent };

constexpr Shape kShapes[] = {Shape::kSseChunked,   Shape::kSseLength,      Shape::kJsonLength,
                             Shape::kJsonChunked,  Shape::kSseUntilClose,  Shape::kNoContent};

std::string_view name_of(Shape shape) {
  switch (shape) {
    case Shape::kSseChunked: return "SSE chunked";
    case Shape::kSseLength: return "SSE with Content-Length";
    case Shape::kJsonLength: return "JSON with Content-Length";
    case Shape::kJsonChunked: return "chunked JSON";
    case Shape::kSseUntilClose: return "SSE ended by closing";
    case Shape::kNoContent: return "204";
  }
  return "?";
}

using Random = std::mt19937_64;

std::size_t uniform(Random& random, std::size_t low, std::size_t high) {  // [low, high]
  return std::uniform_int_distribution<std::size_t>(low, high)(random);
}

// Text of `size` bytes: letters, spaces and a two-byte UTF-8 letter (JSON-safe, no escapes).
std::string text(Random& random, std::size_t size) {
  static constexpr std::string_view kAlphabet = "abcdefghijklmnopqrstuvwxyz ABCDEFGHIJ 0123456789,.";
  std::string out;
  while (out.size() < size) {
    if (uniform(random, 0, 40) == 0 && out.size() + 2 <= size) {
      out += "\xc3\xa9";
    } else {
      out += kAlphabet[uniform(random, 0, kAlphabet.size() - 1)];
    }
  }
  return out;
}

// Mostly short; now and then longer than the relay's 16 KiB buffer.
std::size_t content_size(Random& random, std::size_t usual) {
  return uniform(random, 0, 9) == 0 ? uniform(random, 17000, 40000) : uniform(random, 0, usual);
}

// `body` cut at each of `boundaries` (kept with probability 3/4) and at a few random points.
std::vector<std::string> pieces_of(Random& random, const std::string& body, std::vector<std::size_t> boundaries) {
  std::vector<std::size_t> cuts;
  for (const std::size_t b : boundaries) {
    if (uniform(random, 0, 3) != 0) cuts.push_back(b);
  }
  for (std::size_t i = uniform(random, 0, 3); i > 0; --i) cuts.push_back(uniform(random, 1, body.size() - 1));
  cuts.push_back(body.size());
  std::sort(cuts.begin(), cuts.end());
  std::vector<std::string> pieces;
  std::size_t start = 0;
  for (const std::size_t cut : cuts) {
    if (cut > start && cut <= body.size()) {
      pieces.push_back(body.substr(start, cut - start));
      start = cut;
    }
  }
  return pieces;
}

std::vector<std::string> sse_pieces(Random& random) {
  std::string body;
  std::vector<std::size_t> boundaries;
  for (std::size_t i = uniform(random, 1, 6); i > 0; --i) {
    body += sse_event(text(random, content_size(random, 80)));
    boundaries.push_back(body.size());
  }
  body += "data: [DONE]\n\n";
  return pieces_of(random, body, boundaries);
}

std::vector<std::string> json_pieces(Random& random) {
  const std::string body = fmt::format(
      R"({{"id":"chatcmpl-1","object":"chat.completion","model":"up-model","choices":[{{"index":0,)"
      R"("message":{{"role":"assistant","content":"{}"}},"finish_reason":"stop"}}]}})",
      text(random, content_size(random, 600)));
  return pieces_of(random, body, {});
}

Answer answer_of(Shape shape, Random& random) {
  Answer a;
  switch (shape) {
    case Shape::kSseChunked:
      return sse_chunked(sse_pieces(random));
    case Shape::kSseLength:
    case Shape::kJsonLength: {
      const bool sse = shape == Shape::kSseLength;
      a.pieces = sse ? sse_pieces(random) : json_pieces(random);
      a.content_type = sse ? "text/event-stream" : "application/json";
      std::size_t size = 0;
      for (const std::string& piece : a.pieces) size += piece.size();
      a.head = fmt::format("HTTP/1.1 200 OK\r\nContent-Type: {}\r\nContent-Length: {}\r\nX-Request-Id: r-1\r\n\r\n",
                           a.content_type, size);
      a.framing = Framing::kLength;
      return a;
    }
    case Shape::kJsonChunked:
      a.head = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n";
      a.pieces = json_pieces(random);
      a.chunked = true;
      a.content_type = "application/json";
      a.framing = Framing::kChunked;
      return a;
    case Shape::kSseUntilClose:
      a.head = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nConnection: close\r\n\r\n";
      a.pieces = sse_pieces(random);
      a.close_at_end = true;
      a.content_type = "text/event-stream";
      a.framing = Framing::kChunked;  // the proxy frames it
      return a;
    case Shape::kNoContent:
      a.head = "HTTP/1.1 204 No Content\r\nX-Request-Id: r-2\r\n\r\n";
      a.status = 204;
      a.framing = Framing::kNone;
      return a;
  }
  return a;
}

// The answer split at random points, with pauses of 0 to 1.5 ms before each write. The barriers:
// piece k+1's first byte goes only once the client has pieces 0..k (the barrier lies anywhere in
// the framing between the two); a chunked answer's last chunk, and the close of a body ended by
// closing, only once the client has the whole body. With `together` the head's last byte and the
// body's first byte go in one write; without, the head goes alone and the body's first byte only
// once the client has the head.
Plan segmented(Shape shape, bool together, std::uint64_t seed) {
  Random random(seed);
  const Answer answer = answer_of(shape, random);
  Plan plan = plan_of(answer, fmt::format("{}, head and first body bytes {}, seed {}", name_of(shape),
                                          together ? "in one write" : "apart", seed));
  std::vector<std::pair<std::size_t, std::size_t>> data;
  plan.wire = wire_of(answer, data);
  const std::size_t head_end = answer.head.size();
  if (!together) plan.barriers.push_back({head_end, 1});
  std::size_t received = 0;
  for (std::size_t k = 0; k < data.size(); ++k) {
    received += data[k].second - data[k].first;
    if (k + 1 < data.size()) {
      plan.barriers.push_back({uniform(random, data[k].second, data[k + 1].first), 1 + received});
    } else if (answer.chunked || answer.close_at_end) {
      plan.barriers.push_back({uniform(random, data[k].second, plan.wire.size()), 1 + received});
    }
  }
  if (answer.close_at_end) plan.barriers.push_back({plan.wire.size(), 1 + received});
  std::sort(plan.barriers.begin(), plan.barriers.end(),
            [](const Barrier& x, const Barrier& y) { return x.offset < y.offset; });
  std::vector<std::size_t> cuts;
  for (std::size_t i = uniform(random, 0, 6); i > 0; --i) {
    const std::size_t cut = uniform(random, 1, plan.wire.size() - 1);
    const bool splits_head_from_body = !data.empty() && cut >= head_end && cut <= data.front().first;
    if (!(together && splits_head_from_body)) cuts.push_back(cut);
  }
  make_writes(plan, cuts, [&] {
    return std::chrono::microseconds(uniform(random, 0, 2) == 0 ? 0 : uniform(random, 50, 1500));
  });
  return plan;
}

TEST(RelaySegmentation, EveryAnswerShapeUnderSeededSegmentationsReachesTheClientPieceByPiece) {
  constexpr std::uint64_t kSeeds = 10;
  constexpr int kMaxFailures = 3;  // a broken relay fails in seconds, not once per case
  int failures = 0;
  std::size_t cases = 0;
  for (const Shape shape : kShapes) {
    for (const bool together : {true, false}) {
      for (std::uint64_t seed = 1; seed <= kSeeds && failures < kMaxFailures; ++seed) {
        ++cases;
        if (!relays(segmented(shape, together, seed))) ++failures;
      }
    }
  }
  EXPECT_EQ(failures, 0);
  if (failures < kMaxFailures) {
    EXPECT_EQ(cases, std::size(kShapes) * 2 * kSeeds);
  }
}

}  // namespace
}  // namespace zooter::live
