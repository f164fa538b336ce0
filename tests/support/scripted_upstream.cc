#include "tests/support/scripted_upstream.h"

#include <utility>  // before Asio: Boost 1.74's awaitable.hpp uses std::exchange without it

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>

#include <array>
#include <deque>
#include <mutex>
#include <thread>

namespace zooter::testing {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

struct ScriptedUpstream::Impl {
  explicit Impl(std::vector<ScriptedReply> script) : replies(script.begin(), script.end()) {}

  asio::awaitable<void> accept_loop() {
    for (;;) {
      boost::system::error_code ec;
      tcp::socket socket = co_await acceptor.async_accept(asio::redirect_error(asio::use_awaitable, ec));
      if (ec) co_return;
      {
        const std::lock_guard lock(mutex);
        ++accepted;
      }
      asio::co_spawn(io, serve(std::move(socket)), asio::detached);
    }
  }

  asio::awaitable<void> serve(tcp::socket socket) {
    beast::flat_buffer buffer;
    for (;;) {
      boost::system::error_code ec;
      http::request<http::string_body> request;
      co_await http::async_read(socket, buffer, request, asio::redirect_error(asio::use_awaitable, ec));
      if (ec) {
        count(closed_by_peer);
        co_return;
      }
      ScriptedReply reply;
      bool unanswered = false;
      {
        const std::lock_guard lock(mutex);
        ++received;
        if (replies.empty()) {
          unanswered = true;
        } else {
          reply = std::move(replies.front());
          replies.pop_front();
        }
      }
      if (unanswered) {  // closes the connection unanswered
        socket.close(ec);
        count(closed_here);
        co_return;
      }
      if (reply.hold_until_client_closes) {
        std::array<char, 4096> scratch{};
        while (!ec) co_await socket.async_read_some(asio::buffer(scratch), asio::redirect_error(asio::use_awaitable, ec));
        count(closed_by_peer);
        co_return;
      }
      co_await asio::async_write(socket, asio::buffer(reply.bytes), asio::redirect_error(asio::use_awaitable, ec));
      if (ec) co_return;
      if (reply.close_after) {
        socket.close(ec);
        count(closed_here);
        co_return;
      }
    }
  }

  void count(std::size_t& counter) {
    const std::lock_guard lock(mutex);
    ++counter;
  }

  asio::io_context io{1};
  tcp::acceptor acceptor{io, {asio::ip::make_address("127.0.0.1"), 0}};
  mutable std::mutex mutex;  // guards the five below
  std::deque<ScriptedReply> replies;
  std::size_t received = 0;
  std::size_t accepted = 0;
  std::size_t closed_by_peer = 0;
  std::size_t closed_here = 0;
  std::thread thread;
};

ScriptedUpstream::ScriptedUpstream(std::vector<ScriptedReply> replies)
    : impl_(std::make_unique<Impl>(std::move(replies))) {
  asio::co_spawn(impl_->io, impl_->accept_loop(), asio::detached);
  impl_->thread = std::thread([impl = impl_.get()] { impl->io.run(); });
}

ScriptedUpstream::~ScriptedUpstream() {
  impl_->io.stop();
  impl_->thread.join();
}

unsigned short ScriptedUpstream::port() const { return impl_->acceptor.local_endpoint().port(); }

std::size_t ScriptedUpstream::requests_received() const {
  const std::lock_guard lock(impl_->mutex);
  return impl_->received;
}

std::size_t ScriptedUpstream::connections_accepted() const {
  const std::lock_guard lock(impl_->mutex);
  return impl_->accepted;
}

std::size_t ScriptedUpstream::closed_by_client() const {
  const std::lock_guard lock(impl_->mutex);
  return impl_->closed_by_peer;
}

std::size_t ScriptedUpstream::closed_by_server() const {
  const std::lock_guard lock(impl_->mutex);
  return impl_->closed_here;
}

}  // namespace zooter::testing
