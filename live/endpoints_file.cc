#include "live/endpoints_file.h"

#include <rapidjson/document.h>
#include <rapidjson/error/en.h>
#include <rapidjson/reader.h>

#include <fmt/format.h>

#include <cerrno>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <optional>
#include <set>
#include <sstream>

#include "harness/error.h"
#include "harness/input_file.h"
#include "harness/json_checks.h"
#include "harness/json_position.h"

namespace zooter::live {
namespace {

using rapidjson::Value;

// Where each key of each object starts, by object ordinal in document order: RapidJSON's DOM
// keeps no offsets, so the SAX events that build it are watched on the way through. A pre-order
// walk of the DOM visits objects in the same order, which is how a Value finds its ordinal.
struct KeyOffsets {
  std::vector<std::size_t> object_start;
  std::vector<std::map<std::string, std::size_t>> keys;
};

// A string input stream RapidJSON does not copy: Reader works on a local copy of streams whose
// traits allow it (StringStream does), and then Tell() on the caller's stream would stand still.
struct TrackedStream {
  using Ch = char;
  const char* head;
  const char* src;
  [[nodiscard]] Ch Peek() const { return *src; }
  Ch Take() { return *src++; }
  [[nodiscard]] std::size_t Tell() const { return static_cast<std::size_t>(src - head); }
  Ch* PutBegin() { return nullptr; }
  void Put(Ch) {}
  void Flush() {}
  std::size_t PutEnd(Ch*) { return 0; }
};

template <typename Stream>
class RecordingHandler {
 public:
  RecordingHandler(rapidjson::Document& target, Stream& stream, KeyOffsets& offsets)
      : target_(target), stream_(stream), offsets_(offsets) {}
  bool Null() { return target_.Null(); }
  bool Bool(bool b) { return target_.Bool(b); }
  bool Int(int i) { return target_.Int(i); }
  bool Uint(unsigned i) { return target_.Uint(i); }
  bool Int64(std::int64_t i) { return target_.Int64(i); }
  bool Uint64(std::uint64_t i) { return target_.Uint64(i); }
  bool Double(double d) { return target_.Double(d); }
  bool RawNumber(const char* s, rapidjson::SizeType n, bool copy) { return target_.RawNumber(s, n, copy); }
  bool String(const char* s, rapidjson::SizeType n, bool copy) { return target_.String(s, n, copy); }
  bool StartObject() {
    open_.push_back(offsets_.keys.size());
    offsets_.object_start.push_back(stream_.Tell());
    offsets_.keys.emplace_back();
    return target_.StartObject();
  }
  bool Key(const char* s, rapidjson::SizeType n, bool copy) {
    offsets_.keys[open_.back()].emplace(std::string(s, n), stream_.Tell());
    return target_.Key(s, n, copy);
  }
  bool EndObject(rapidjson::SizeType n) {
    open_.pop_back();
    return target_.EndObject(n);
  }
  bool StartArray() { return target_.StartArray(); }
  bool EndArray(rapidjson::SizeType n) { return target_.EndArray(n); }

 private:
  rapidjson::Document& target_;
  Stream& stream_;
  KeyOffsets& offsets_;
  std::vector<std::size_t> open_;
};

class Parser {
 public:
  Parser(std::string path, std::string text, const std::function<const char*(const char*)>& getenv_fn)
      : path_(std::move(path)), text_(std::move(text)), getenv_(getenv_fn) {}

  EndpointsFile parse() {
    TrackedStream stream{text_.c_str(), text_.c_str()};
    rapidjson::Reader reader;
    rapidjson::ParseResult result;
    auto generator = [&](rapidjson::Document& document) {
      RecordingHandler<TrackedStream> handler(document, stream, offsets_);
      result = reader.Parse<kJsonParseFlags>(stream, handler);  // strings must be UTF-8
      return static_cast<bool>(result);
    };
    // Document::Populate hands the generator its own SAX handler (a Document& here).
    struct Generator {
      decltype(generator)& fn;
      bool operator()(rapidjson::Document& d) { return fn(d); }
    } gen{generator};
    document_.Populate(gen);
    if (result.IsError()) {
      throw InputError(path_, position_of(text_, result.Offset()).line,
                       fmt::format("invalid JSON: {}", rapidjson::GetParseError_En(result.Code())));
    }
    // A DOM keeps both members of a repeated key and FindMember sees the first: say so instead.
    if (const std::optional<DuplicateKey> duplicate = find_duplicate_key(text_)) {
      throw InputError(path_, position_of(text_, duplicate->offset).line, duplicate_key_message(*duplicate));
    }
    if (!document_.IsObject()) throw InputError(path_, 1, "expected a JSON object");
    std::size_t ordinal = 0;
    const std::size_t root = ordinal++;
    check_keys(document_, root, "", {"candidates", "reward_models"});
    EndpointsFile file;
    for (const char* section : {"candidates", "reward_models"}) {
      auto it = document_.FindMember(section);
      if (it == document_.MemberEnd()) continue;
      const std::size_t line = key_line(root, section);
      if (!it->value.IsArray()) throw InputError(path_, line, std::string(section) + ": expected an array");
      std::set<std::string> names;
      for (rapidjson::SizeType i = 0; i < it->value.Size(); ++i) {
        const Value& entry = it->value[i];
        const std::string where = fmt::format("{}[{}]", section, i);
        if (!entry.IsObject()) throw InputError(path_, line, where + ": expected an object");
        const std::size_t object = ordinal;
        ordinal += count_objects(entry);
        if (section[0] == 'c') {
          file.candidates.push_back(candidate(entry, object, where));
          check_unique(names, file.candidates.back().name, object, where);
        } else {
          file.reward_models.push_back(reward(entry, object, where));
          check_unique(names, file.reward_models.back().name, object, where);
        }
      }
    }
    if (file.candidates.empty() && file.reward_models.empty()) {
      throw InputError(path_, 1, "no \"candidates\" and no \"reward_models\": nothing to call");
    }
    return file;
  }

