#include "harness/json_checks.h"

#include <rapidjson/memorystream.h>

#include <fmt/format.h>

#include <cstdint>
#include <cstring>
#include <string>
#include <unordered_set>
#include <vector>

namespace zooter {
namespace {

class DuplicateFinder : public rapidjson::BaseReaderHandler<rapidjson::UTF8<>, DuplicateFinder> {
 public:
  explicit DuplicateFinder(const rapidjson::MemoryStream& stream) : stream_(stream) {}

  bool StartObject() {
    if (depth_ == objects_.size()) objects_.emplace_back();
    objects_[depth_++].clear();
    return true;
  }
  bool EndObject(rapidjson::SizeType) {
    --depth_;
    return true;
  }
  bool Key(const char* s, rapidjson::SizeType length, bool) {
    if (objects_[depth_ - 1].emplace(s, length).second) return true;
    found_ = DuplicateKey{stream_.Tell(), std::string(s, length)};
    return false;  // stops the parse
  }
  bool Default() { return true; }

  [[nodiscard]] const std::optional<DuplicateKey>& found() const { return found_; }

 private:
  const rapidjson::MemoryStream& stream_;
  std::vector<std::unordered_set<std::string>> objects_;  // the keys of each open object
  std::size_t depth_ = 0;
  std::optional<DuplicateKey> found_;
};

}  // namespace

std::optional<DuplicateKey> find_duplicate_key(std::string_view json) {
  if (json.find('{') == std::string_view::npos) return std::nullopt;
  rapidjson::MemoryStream stream(json.data(), json.size());
  DuplicateFinder finder(stream);
  rapidjson::Reader reader;
  reader.Parse<rapidjson::kParseFullPrecisionFlag>(stream, finder);
  return finder.found();
}

std::string duplicate_key_message(const DuplicateKey& duplicate) {
  return fmt::format("key \"{}\" appears twice in one object (which value is meant?)", duplicate.key);
}

std::size_t invalid_utf8_at(std::string_view text) {
  const auto* s = reinterpret_cast<const unsigned char*>(text.data());
  const std::size_t n = text.size();
  std::size_t i = 0;
  while (i < n) {
    if (n - i >= 8) {  // eight ASCII bytes at a time
      std::uint64_t w;
      std::memcpy(&w, s + i, 8);
      if ((w & 0x8080808080808080ULL) == 0) {
        i += 8;
        continue;
      }
    }
    const unsigned char c = s[i];
    if (c < 0x80) {
      ++i;
      continue;
    }
    std::size_t length = 0;
    unsigned char low = 0x80, high = 0xBF;  // the range of the second byte
    if (c >= 0xC2 && c <= 0xDF) {
      length = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
      length = 3;
      if (c == 0xE0) low = 0xA0;   // overlong
      if (c == 0xED) high = 0x9F;  // surrogates
    } else if (c >= 0xF0 && c <= 0xF4) {
      length = 4;
      if (c == 0xF0) low = 0x90;   // overlong
      if (c == 0xF4) high = 0x8F;  // past U+10FFFF
    } else {
      return i;
    }
    if (i + length > n || s[i + 1] < low || s[i + 1] > high) return i;
    for (std::size_t k = 2; k < length; ++k) {
      if (s[i + k] < 0x80 || s[i + k] > 0xBF) return i;
    }
    i += length;
  }
  return std::string_view::npos;
}

}  // namespace zooter
