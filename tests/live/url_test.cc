#include "live/url.h"

#include <gtest/gtest.h>

#include "harness/error.h"

namespace zooter::live {
namespace {

TEST(UrlTest, ParsesSchemeHostPortAndBasePath) {
  const Url u = parse_url("http://127.0.0.1:8001/v1/");
  EXPECT_EQ(u.scheme, "http");
  EXPECT_EQ(u.host, "127.0.0.1");
  EXPECT_EQ(u.port, "8001");
  EXPECT_EQ(u.path, "/v1");
  EXPECT_EQ(u.target("/chat/completions"), "/v1/chat/completions");
  EXPECT_EQ(u.to_string(), "http://127.0.0.1:8001/v1");
}

TEST(UrlTest, DefaultPortsAndIpv6) {
  EXPECT_EQ(parse_url("https://api.example.com").port, "443");
  EXPECT_EQ(parse_url("HTTP://h").port, "80");
  EXPECT_EQ(parse_url("https://api.example.com").path, "");
  EXPECT_EQ(parse_url("https://h").target("predict"), "/predict");
  const Url v6 = parse_url("http://[::1]:9000/v1");
  EXPECT_EQ(v6.host, "::1");
  EXPECT_EQ(v6.port, "9000");
  EXPECT_EQ(v6.to_string(), "http://[::1]:9000/v1");
}

TEST(UrlTest, HostHeaderOmitsTheDefaultPortAndBracketsIpv6) {
  EXPECT_EQ(parse_url("https://api.example.com/v1").host_header(), "api.example.com");
  EXPECT_EQ(parse_url("http://h:80").host_header(), "h");
  EXPECT_EQ(parse_url("https://h:80").host_header(), "h:80");
  EXPECT_EQ(parse_url("http://127.0.0.1:8001/v1").host_header(), "127.0.0.1:8001");
  EXPECT_EQ(parse_url("http://[::1]:9000/v1").host_header(), "[::1]:9000");
  EXPECT_EQ(parse_url("https://[::1]/v1").host_header(), "[::1]");
}

TEST(UrlTest, RejectsBadInputWithReason) {
  const std::pair<const char*, const char*> cases[] = {
      {"127.0.0.1:8000", "url \"127.0.0.1:8000\": expected http://host[:port][/path]"},
      {"ftp://h/", "url \"ftp://h/\": scheme must be http or https"},
      {"http://:80/v1", "url \"http://:80/v1\": empty host"},
      {"http://h:/v1", "url \"http://h:/v1\": empty port"},
      {"http://h:99999", "url \"http://h:99999\": port must be a number in 1..65535"},
      {"http://h:0", "url \"http://h:0\": port must be a number in 1..65535"},
      {"http://h:8a", "url \"http://h:8a\": port must be a number in 1..65535"},
      {"http://user:key@h/v1", "url \"http://user:key@h/v1\": user info is not allowed"},
      {"http://h/v1?x=1", "url \"http://h/v1?x=1\": query strings and fragments are not allowed"},
      {"http://[::1/v1", "url \"http://[::1/v1\": unterminated [IPv6] host"},
  };
  for (const auto& [text, message] : cases) {
    SCOPED_TRACE(text);
    try {
      (void)parse_url(text);
      ADD_FAILURE() << "accepted";
    } catch (const InputError& e) {
      EXPECT_EQ(std::string(e.what()), message);
    }
  }
}

}  // namespace
}  // namespace zooter::live
