#include "live/url.h"

#include <algorithm>
#include <cctype>

#include "harness/error.h"

namespace zooter::live {
namespace {

[[noreturn]] void bad(std::string_view text, const std::string& reason) {
  throw InputError("url \"" + std::string(text) + "\": " + reason);
}

}  // namespace

std::string Url::to_string() const {
  const bool v6 = host.find(':') != std::string::npos;
  return scheme + "://" + (v6 ? "[" + host + "]" : host) + ":" + port + path;
}

std::string Url::target(std::string_view route) const {
  std::string out = path;
  if (route.empty() || route.front() != '/') out += '/';
  out += route;
  return out;
}

std::string Url::host_header() const {
  const bool v6 = host.find(':') != std::string::npos;
  const bool default_port = (scheme == "http" && port == "80") || (scheme == "https" && port == "443");
  const std::string name = v6 ? "[" + host + "]" : host;
  return default_port ? name : name + ":" + port;
}

Url parse_url(std::string_view text) {
  Url url;
  const auto scheme_end = text.find("://");
  if (scheme_end == std::string_view::npos) bad(text, "expected http://host[:port][/path]");
  for (char c : text.substr(0, scheme_end)) {
    url.scheme += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  if (url.scheme != "http" && url.scheme != "https") {
    bad(text, "scheme must be http or https");
  }
  std::string_view rest = text.substr(scheme_end + 3);
  const auto authority_end = rest.find('/');
  std::string_view authority = rest.substr(0, authority_end);
  std::string_view path =
      authority_end == std::string_view::npos ? std::string_view{} : rest.substr(authority_end);
  if (authority.find('@') != std::string_view::npos) bad(text, "user info is not allowed");
  if (path.find_first_of("?#") != std::string_view::npos || authority.find_first_of("?#") != std::string_view::npos) {
    bad(text, "query strings and fragments are not allowed");
  }
  std::string_view port;
  if (!authority.empty() && authority.front() == '[') {
    const auto close = authority.find(']');
    if (close == std::string_view::npos) bad(text, "unterminated [IPv6] host");
    url.host = std::string(authority.substr(1, close - 1));
    const std::string_view after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') bad(text, "unexpected text after ]");
      port = after.substr(1);
      if (port.empty()) bad(text, "empty port");
    }
  } else {
    const auto colon = authority.find(':');
    url.host = std::string(authority.substr(0, colon));
    if (colon != std::string_view::npos) {
      port = authority.substr(colon + 1);
      if (port.empty()) bad(text, "empty port");
    }
  }
  if (url.host.empty()) bad(text, "empty host");
  if (!port.empty()) {
    if (port.size() > 5 || !std::all_of(port.begin(), port.end(),
                                        [](char c) { return c >= '0' && c <= '9'; })) {
      bad(text, "port must be a number in 1..65535");
    }
    const int value = std::stoi(std::string(port));
    if (value < 1 || value > 65535) bad(text, "port must be a number in 1..65535");
    url.port = std::to_string(value);
  } else {
    url.port = url.scheme == "https" ? "443" : "80";
  }
  while (!path.empty() && path.back() == '/') path.remove_suffix(1);
  url.path = std::string(path);
  return url;
}

}  // namespace zooter::live
