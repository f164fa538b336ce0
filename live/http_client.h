// One HTTP/1.1 client connection (plain TCP or TLS) to one base URL, reused across requests
// (keep-alive), driven by C++20 coroutines on an asio executor.
//
// A connection runs one request at a time; concurrency comes from several connections (the call
// runner opens one per concurrency slot of an endpoint). Every request has a deadline covering
// connect, TLS handshake, write and read. How a connection is opened (TLS verification, host-name
// check, SNI) is upstream_connection.h's; which certificates are trusted is the TLS context's
// (tls_context.h).
#pragma once

#include <utility>  // before asio: Boost 1.74's awaitable.hpp uses std::exchange without it

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/ssl/context.hpp>

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>

#include "live/url.h"

namespace zooter::live {

struct HttpResult {
  int status = 0;            // HTTP status; 0 when no response was read
  std::string body;
  std::string retry_after;   // the Retry-After header, "" when absent
  std::string error;         // why no response (status 0), e.g. "timeout after 2.0 s"
  // For status 0: a transport failure is; an oversized body or a rejected certificate is not.
  bool retryable = true;
};

// Default cap on a response body: far above any chat answer, low enough that a broken server
// streaming garbage cannot exhaust memory.
inline constexpr std::size_t kDefaultMaxResponseBytes = 32u << 20;

class HttpConnection {
 public:
  // `tls` must outlive the connection; it is only used for https URLs (nullptr: https fails).
  // make_tls_context (tls_context.h) makes one.
  HttpConnection(boost::asio::any_io_executor executor, Url base, boost::asio::ssl::context* tls,
                 std::size_t max_response_bytes = kDefaultMaxResponseBytes);
  ~HttpConnection();
  HttpConnection(const HttpConnection&) = delete;
  HttpConnection& operator=(const HttpConnection&) = delete;

  // POSTs `body` (JSON) to `target` with an Authorization: Bearer header when api_key is set.
  // Never throws for network trouble: failures come back in HttpResult.
  boost::asio::awaitable<HttpResult> post(std::string target, std::string body, std::string api_key,
                                          std::chrono::milliseconds timeout);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace zooter::live
