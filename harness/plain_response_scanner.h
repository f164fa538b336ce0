// A quick parser for the plain lines that make up almost every responses.jsonl, such as
//   {"query":"q7","model":"alpha","gold":0.5,"output_tokens":120,"rewards":{"judge-rm":1.25}}
//
// RapidJSON's SAX reader (ResponseLineParser) is general, but it converts every number itself,
// only for us to convert it again with std::from_chars (RapidJSON's quick conversion may be one
// ulp off), and it calls a handler per token: together most of a load's time. This scanner reads
// each byte once and knows the fields. It is a shortcut, not a second validator: it accepts only
// a subset of JSON for which ResponseLineParser surely gives the same values and no problem, and
// declines every other line, which the loader then parses with ResponseLineParser (every message
// comes from there). So it changes speed, never results;
// tests/harness/plain_response_scanner_test.cc checks that the two agree on every line the
// scanner accepts.
//
// The subset: one object, blanks being spaces and tabs; its keys are known fields other than
// "meta", each once; strings have no escapes and no control bytes and are well-formed UTF-8;
// numbers follow JSON's grammar in at most 64 characters, with no exponent or a negative one
// (RapidJSON refuses some positive exponents that from_chars takes, such as 0e400), and
// std::from_chars converts them whole to a finite double or, for output_tokens, to a 32-bit
// count; "rewards" is an object of such numbers keyed by reward models of the manifest, each
// once.
#pragma once

#include <string_view>

#include "harness/response_line.h"

namespace zooter {

// True when `text` is in the plain subset: `line` (reset() before) then holds what
// ResponseLineParser would give, with no problems. False otherwise, with `line` unspecified.
// Never writes to the text.
[[nodiscard]] bool scan_plain_response_line(std::string_view text, const Manifest& manifest,
                                            ResponseLine& line);

}  // namespace zooter
