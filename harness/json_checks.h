// What RapidJSON's parse does not check by itself, for every loader of user JSON.
//
// - UTF-8: strings are checked only with kParseValidateEncodingFlag, so every loader parses
//   with kJsonParseFlags (or adds the flag to its own). A bundle, a manifest or an imported
//   source whose strings are not UTF-8 would otherwise pass and come out in report.json as
//   bytes that are not JSON text.
// - Repeated keys: a DOM keeps both members and FindMember finds the first, so the other value
//   would be silently ignored. find_duplicate_key finds them.
#pragma once

#include <rapidjson/reader.h>

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace zooter {

inline constexpr unsigned kJsonParseFlags =
    rapidjson::kParseFullPrecisionFlag | rapidjson::kParseValidateEncodingFlag;

struct DuplicateKey {
  std::size_t offset = 0;  // in the text, just after the key's second appearance
  std::string key;
};

// The first key that appears twice in one object of `json`, in document order; nullopt when
// there is none or when `json` is not valid JSON (parse it first: this reports only repeats).
[[nodiscard]] std::optional<DuplicateKey> find_duplicate_key(std::string_view json);

// "key \"name\" appears twice in one object (which value is meant?)"
[[nodiscard]] std::string duplicate_key_message(const DuplicateKey& duplicate);

// The offset of the first byte of `text` that does not belong to a well-formed UTF-8 sequence
// (overlong forms, surrogates and code points past U+10FFFF included), or npos.
[[nodiscard]] std::size_t invalid_utf8_at(std::string_view text);

}  // namespace zooter
