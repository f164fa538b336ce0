// Decodes the Python literal pandas writes into a CSV cell when a column holds lists of
// strings, as RouterBench's `prompt` and `<model>|model_response` columns do:
// ['Write a python function ...', "it's"].
//
// It reads what Python's repr() of a list of str produces, plus the rest of the str-literal
// grammar that costs little: single or double quotes, the prefixes u and r, every escape of a
// str literal except \N{name}, adjacent literals joined ('a' 'b'), a trailing comma. It is not
// an evaluator: anything else (numbers, nested lists, triple quotes, bytes) is "not a list of
// strings", and the caller decides what to do with the raw text.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace zooter::suites {

// The items, decoded to UTF-8, when the whole of `text` (give or take surrounding whitespace)
// is a list of string literals; std::nullopt otherwise. Code points are written as UTF-8; a
// \uD800-\uDFFF surrogate pair is joined into one code point and a lone surrogate becomes
// U+FFFD, since UTF-8 cannot hold it (Python would keep it as is).
[[nodiscard]] std::optional<std::vector<std::string>> parse_python_string_list(
    std::string_view text);

}  // namespace zooter::suites
