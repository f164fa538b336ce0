// The checks every JSON loader shares (harness/json_checks.h): repeated keys, found at the
// offset of their second appearance, and well-formed UTF-8 as RapidJSON's validation defines it.
#include "harness/json_checks.h"

#include <gtest/gtest.h>

#include <string>

namespace zooter {
namespace {

TEST(FindDuplicateKey, FindsTheSecondAppearanceAtAnyDepth) {
  EXPECT_FALSE(find_duplicate_key(R"({"a": 1, "b": {"a": 2}, "c": [{"a": 1}, {"a": 2}]})"));
  EXPECT_FALSE(find_duplicate_key(R"([1, "a", "a"])"));
  EXPECT_FALSE(find_duplicate_key("3"));
  const std::string top = R"({"a": 1, "b": 2, "a": 3})";
  auto d = find_duplicate_key(top);
  ASSERT_TRUE(d);
  EXPECT_EQ(d->key, "a");
  EXPECT_EQ(d->offset, top.find("\"a\": 3") + 3);  // just after the key
  const std::string nested = "[{\"x\": 1},\n {\"y\": {\"z\": 1, \"z\": 2}}]";
  d = find_duplicate_key(nested);
  ASSERT_TRUE(d);
  EXPECT_EQ(d->key, "z");
  EXPECT_EQ(d->offset, nested.rfind("\"z\"") + 3);
  EXPECT_EQ(duplicate_key_message(*d), "key \"z\" appears twice in one object (which value is meant?)");
  // Keys compare as decoded strings: an escape is the same key.
  d = find_duplicate_key(R"({"ab": 1, "a\u0062": 2})");
  ASSERT_TRUE(d);
  EXPECT_EQ(d->key, "ab");
}

TEST(InvalidUtf8At, AcceptsWellFormedUtf8Only) {
  EXPECT_EQ(invalid_utf8_at(""), std::string::npos);
  EXPECT_EQ(invalid_utf8_at("plain ascii, longer than eight bytes"), std::string::npos);
  EXPECT_EQ(invalid_utf8_at("caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80 \xF4\x8F\xBF\xBF \xED\x9F\xBF"), std::string::npos);
  EXPECT_EQ(invalid_utf8_at("abcdefgh\xFF"), 8u);
  EXPECT_EQ(invalid_utf8_at("a\x80"), 1u);                 // a continuation byte alone
  EXPECT_EQ(invalid_utf8_at("ab\xC3"), 2u);                // cut short
  EXPECT_EQ(invalid_utf8_at("\xC3\x28"), 0u);              // a continuation that is not one
  EXPECT_EQ(invalid_utf8_at("\xC0\xAF"), 0u);              // overlong
  EXPECT_EQ(invalid_utf8_at("\xE0\x80\xAF"), 0u);          // overlong
  EXPECT_EQ(invalid_utf8_at("\xF0\x80\x80\xAF"), 0u);      // overlong
  EXPECT_EQ(invalid_utf8_at("x\xED\xA0\x80"), 1u);         // a UTF-16 surrogate
  EXPECT_EQ(invalid_utf8_at("\xF4\x90\x80\x80"), 0u);      // past U+10FFFF
  EXPECT_EQ(invalid_utf8_at("\xF5\x80\x80\x80"), 0u);
  EXPECT_EQ(invalid_utf8_at("\xE2\x82"), 0u);
}

}  // namespace
}  // namespace zooter
