// The part of an OpenAI chat-completions request body that `zooter serve` reads itself: which
// model is asked for, whether the answer streams, the messages, and the text the router sees.
//
// Everything else in the body (temperature, tools, ...) is the upstream's business: the proxy
// forwards the body as received, with only the `model` value replaced (replace_model below), so
// no field is lost or re-encoded on the way. This is the fuzz target's subject
// (tests/fuzz/chat_request_fuzz.cc): it must reject any input with a ChatRequestError, never
// crash, recurse without bound or read out of range.
#pragma once

#include <cstddef>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "harness/json_quote.h"  // json_quote, which replace_model escapes the model with

namespace zooter::live {

struct ChatMessage {
  std::string role;
  // A string content as is; an array of parts as its "text" parts joined by "\n" (other part
  // types, such as images, contribute nothing); null (an assistant turn with tool calls) as "".
  std::string text;
};

struct ChatRequest {
  std::string model;  // "" when the body names none
  bool stream = false;
  std::vector<ChatMessage> messages;  // never empty
  // What the router routes on: the text of the last "user" message, or of the last message when
  // no message is from the user. The router was trained on single user queries, so the latest
  // user turn is the closest match; earlier turns would dilute it with stale topics.
  std::string routing_text;
  // Where the `model` value (quotes included) sits in the body: [begin, end). Both are npos when
  // the body has no top-level "model".
  std::size_t model_begin = std::string_view::npos;
  std::size_t model_end = std::string_view::npos;
};

struct ChatRequestLimits {
  std::size_t max_body_bytes = 1u << 20;
  std::size_t max_messages = 4096;
};

class ChatRequestError : public std::runtime_error {
 public:
  enum class Kind { kTooLarge, kMalformedJson, kInvalidField };
  ChatRequestError(Kind kind, const std::string& message) : std::runtime_error(message), kind_(kind) {}
  [[nodiscard]] Kind kind() const { return kind_; }

 private:
  Kind kind_;
};

// Parses a request body. Throws ChatRequestError: kTooLarge past limits.max_body_bytes or
// limits.max_messages; kMalformedJson for bytes that are not one JSON value in valid UTF-8
// ("invalid JSON at 1:15: Missing a comma or '}' after an object member."); kInvalidField for
// JSON of the wrong shape, naming the field ("messages[2].content: expected a string, an array
// of parts or null, got a number"). Nesting depth costs no stack (RapidJSON's iterative parser).
[[nodiscard]] ChatRequest parse_chat_request(std::string_view body, const ChatRequestLimits& limits = {});

// `body` (the one `request` was parsed from) with the model value replaced by `model` (escaped
// as a JSON string), or a "model" member added first when the body has none. Every other byte
// is kept.
[[nodiscard]] std::string replace_model(std::string_view body, const ChatRequest& request, std::string_view model);

}  // namespace zooter::live