 private:
  static std::size_t count_objects(const Value& v) {
    std::size_t n = 0;
    if (v.IsObject()) {
      ++n;
      for (const auto& m : v.GetObject()) n += count_objects(m.value);
    } else if (v.IsArray()) {
      for (const auto& e : v.GetArray()) n += count_objects(e);
    }
    return n;
  }

  std::size_t key_line(std::size_t object, const std::string& key) const {
    const auto& keys = offsets_.keys[object];
    auto it = keys.find(key);
    const std::size_t offset = it == keys.end() ? offsets_.object_start[object] : it->second;
    // Tell() after a key is just past its closing quote; step back onto the key.
    return position_of(text_, offset == 0 ? 0 : offset - 1).line;
  }

  [[noreturn]] void fail(std::size_t object, const std::string& key, const std::string& message) const {
    throw InputError(path_, key_line(object, key), message);
  }

  void check_keys(const Value& v, std::size_t object, const std::string& where,
                  std::initializer_list<const char*> allowed) const {
    for (const auto& m : v.GetObject()) {
      const std::string key(m.name.GetString(), m.name.GetStringLength());
      bool known = false;
      std::string list;
      for (const char* a : allowed) {
        known = known || key == a;
        list += (list.empty() ? "" : ", ") + std::string(a);
      }
      if (!known) {
        fail(object, key, fmt::format("{}unknown field \"{}\" (known: {})",
                                      where.empty() ? "" : where + ": ", key, list));
      }
    }
  }

  void check_unique(std::set<std::string>& names, const std::string& name, std::size_t object,
                    const std::string& where) const {
    if (!names.insert(name).second) fail(object, "name", fmt::format("{}: duplicate name \"{}\"", where, name));
  }

  // Typed field readers: `where` is "candidates[2]", messages read "candidates[2].field: ...".
  struct Object {
    const Parser& parser;
    const Value& value;
    std::size_t ordinal;
    std::string where;

    const Value* find(const char* key) const {
      auto it = value.FindMember(key);
      return it == value.MemberEnd() ? nullptr : &it->value;
    }
    [[noreturn]] void fail(const char* key, const std::string& message) const {
      parser.fail(ordinal, key, fmt::format("{}.{}: {}", where, key, message));
    }
    std::string text(const char* key, bool required, std::string fallback = "") const {
      const Value* v = find(key);
      if (v == nullptr) {
        if (required) parser.fail(ordinal, key, fmt::format("{}: missing \"{}\"", where, key));
        return fallback;
      }
      if (!v->IsString() || v->GetStringLength() == 0) fail(key, "expected a non-empty string");
      return {v->GetString(), v->GetStringLength()};
    }
    double number(const char* key, double fallback, bool positive) const {
      const Value* v = find(key);
      if (v == nullptr) return fallback;
      if (!v->IsNumber() || !std::isfinite(v->GetDouble())) fail(key, "expected a number");
      const double x = v->GetDouble();
      if (positive && !(x > 0)) fail(key, "must be greater than 0");
      if (!positive && x < 0) fail(key, "must not be negative");
      return x;
    }
    std::int64_t integer(const char* key, std::int64_t fallback, std::int64_t min, std::int64_t max) const {
      const Value* v = find(key);
      if (v == nullptr) return fallback;
      if (!v->IsInt64() || v->GetInt64() < min || v->GetInt64() > max) {
        fail(key, fmt::format("expected an integer in {}..{}", min, max));
      }
      return v->GetInt64();
    }
    std::string api_key() const {
      const std::string var = text("api_key_env", false);
      if (var.empty()) return {};
      const char* value = parser.getenv_(var.c_str());
      if (value == nullptr) fail("api_key_env", fmt::format("environment variable {} is not set", var));
      if (*value == '\0') fail("api_key_env", fmt::format("environment variable {} is empty", var));
      return value;
    }
    // The ca_file, resolved against the endpoints file's directory and checked now, so that a
    // typo fails at load time rather than at the first https call.
    std::string ca_file(const Url& url) const {
      const std::string given = text("ca_file", false);
      if (given.empty()) return {};
      if (url.scheme != "https") fail("ca_file", "only https base URLs use a CA file");
      std::filesystem::path resolved(given);
      if (resolved.is_relative()) resolved = std::filesystem::path(parser.path_).parent_path() / resolved;
      const std::string path = resolved.lexically_normal().string();
      if (const std::optional<std::string> problem = input_file_problem(path)) {
        fail("ca_file", fmt::format("\"{}\" {}", path, *problem));
      }
      const std::string pem = read_input_file(path);
      if (pem.find("-----BEGIN CERTIFICATE-----") == std::string::npos) {
        fail("ca_file", fmt::format("\"{}\" holds no PEM certificate", path));
      }
      return path;
    }
    Url url() const {
      const std::string text_value = text("base_url", true);
      try {
        return parse_url(text_value);
      } catch (const InputError& e) {
        fail("base_url", e.message());
      }
    }
  };

