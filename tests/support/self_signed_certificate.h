// A throwaway TLS server identity for the fake upstream's HTTPS mode (fake_upstream.h), made
// with the OpenSSL API in memory: nothing is checked in, read or written.
//
// The certificate is its own CA (a client trusts it by taking its PEM as a CA file); it is
// valid from an hour ago (clock skew) for a day, for IP:127.0.0.1 and DNS:localhost, with an
// EC P-256 key and a random serial. For tests only: no real client should ever trust it.
#pragma once

#include <string>

namespace zooter::testing {

struct SelfSignedCertificate {
  std::string certificate_pem;
  std::string key_pem;  // unencrypted PKCS#8
};

// A fresh key and certificate on every call. Throws std::runtime_error when OpenSSL fails.
[[nodiscard]] SelfSignedCertificate make_self_signed_certificate();

}  // namespace zooter::testing
