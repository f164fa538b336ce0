// Which certificates live mode trusts when it talks to an https upstream (collect, score and
// serve): the system's default store, or one endpoint's own CA bundle (`ca_file` in the
// endpoints file) for servers with a private CA.
//
// Only the trust anchors are set here; the per-connection checks (host name, SNI) are made by
// upstream_connection.h. Not for servers: zooter never terminates TLS.
#pragma once

#include <memory>
#include <string>

#include <boost/asio/ssl/context.hpp>

namespace zooter::live {

// A TLS client context that verifies peers against the PEM certificates in `ca_file`, or against
// the system's default store when `ca_file` is empty. The file replaces the system store rather
// than adding to it (as curl's --cacert does): an endpoint with a private CA trusts that CA only.
// Throws InputError naming the file when it cannot be read or holds no certificate.
[[nodiscard]] std::unique_ptr<boost::asio::ssl::context> make_tls_context(const std::string& ca_file = {});

}  // namespace zooter::live
