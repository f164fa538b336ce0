#include "live/http_client.h"

#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <fmt/format.h>

#include "live/upstream_connection.h"

namespace zooter::live {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;

struct HttpConnection::Impl {
  Impl(asio::any_io_executor executor, Url base, asio::ssl::context* tls, std::size_t limit)
      : connection(std::move(executor), std::move(base), tls), max_response_bytes(limit) {}

  UpstreamConnection connection;
  std::size_t max_response_bytes = 0;

  template <typename Stream>
  asio::awaitable<HttpResult> exchange(Stream& stream, const http::request<http::string_body>& request) {
    co_await http::async_write(stream, request, asio::use_awaitable);
    http::response_parser<http::string_body> parser;
    parser.body_limit(max_response_bytes);
    co_await http::async_read_header(stream, connection.buffer(), parser, asio::use_awaitable);
    // Beast 1.74 compares Content-Length with the body limit wrongly (an optional compared with an
    // integer) and lets any size through; chunked bodies are checked correctly. So check here.
    if (parser.content_length() && *parser.content_length() > max_response_bytes) {
      throw beast::system_error(http::error::body_limit);
    }
    co_await http::async_read(stream, connection.buffer(), parser, asio::use_awaitable);
    auto response = parser.release();
    HttpResult result;
    result.status = static_cast<int>(response.result_int());
    if (auto it = response.find(http::field::retry_after); it != response.end()) {
      result.retry_after = std::string(it->value());
    }
    if (!response.keep_alive()) connection.close();
    result.body = std::move(response.body());
    co_return result;
  }
};

HttpConnection::HttpConnection(asio::any_io_executor executor, Url base, asio::ssl::context* tls,
                               std::size_t max_response_bytes)
    : impl_(std::make_unique<Impl>(std::move(executor), std::move(base), tls, max_response_bytes)) {}

HttpConnection::~HttpConnection() = default;

asio::awaitable<HttpResult> HttpConnection::post(std::string target, std::string body, std::string api_key,
                                                 std::chrono::milliseconds timeout) {
  Impl& c = *impl_;
  UpstreamConnection& connection = c.connection;
  http::request<http::string_body> request{http::verb::post, target, 11};
  request.set(http::field::host, connection.url().host_header());
  request.set(http::field::user_agent, "zooter-live");
  request.set(http::field::content_type, "application/json");
  request.set(http::field::accept, "application/json");
  if (!api_key.empty()) request.set(http::field::authorization, "Bearer " + api_key);
  request.keep_alive(true);
  request.body() = std::move(body);
  request.prepare_payload();

  const auto deadline = std::chrono::steady_clock::now() + timeout;
  const auto timeout_text = [&] {
    return fmt::format("timeout after {:.1f} s", std::chrono::duration<double>(timeout).count());
  };
  // A kept-alive connection may have been closed by the server while idle; that shows up as an
  // error before any response byte. Such a failure on a reused connection is not the server's
  // answer to this request, so it is retried once at once on a fresh connection, like curl and
  // urllib3 do, without spending one of the call's retries.
  for (int round = 0; round < 2; ++round) {
    const bool reused = connection.is_open();
    if (!reused) {
      const std::optional<ConnectFailure> failure = co_await connection.open(deadline);
      if (failure) {
        HttpResult failed;
        failed.error = failure->code == beast::error::timeout ? timeout_text() : failure->message;
        failed.retryable = !failure->certificate_rejected;
        co_return failed;
      }
    }
    std::string error;
    bool retryable = true;
    try {
      connection.tcp().expires_at(deadline);
      // Plain statements around co_await: g++ 12 miscompiles co_await inside ?: and
      // temporaries in co_await expressions (double destruction, GCC bugs 99576 and 100611).
      HttpResult result;
      if (beast::tcp_stream* plain = connection.plain()) {
        result = co_await c.exchange(*plain, request);
      } else {
        result = co_await c.exchange(*connection.secure(), request);
      }
      if (connection.is_open()) connection.tcp().expires_never();
      co_return result;
    } catch (const beast::system_error& e) {
      const auto ec = e.code();
      if (ec == beast::error::timeout) {
        error = timeout_text();
      } else if (ec == http::error::body_limit) {
        error = fmt::format("response body larger than {} bytes", c.max_response_bytes);
        retryable = false;
      } else {
        error = fmt::format("{}: {}", connection.url().to_string(), ec.message());
      }
      const bool stale = reused && closed_while_idle(ec);
      connection.close();
      if (stale && round == 0 && std::chrono::steady_clock::now() < deadline) continue;
    } catch (const std::exception& e) {
      error = e.what();
      connection.close();
    }
    HttpResult failed;
    failed.error = std::move(error);
    failed.retryable = retryable;
    co_return failed;
  }
  HttpResult unreachable;
  unreachable.error = "unreachable";
  co_return unreachable;
}

}  // namespace zooter::live
