#include "live/upstream_connection.h"

#include <boost/asio/ip/address.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/http/error.hpp>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>
#include <sys/socket.h>

#include <cerrno>

#include <fmt/format.h>

namespace zooter::live {

namespace asio = boost::asio;
namespace beast = boost::beast;
using tcp = asio::ip::tcp;

namespace {

ConnectFailure failure(beast::error_code code, std::string message, bool certificate_rejected = false) {
  return ConnectFailure{code, std::move(message), certificate_rejected};
}

}  // namespace

UpstreamConnection::UpstreamConnection(asio::any_io_executor executor, Url url, asio::ssl::context* tls)
    : executor_(std::move(executor)), url_(std::move(url)), tls_(tls) {}

UpstreamConnection::~UpstreamConnection() { close(); }

void UpstreamConnection::close() {
  beast::error_code ignored;
  if (plain_) plain_->socket().close(ignored);
  if (secure_) beast::get_lowest_layer(*secure_).socket().close(ignored);
  plain_.reset();
  secure_.reset();
  buffer_.clear();
}

beast::tcp_stream& UpstreamConnection::tcp() { return plain_ ? *plain_ : beast::get_lowest_layer(*secure_); }

asio::awaitable<std::optional<ConnectFailure>> UpstreamConnection::open(std::chrono::steady_clock::time_point deadline) {
  close();
  beast::error_code ec;
  tcp::resolver resolver(executor_);
  const auto endpoints =
      co_await resolver.async_resolve(url_.host, url_.port, asio::redirect_error(asio::use_awaitable, ec));
  if (ec) co_return failure(ec, fmt::format("cannot resolve {}: {}", url_.host, ec.message()));

  if (url_.scheme == "https") {
    if (tls_ == nullptr) co_return failure({}, fmt::format("{}: https without a TLS context", url_.to_string()));
    secure_.emplace(executor_, *tls_);
    SSL* ssl = secure_->native_handle();
    beast::error_code not_an_address;
    (void)asio::ip::make_address(url_.host, not_an_address);
    const bool ip_literal = !not_an_address;
    // OpenSSL's own name check (RFC 6125; an IP literal is matched against IP SANs) rather than a
    // verify callback: a mismatch then reads "hostname mismatch" in the verify result instead of
    // an unspecified error. SNI carries DNS names only (RFC 6066, section 3).
    X509_VERIFY_PARAM* param = SSL_get0_param(ssl);
    X509_VERIFY_PARAM_set_hostflags(param, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
    const bool named = ip_literal ? X509_VERIFY_PARAM_set1_ip_asc(param, url_.host.c_str()) == 1
                                  : X509_VERIFY_PARAM_set1_host(param, url_.host.c_str(), 0) == 1;
    const bool sni = ip_literal || SSL_set_tlsext_host_name(ssl, url_.host.c_str()) == 1;
    if (!named || !sni) {
      close();
      co_return failure({}, fmt::format("{}: cannot set up TLS name checks for host {}", url_.to_string(), url_.host));
    }
  } else {
    plain_.emplace(executor_);
  }

  tcp().expires_at(deadline);
  co_await tcp().async_connect(endpoints, asio::redirect_error(asio::use_awaitable, ec));
  if (ec) {
    close();
    co_return failure(ec, fmt::format("cannot connect to {}: {}", url_.to_string(), ec.message()));
  }
  tcp().socket().set_option(tcp::no_delay(true), ec);
  if (secure_) {
    co_await secure_->async_handshake(asio::ssl::stream_base::client, asio::redirect_error(asio::use_awaitable, ec));
    if (ec) {
      const long verify = SSL_get_verify_result(secure_->native_handle());
      close();
      if (ec == beast::error::timeout) {
        co_return failure(ec, fmt::format("TLS handshake with {} timed out", url_.to_string()));
      }
      if (verify != X509_V_OK) {
        co_return failure(ec,
                          fmt::format("TLS handshake with {} failed: certificate verify failed: {} (ca_file in the "
                                      "endpoints file names a CA to trust)",
                                      url_.to_string(), X509_verify_cert_error_string(verify)),
                          true);
      }
      co_return failure(ec, fmt::format("TLS handshake with {} failed: {}", url_.to_string(), ec.message()));
    }
  }
  co_return std::nullopt;
}

std::span<char> UpstreamConnection::relay_buffer() {
  if (!relay_) relay_ = std::make_unique_for_overwrite<char[]>(kRelayBytes);
  return {relay_.get(), kRelayBytes};
}

bool UpstreamConnection::still_open_while_idle() {
  if (!is_open() || buffer_.size() > 0) return false;
  // MSG_PEEK | MSG_DONTWAIT: "would block" is the one answer that means open and silent; 0 is the
  // server's FIN, an error its reset, and a byte something sent outside any exchange.
  char byte = 0;
  const ssize_t n = ::recv(tcp().socket().native_handle(), &byte, 1, MSG_PEEK | MSG_DONTWAIT);
  return n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK);
}

bool closed_while_idle(const boost::system::error_code& ec) {
  return ec == beast::http::error::end_of_stream || ec == asio::error::eof || ec == asio::error::connection_reset ||
         ec == asio::error::broken_pipe || ec == asio::ssl::error::stream_truncated;
}

}  // namespace zooter::live
