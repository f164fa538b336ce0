// An in-process OpenAI-compatible model server for the live-mode tests and the proxy benchmark.
//
// It binds 127.0.0.1 on an ephemeral port (or a given one), serves HTTP/1.1 with keep-alive on
// its own threads, and answers deterministically from the request, so a test can work out the
// expected answer by hand. Tests steer it: fail the next requests with a status (and
// Retry-After), drop connections without answering, answer late, or add routes. It never
// contacts anything. It is a test double, not a model server: no auth checks (tests read the
// headers it received instead).
//
// With `tls` it serves HTTPS with a certificate made in memory when it starts
// (self_signed_certificate.h: valid now, for IP:127.0.0.1 and DNS:localhost); a client trusts
// it through certificate_pem() written to a file (an endpoint's ca_file).
//
// Default routes:
//   POST /v1/chat/completions  content "echo <model>: <last user message>"; usage counts words
//                              (prompt_tokens: all messages, completion_tokens: the answer);
//                              `"stream": true` answers as SSE, one HTTP chunk per event.
//   GET  /v1/models            {"object": "list", "data": [{"id": "fake-model", ...}]}
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace zooter::testing {

struct Request {
  std::string method;  // "POST"
  std::string target;  // "/v1/chat/completions" (with any query string)
  std::vector<std::pair<std::string, std::string>> headers;  // as received, in order
  std::string body;

  // The first header named `name` (case-insensitive), or "" when absent.
  [[nodiscard]] std::string header(std::string_view name) const;
};

struct Reply {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;  // extra headers
};

struct FakeUpstreamOptions {
  unsigned short port = 0;  // 0: an ephemeral port
  unsigned threads = 2;
  bool tls = false;         // HTTPS with a fresh self-signed certificate
};

class FakeUpstream {
 public:
  // Listens on 127.0.0.1:port (0: an ephemeral port) and starts serving at once.
  explicit FakeUpstream(unsigned short port = 0, unsigned threads = 2);
  explicit FakeUpstream(FakeUpstreamOptions options);
  // Stops accepting, closes every connection (answers in progress are cut) and joins the threads.
  ~FakeUpstream();
  FakeUpstream(const FakeUpstream&) = delete;
  FakeUpstream& operator=(const FakeUpstream&) = delete;

  [[nodiscard]] unsigned short port() const;
  // "http://127.0.0.1:PORT/v1" ("https://..." with tls)
  [[nodiscard]] std::string base_url() const;
  // With tls: the server's certificate in PEM, to trust it (it is its own CA); "" without.
  [[nodiscard]] std::string certificate_pem() const;

  // The next `count` requests (any route) are answered with `status` and an OpenAI-shaped error
  // body, with a `Retry-After: N` header when given.
  void fail_next(int count, int status, std::optional<int> retry_after_seconds = {});
  // The next `count` requests get no answer: the connection is closed after reading them.
  // Checked before fail_next.
  void drop_next(int count);
  // Every request is answered this late (a timer, so other connections are not held up).
  void set_delay(std::chrono::milliseconds delay);
  // The pause between SSE events of a streamed answer (default 1 ms), so that a proxy that
  // buffers can be told from one that streams.
  void set_stream_interval(std::chrono::milliseconds interval);
  // Holds every answer from now on until release(): the request is read (and counted), then
  // nothing of its answer is written. A held answer holds up no other connection.
  void hold_answers();
  // Holds every streamed answer from now on after its first event until release().
  void hold_streams_after_first_event();
  // Lets every held answer go on; later answers are not held.
  void release();
  // Routes `path` (the target without query string, any method) to `handler`; it takes
  // precedence over the default routes. The handler runs on a server thread: keep it quick.
  void set_handler(std::string path, std::function<Reply(const Request&)> handler);

  // Requests read so far, including failed and dropped ones. Thread-safe.
  [[nodiscard]] std::size_t requests_received() const;
  [[nodiscard]] std::vector<std::string> request_bodies() const;
  [[nodiscard]] std::vector<Request> requests() const;
  // Connections accepted so far (with tls: whether or not the handshake then succeeded).
  [[nodiscard]] std::size_t connections_accepted() const;
  // The most requests it was answering at the same moment so far (from reading a request to
  // having written its answer, delay included).
  [[nodiscard]] std::size_t max_concurrent_requests() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// The default routes' answers, exposed so tests can state expected bodies. A body that is not a
// chat request yields a 400 with an OpenAI error body.
[[nodiscard]] Reply fake_chat_completion(const Request& request);
// The SSE events (each "data: ...\n\n", ending with "data: [DONE]\n\n") of a streamed answer.
[[nodiscard]] std::vector<std::string> fake_chat_completion_events(const Request& request);
[[nodiscard]] Reply fake_models_list();

// The client side for tests: one HTTP exchange with 127.0.0.1:port, keeping the raw bytes.
struct LoopbackResponse {
  bool complete = false;  // a whole response was read before the deadline and without error
  std::string error;      // why not, when !complete
  int status = 0;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;  // decoded (chunked framing removed)
  std::string raw;   // every byte received, framing included
  std::chrono::milliseconds first_body_byte{-1};  // after sending, when the body began
  std::chrono::milliseconds elapsed{0};           // after sending, when the response ended

  [[nodiscard]] std::string header(std::string_view name) const;
};

// Sends `raw_request` verbatim, then reads one response (the server may answer before the whole
// request is written, as with an oversized body); a response to a HEAD request is read as its
// head alone. Gives up after `timeout`. `on_first_body_byte`,
// when given, runs on the calling thread once the first byte of the body has arrived, before
// the rest is read.
[[nodiscard]] LoopbackResponse loopback_exchange(unsigned short port, const std::string& raw_request,
                                                 std::chrono::milliseconds timeout = std::chrono::seconds(10),
                                                 std::function<void()> on_first_body_byte = {});
// Builds an HTTP/1.1 request (Host, Content-Length, `Connection: close`) and exchanges it.
[[nodiscard]] LoopbackResponse loopback_request(
    unsigned short port, const std::string& method, const std::string& target, const std::string& body = {},
    const std::vector<std::pair<std::string, std::string>>& headers = {},
    std::chrono::milliseconds timeout = std::chrono::seconds(10), std::function<void()> on_first_body_byte = {});

}  // namespace zooter::testing
