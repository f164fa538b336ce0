#include "live/tls_context.h"

#include <fmt/format.h>

#include "harness/error.h"

namespace zooter::live {

namespace ssl = boost::asio::ssl;

std::unique_ptr<ssl::context> make_tls_context(const std::string& ca_file) {
  auto context = std::make_unique<ssl::context>(ssl::context::tls_client);
  if (ca_file.empty()) {
    context->set_default_verify_paths();
  } else {
    boost::system::error_code ec;
    context->load_verify_file(ca_file, ec);
    if (ec) throw InputError(ca_file, 0, fmt::format("cannot load the CA certificates: {}", ec.message()));
  }
  context->set_verify_mode(ssl::verify_peer);
  return context;
}

}  // namespace zooter::live
