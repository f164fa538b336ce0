#include "live/chat_request.h"

#include <rapidjson/document.h>
#include <rapidjson/encodedstream.h>
#include <rapidjson/error/en.h>
#include <rapidjson/memorystream.h>
#include <rapidjson/reader.h>

#include <cstring>
#include <optional>

#include "harness/json_position.h"

namespace zooter::live {
namespace {

using Document = rapidjson::Document;
using Value = rapidjson::Value;
using Input = rapidjson::EncodedInputStream<rapidjson::UTF8<>, rapidjson::MemoryStream>;

// No recursion (hostile nesting costs heap, bounded by the body size, not stack), and bytes that
// are not UTF-8 are an error rather than something to pass on to the upstream.
constexpr unsigned kParseFlags = rapidjson::kParseIterativeFlag | rapidjson::kParseValidateEncodingFlag;

[[noreturn]] void invalid(const std::string& where, const std::string& what) {
  throw ChatRequestError(ChatRequestError::Kind::kInvalidField, where + ": " + what);
}

const char* type_name(const Value& v) {
  switch (v.GetType()) {
    case rapidjson::kNullType: return "null";
    case rapidjson::kFalseType:
    case rapidjson::kTrueType: return "a boolean";
    case rapidjson::kObjectType: return "an object";
    case rapidjson::kArrayType: return "an array";
    case rapidjson::kStringType: return "a string";
    case rapidjson::kNumberType: return "a number";
  }
  return "a value";
}

// Builds the document (it forwards every event to it) while noting where the top-level "model"
// value lies, so the proxy can replace those bytes and keep all others.
class LocatingHandler {
 public:
  LocatingHandler(Document& document, const Input& input) : document_(document), input_(input) {}

  bool Null() { return value(false) && document_.Null(); }
  bool Bool(bool b) { return value(false) && document_.Bool(b); }
  bool Int(int i) { return value(false) && document_.Int(i); }
  bool Uint(unsigned u) { return value(false) && document_.Uint(u); }
  bool Int64(std::int64_t i) { return value(false) && document_.Int64(i); }
  bool Uint64(std::uint64_t u) { return value(false) && document_.Uint64(u); }
  bool Double(double d) { return value(false) && document_.Double(d); }
  bool RawNumber(const char* s, rapidjson::SizeType n, bool copy) {
    return value(false) && document_.RawNumber(s, n, copy);
  }
  bool String(const char* s, rapidjson::SizeType n, bool copy) {
    return value(true) && document_.String(s, n, copy);
  }
  bool StartObject() {
    const bool ok = value(false);
    ++depth_;
    return ok && document_.StartObject();
  }
  bool Key(const char* s, rapidjson::SizeType n, bool copy) {
    if (depth_ == 1) {
      key_is_model_ = n == 5 && std::memcmp(s, "model", 5) == 0;
      if (key_is_model_) {
        ++model_keys_;
        key_end_ = input_.Tell();
      }
    }
    return document_.Key(s, n, copy);
  }
  bool EndObject(rapidjson::SizeType members) {
    --depth_;
    return document_.EndObject(members);
  }
  bool StartArray() {
    const bool ok = value(false);
    ++depth_;
    return ok && document_.StartArray();
  }
  bool EndArray(rapidjson::SizeType elements) {
    --depth_;
    return document_.EndArray(elements);
  }

  [[nodiscard]] int model_keys() const { return model_keys_; }
  [[nodiscard]] std::size_t key_end() const { return key_end_; }
  [[nodiscard]] std::size_t value_end() const { return value_end_; }

 private:
  bool value(bool is_string) {
    if (depth_ == 1 && key_is_model_) {
      if (is_string && model_keys_ == 1) value_end_ = input_.Tell();
      key_is_model_ = false;
    }
    return true;
  }