  CandidateEndpoint candidate(const Value& v, std::size_t ordinal, const std::string& where) const {
    check_keys(v, ordinal, where,
               {"name", "base_url", "model", "api_key_env", "ca_file", "max_concurrency",
                "price_per_million_input", "price_per_million_output", "parameters",
                "timeout_seconds", "max_retries"});
    const Object o{*this, v, ordinal, where};
    CandidateEndpoint c;
    c.name = o.text("name", true);
    c.base_url = o.url();
    c.model = o.text("model", false, c.name);
    c.api_key = o.api_key();
    c.ca_file = o.ca_file(c.base_url);
    c.max_concurrency = static_cast<std::size_t>(o.integer("max_concurrency", 4, 1, 1024));
    c.max_concurrency_given = o.find("max_concurrency") != nullptr;
    c.price_per_million_input = o.number("price_per_million_input", 0.0, false);
    c.price_per_million_output = o.number("price_per_million_output", 0.0, false);
    c.price_per_input_token = c.price_per_million_input / 1e6;
    c.price_per_output_token = c.price_per_million_output / 1e6;
    if (o.find("parameters") != nullptr) c.parameters = o.number("parameters", 0.0, true);
    c.timeout_seconds = o.number("timeout_seconds", 120.0, true);
    c.max_retries = static_cast<int>(o.integer("max_retries", 5, 0, 100));
    return c;
  }

  RewardEndpoint reward(const Value& v, std::size_t ordinal, const std::string& where) const {
    check_keys(v, ordinal, where,
               {"name", "base_url", "model", "api_key_env", "ca_file", "shape", "label_index",
                "max_concurrency", "timeout_seconds", "max_retries"});
    const Object o{*this, v, ordinal, where};
    RewardEndpoint r;
    r.name = o.text("name", true);
    r.base_url = o.url();
    r.model = o.text("model", false, r.name);
    r.api_key = o.api_key();
    r.ca_file = o.ca_file(r.base_url);
    r.shape = o.text("shape", true);
    bool known = false;
    std::string list;
    for (const char* s : kRewardShapes) {
      known = known || r.shape == s;
      list += (list.empty() ? "" : ", ") + std::string(s);
    }
    if (!known) o.fail("shape", fmt::format("unknown shape \"{}\" (known: {})", r.shape, list));
    // Only vllm-classify answers with a list of per-label values; elsewhere the field would be
    // silently ignored, which hides a wrong shape or a field meant for another entry.
    if (const Value* index = o.find("label_index"); index != nullptr) {
      if (r.shape != "vllm-classify") {
        o.fail("label_index", fmt::format("only the vllm-classify shape uses it (shape is \"{}\")", r.shape));
      }
      if (!index->IsUint64()) o.fail("label_index", "expected a non-negative integer");
      r.label_index = static_cast<std::size_t>(index->GetUint64());
    }
    r.max_concurrency = static_cast<std::size_t>(o.integer("max_concurrency", 4, 1, 1024));
    r.timeout_seconds = o.number("timeout_seconds", 120.0, true);
    r.max_retries = static_cast<int>(o.integer("max_retries", 5, 0, 100));
    return r;
  }

  std::string path_;
  std::string text_;
  const std::function<const char*(const char*)>& getenv_;
  rapidjson::Document document_;
  KeyOffsets offsets_;
};

}  // namespace

EndpointsFile load_endpoints_file(const std::string& path,
                                  const std::function<const char*(const char*)>& getenv_fn) {
  std::string text = read_input_file(path, "(expected the endpoints file)");
  return Parser(path, std::move(text), getenv_fn).parse();
}

}  // namespace zooter::live
