// A parsed http:// or https:// URL, as written in endpoints files ("http://127.0.0.1:8001/v1").
#pragma once

#include <string>
#include <string_view>

namespace zooter::live {

struct Url {
  std::string scheme;  // "http" or "https", lower case
  std::string host;    // without brackets for IPv6 literals ("::1")
  std::string port;    // always set: the explicit port or 80 / 443
  std::string path;    // base path without a trailing slash ("/v1"; "" for the root)

  // "scheme://host:port/path", brackets around IPv6 hosts; the canonical form.
  [[nodiscard]] std::string to_string() const;
  // The request target for `route` under this base: path + "/" + route.
  [[nodiscard]] std::string target(std::string_view route) const;
  // The Host header's value: the host (brackets around IPv6), with ":port" unless the port is
  // the scheme's default.
  [[nodiscard]] std::string host_header() const;
};

// Throws InputError("url \"...\": reason") for anything but http(s)://host[:port][/path]. User
// info, query strings and fragments are rejected: an API base URL has none, and a key pasted
// into the URL would end up in logs.
[[nodiscard]] Url parse_url(std::string_view text);

}  // namespace zooter::live