  Document& document_;
  const Input& input_;
  int depth_ = 0;
  bool key_is_model_ = false;
  int model_keys_ = 0;
  std::size_t key_end_ = 0;
  std::size_t value_end_ = std::string_view::npos;
};

std::string message_text(const Value& message, const std::string& where) {
  const auto content = message.FindMember("content");
  if (content == message.MemberEnd() || content->value.IsNull()) return {};
  const Value& c = content->value;
  if (c.IsString()) return std::string(c.GetString(), c.GetStringLength());
  if (!c.IsArray()) invalid(where + ".content", std::string("expected a string, an array of parts or null, got ") + type_name(c));
  std::string text;
  for (rapidjson::SizeType i = 0; i < c.Size(); ++i) {
    const std::string part_where = where + ".content[" + std::to_string(i) + "]";
    const Value& part = c[i];
    if (!part.IsObject()) invalid(part_where, std::string("expected an object, got ") + type_name(part));
    const auto type = part.FindMember("type");
    if (type == part.MemberEnd()) invalid(part_where, "missing \"type\"");
    if (!type->value.IsString()) invalid(part_where + ".type", std::string("expected a string, got ") + type_name(type->value));
    if (std::string_view(type->value.GetString(), type->value.GetStringLength()) != "text") continue;
    const auto part_text = part.FindMember("text");
    if (part_text == part.MemberEnd()) invalid(part_where, "a text part without \"text\"");
    if (!part_text->value.IsString()) invalid(part_where + ".text", std::string("expected a string, got ") + type_name(part_text->value));
    if (!text.empty()) text += '\n';
    text.append(part_text->value.GetString(), part_text->value.GetStringLength());
  }
  return text;
}

}  // namespace

ChatRequest parse_chat_request(std::string_view body, const ChatRequestLimits& limits) {
  if (body.size() > limits.max_body_bytes) {
    throw ChatRequestError(ChatRequestError::Kind::kTooLarge,
                           "request body: " + std::to_string(body.size()) + " bytes, more than the limit of " +
                               std::to_string(limits.max_body_bytes));
  }
  // RapidJSON's memory stream reads a NUL as the end of input, which would accept trailing
  // bytes after one; JSON text never holds a raw NUL, so refuse it first.
  if (const std::size_t nul = body.find('\0'); nul != std::string_view::npos) {
    const TextPosition at = position_of(body, nul);
    throw ChatRequestError(ChatRequestError::Kind::kMalformedJson,
                           "invalid JSON at " + std::to_string(at.line) + ":" + std::to_string(at.column) +
                               ": a NUL byte");
  }
  Document document;
  rapidjson::MemoryStream memory(body.data(), body.size());
  Input input(memory);
  LocatingHandler handler(document, input);
  rapidjson::Reader reader;
  rapidjson::ParseResult result;
  auto generate = [&](Document&) {
    result = reader.Parse<kParseFlags>(input, handler);
    return !result.IsError();
  };
  document.Populate(generate);
  if (result.IsError()) {
    const TextPosition at = position_of(body, result.Offset());
    throw ChatRequestError(ChatRequestError::Kind::kMalformedJson,
                           "invalid JSON at " + std::to_string(at.line) + ":" + std::to_string(at.column) + ": " +
                               rapidjson::GetParseError_En(result.Code()));
  }
  if (!document.IsObject()) invalid("request body", std::string("expected a JSON object, got ") + type_name(document));

  ChatRequest request;
  if (const auto model = document.FindMember("model"); model != document.MemberEnd()) {
    if (!model->value.IsString()) invalid("model", std::string("expected a string, got ") + type_name(model->value));
    if (handler.model_keys() > 1) invalid("model", "given more than once");
    request.model.assign(model->value.GetString(), model->value.GetStringLength());
    // Between the key's closing quote and the value's opening one there is only ':' and space.
    request.model_begin = body.find('"', handler.key_end());
    request.model_end = handler.value_end();
  }
  if (const auto stream = document.FindMember("stream"); stream != document.MemberEnd()) {
    if (stream->value.IsBool()) {
      request.stream = stream->value.GetBool();
    } else if (!stream->value.IsNull()) {
      invalid("stream", std::string("expected a boolean, got ") + type_name(stream->value));
    }
  }
  const auto messages = document.FindMember("messages");
  if (messages == document.MemberEnd()) invalid("messages", "missing");
  if (!messages->value.IsArray()) invalid("messages", std::string("expected an array, got ") + type_name(messages->value));
  const Value& list = messages->value;
  if (list.Empty()) invalid("messages", "empty");
  if (list.Size() > limits.max_messages) {
    throw ChatRequestError(ChatRequestError::Kind::kTooLarge,
                           "messages: " + std::to_string(list.Size()) + " messages, more than the limit of " +
                               std::to_string(limits.max_messages));
  }
  request.messages.reserve(list.Size());
  std::optional<std::size_t> last_user;
  for (rapidjson::SizeType i = 0; i < list.Size(); ++i) {
    const std::string where = "messages[" + std::to_string(i) + "]";
    const Value& message = list[i];
    if (!message.IsObject()) invalid(where, std::string("expected an object, got ") + type_name(message));
    const auto role = message.FindMember("role");
    if (role == message.MemberEnd()) invalid(where, "missing \"role\"");
    if (!role->value.IsString()) invalid(where + ".role", std::string("expected a string, got ") + type_name(role->value));
    ChatMessage m;
    m.role.assign(role->value.GetString(), role->value.GetStringLength());
    m.text = message_text(message, where);
    if (m.role == "user") last_user = i;
    request.messages.push_back(std::move(m));
  }
  request.routing_text = request.messages[last_user.value_or(request.messages.size() - 1)].text;
  return request;
}

std::string replace_model(std::string_view body, const ChatRequest& request, std::string_view model) {
  const std::string quoted = json_quote(model);
  std::string out;
  if (request.model_begin != std::string_view::npos && request.model_end != std::string_view::npos &&
      request.model_begin < request.model_end && request.model_end <= body.size()) {
    out.reserve(body.size() + quoted.size());
    out.append(body.substr(0, request.model_begin));
    out.append(quoted);
    out.append(body.substr(request.model_end));
    return out;
  }
  // No model in the body: add one as the first member of the top-level object.
  const std::size_t brace = body.find('{');
  if (brace == std::string_view::npos) return std::string(body);
  const std::size_t next = body.find_first_not_of(" \t\r\n", brace + 1);
  const bool empty_object = next != std::string_view::npos && body[next] == '}';
  out.append(body.substr(0, brace + 1));
  out.append("\"model\":");
  out.append(quoted);
  if (!empty_object) out += ',';
  out.append(body.substr(brace + 1));
  return out;
}

}  // namespace zooter::live
