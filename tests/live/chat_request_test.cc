// Request parsing the proxy does itself: fields, the routing text, errors, model replacement.
#include "live/chat_request.h"

#include <gtest/gtest.h>

#include <string>

namespace zooter::live {
namespace {

TEST(ChatRequestTest, ReadsModelStreamMessagesAndRoutingText) {
  const std::string body =
      R"({"model": "auto", "stream": true, "temperature": 0.7, "messages": [)"
      R"({"role": "system", "content": "be brief"}, {"role": "user", "content": "first question"},)"
      R"({"role": "assistant", "content": null}, {"role": "user", "content": [{"type": "text", "text": "part one"},)"
      R"({"type": "image_url", "image_url": {"url": "x"}}, {"type": "text", "text": "part two"}]}]})";
  const ChatRequest r = parse_chat_request(body);
  EXPECT_EQ(r.model, "auto");
  EXPECT_TRUE(r.stream);
  ASSERT_EQ(r.messages.size(), 4u);
  EXPECT_EQ(r.messages[0].role, "system");
  EXPECT_EQ(r.messages[2].text, "");
  EXPECT_EQ(r.messages[3].text, "part one\npart two");
  EXPECT_EQ(r.routing_text, "part one\npart two");
  EXPECT_EQ(body.substr(r.model_begin, r.model_end - r.model_begin), "\"auto\"");
}

TEST(ChatRequestTest, RoutesOnLastMessageWhenNoUserMessage) {
  const ChatRequest r = parse_chat_request(R"({"messages":[{"role":"system","content":"only system"}]})");
  EXPECT_EQ(r.model, "");
  EXPECT_FALSE(r.stream);
  EXPECT_EQ(r.routing_text, "only system");
}

TEST(ChatRequestTest, ReplacesOnlyTheModelBytes) {
  const std::string body = "{ \"model\" :\t\"a\\\"b\", \"x\": 1.50e2, \"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
  const ChatRequest r = parse_chat_request(body);
  EXPECT_EQ(r.model, "a\"b");
  EXPECT_EQ(replace_model(body, r, "gpt-\"4\""),
            "{ \"model\" :\t\"gpt-\\\"4\\\"\", \"x\": 1.50e2, \"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
  const std::string no_model = R"( {"messages":[{"role":"user","content":"hi"}]})";
  EXPECT_EQ(replace_model(no_model, parse_chat_request(no_model), "m"),
            R"( {"model":"m","messages":[{"role":"user","content":"hi"}]})");
}

TEST(ChatRequestTest, NestedModelKeysAreNotTheModel) {
  const std::string body = R"({"metadata":{"model":"inner"},"messages":[{"role":"user","content":"q"}],"model":"outer"})";
  const ChatRequest r = parse_chat_request(body);
  EXPECT_EQ(r.model, "outer");
  EXPECT_EQ(replace_model(body, r, "x"), R"({"metadata":{"model":"inner"},"messages":[{"role":"user","content":"q"}],"model":"x"})");
}

TEST(ChatRequestTest, JsonQuoteEscapes) {
  EXPECT_EQ(json_quote("a\"b\\c\n\x01"), "\"a\\\"b\\\\c\\n\\u0001\"");
}

struct BadCase {
  std::string body;
  ChatRequestError::Kind kind;
  std::string message;
};

TEST(ChatRequestTest, RejectsBadBodiesWithClearMessages) {
  using K = ChatRequestError::Kind;
  const std::vector<BadCase> cases = {
      {"", K::kMalformedJson, "invalid JSON at 1:1: The document is empty."},
      {"{\"model\": \"a\",\n \"messages\" []}", K::kMalformedJson,
       "invalid JSON at 2:13: Missing a colon after a name of object member."},
      {"{\"messages\":[]} x", K::kMalformedJson, "invalid JSON at 1:17: The document root must not be followed by other values."},
      {std::string("{\"messages\":[]}\0x", 17), K::kMalformedJson, "invalid JSON at 1:16: a NUL byte"},
      {"{\"messages\":\"\xff\"}", K::kMalformedJson, "invalid JSON at 1:14: Invalid encoding in string."},
      {"[1]", K::kInvalidField, "request body: expected a JSON object, got an array"},
      {"{}", K::kInvalidField, "messages: missing"},
      {R"({"messages":{}})", K::kInvalidField, "messages: expected an array, got an object"},
      {R"({"messages":[]})", K::kInvalidField, "messages: empty"},
      {R"({"model":3,"messages":[]})", K::kInvalidField, "model: expected a string, got a number"},
      {R"({"model":"a","model":"b","messages":[{"role":"user"}]})", K::kInvalidField, "model: given more than once"},
      {R"({"stream":"yes","messages":[]})", K::kInvalidField, "stream: expected a boolean, got a string"},
      {R"({"messages":[1]})", K::kInvalidField, "messages[0]: expected an object, got a number"},
      {R"({"messages":[{"content":"x"}]})", K::kInvalidField, "messages[0]: missing \"role\""},
      {R"({"messages":[{"role":true}]})", K::kInvalidField, "messages[0].role: expected a string, got a boolean"},
      {R"({"messages":[{"role":"user","content":5}]})", K::kInvalidField,
       "messages[0].content: expected a string, an array of parts or null, got a number"},
      {R"({"messages":[{"role":"user","content":[{"text":"x"}]}]})", K::kInvalidField,
       "messages[0].content[0]: missing \"type\""},
      {R"({"messages":[{"role":"user","content":[{"type":"text","text":7}]}]})", K::kInvalidField,
       "messages[0].content[0].text: expected a string, got a number"},
  };
  for (const BadCase& c : cases) {
    SCOPED_TRACE(c.body);
    try {
      (void)parse_chat_request(c.body);
      ADD_FAILURE() << "accepted";
    } catch (const ChatRequestError& e) {
      EXPECT_EQ(e.kind(), c.kind);
      EXPECT_EQ(std::string(e.what()), c.message);
    }
  }
}

TEST(ChatRequestTest, EnforcesLimits) {
  ChatRequestLimits limits;
  limits.max_body_bytes = 10;
  try {
    (void)parse_chat_request(R"({"messages":[]})", limits);
    FAIL();
  } catch (const ChatRequestError& e) {
    EXPECT_EQ(e.kind(), ChatRequestError::Kind::kTooLarge);
    EXPECT_EQ(std::string(e.what()), "request body: 15 bytes, more than the limit of 10");
  }
  limits = {};
  limits.max_messages = 1;
  EXPECT_THROW((void)parse_chat_request(R"({"messages":[{"role":"user"},{"role":"user"}]})", limits), ChatRequestError);
}

TEST(ChatRequestTest, DeepNestingIsAnErrorNotACrash) {
  // A million nested arrays: the iterative parser needs no stack for it.
  const std::string body = "{\"x\":" + std::string(1000000, '[') + std::string(1000000, ']') + "}";
  try {
    (void)parse_chat_request(body, ChatRequestLimits{1u << 22, 16});
    FAIL();
  } catch (const ChatRequestError& e) {
    EXPECT_EQ(std::string(e.what()), "messages: missing");
  }
}

}  // namespace
}  // namespace zooter::live
