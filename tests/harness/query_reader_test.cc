// read_queries (through load_bundle): the corners where a SAX reader could part from the DOM
// reader it replaced, with the DOM's answers. Values nested in "tags" or "meta", a "-0" count
// (RapidJSON's DOM files it as the unsigned 0), escapes, and roots that are not objects.
// The common bad lines are in bundle_loader_test.cc.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "harness/bundle.h"
#include "harness/bundle_loader.h"
#include "harness/error.h"
#include "tests/helpers.h"

namespace zooter {
namespace {

constexpr std::size_t kH1 = 2;  // queries.jsonl line 3 of examples/tiny

class QueryReaderTest : public ::testing::Test {
 protected:
  // Loads examples/tiny with line 3 (query h1) replaced.
  Bundle load_with_line3(const std::string& line) {
    test::replace_line(queries_, 3, line);
    return load_bundle(dir_);
  }
  // The problems (without excerpts) of loading with line 3 replaced; "" when it loads.
  std::string problems_with_line3(const std::string& line) {
    try {
      (void)load_with_line3(line);
    } catch (const InputError& e) {
      std::string out;
      for (const std::string& part : test::split_lines(e.what())) {
        if (part.rfind("  | ", 0) == 0) continue;
        if (!out.empty()) out += '\n';
        out += part.substr(queries_.size() + 1);  // after "path:"
      }
      return out;
    }
    return "";
  }
  std::vector<std::string> tag_names_of(const Bundle& b, std::size_t q) {
    std::vector<std::string> names;
    for (std::uint32_t t : b.queries.tags(q)) names.push_back(b.tag_names[t]);
    return names;
  }

  test::TempDir tmp_;
  const std::string dir_ = test::copy_tiny_bundle(tmp_);
  const std::string queries_ = dir_ + "/queries.jsonl";
};

struct Case {
  const char* name;
  const char* line;
  const char* problems;  // "3: message", one a line
};

const Case kBadLines[] = {
    {"TagsNested", R"({"id": "h1", "subset": "chat/helpful", "split": "test", "tags": [["cooking"]], "input_tokens": 10})",
     "3: tags: expected non-empty strings"},
    {"TagsMixed", R"({"id": "h1", "subset": "chat/helpful", "split": "test", "tags": ["cooking", 1], "input_tokens": 10})",
     "3: tags: expected non-empty strings"},
    {"TagsObject", R"({"id": "h1", "subset": "chat/helpful", "split": "test", "tags": {"a": "b"}, "input_tokens": 10})",
     "3: tags: expected an array of strings"},
    {"TagsNull", R"({"id": "h1", "subset": "chat/helpful", "split": "test", "tags": null, "input_tokens": 10})",
     "3: tags: expected an array of strings"},
    {"TagsRepeated", R"({"id": "h1", "subset": "chat/helpful", "split": "test", "tags": ["a"], "tags": ["b"], "input_tokens": 10})",
     R"(3: field "tags" appears twice)"},
    // The root is not an object, but the line is not JSON either: the parse error wins.
    {"RootArrayInvalid", "[1, x", "3: column 5: invalid JSON: Invalid value."},
    {"RootString", R"("h1")", "3: expected a JSON object"},
    {"RootNumber", "5", "3: expected a JSON object"},
    {"IdNumber", R"({"id": 5, "subset": "chat/helpful", "split": "test", "input_tokens": 10})",
     "3: id: expected a non-empty string"},
    {"SubsetArray", R"({"id": "h1", "subset": ["chat/helpful"], "split": "test", "input_tokens": 10})",
     "3: subset: expected a string"},
    {"TextObject", R"({"id": "h1", "subset": "chat/helpful", "split": "test", "text": {}, "input_tokens": 10})",
     "3: text: expected a string"},
    {"InputTokensExponent", R"({"id": "h1", "subset": "chat/helpful", "split": "test", "input_tokens": 1e2})",
     "3: input_tokens: expected a non-negative integer"},
    {"InputTokensMax64Bits", R"({"id": "h1", "subset": "chat/helpful", "split": "test", "input_tokens": 18446744073709551615})",
     "3: input_tokens: expected a non-negative integer"},
    {"InputTokensPast64Bits", R"({"id": "h1", "subset": "chat/helpful", "split": "test", "input_tokens": 18446744073709551616})",
     "3: input_tokens: expected a non-negative integer"},
    // Member problems first, in member order, then the missing fields.
    {"UnknownThenMissing", R"({"id": "h1", "lang": "en", "split": "test", "input_tokens": 10})",
     "3: unknown field \"lang\" (known: id, subset, split, text, tags, input_tokens, meta)\n"
     "3: missing field \"subset\""},
};

class QueryReaderBadLineTest : public QueryReaderTest, public ::testing::WithParamInterface<Case> {};

TEST_P(QueryReaderBadLineTest, SameProblemsAsTheDomReader) {
  EXPECT_EQ(problems_with_line3(GetParam().line), GetParam().problems);
}

INSTANTIATE_TEST_SUITE_P(QueryReader, QueryReaderBadLineTest, ::testing::ValuesIn(kBadLines),
                         [](const ::testing::TestParamInfo<Case>& info) {
                           return std::string(info.param.name);
                         });

TEST_F(QueryReaderTest, MinusZeroIsACount) {
  const Bundle b = load_with_line3(
      R"({"id": "h1", "subset": "chat/helpful", "split": "test", "input_tokens": -0})");
  EXPECT_EQ(b.queries.input_tokens[kH1], 0u);
}

// Strings inside "meta" are not tags, before or after the tags array.
TEST_F(QueryReaderTest, MetaNextToTagsIsIgnored) {
  for (const char* line :
       {R"({"id": "h1", "subset": "chat/helpful", "split": "test", "tags": ["poetry"], )"
        R"("meta": {"x": ["naming"], "y": "z"}, "input_tokens": 10})",
        R"({"id": "h1", "meta": [["naming"], "algebra"], "subset": "chat/helpful", "split": "test", )"
        R"("tags": ["poetry"], "input_tokens": 10})"}) {
    SCOPED_TRACE(line);
    const Bundle b = load_with_line3(line);
    EXPECT_EQ(tag_names_of(b, kH1), std::vector<std::string>{"poetry"});
  }
}

TEST_F(QueryReaderTest, MetaMayRepeat) {
  const Bundle b = load_with_line3(
      R"({"id": "h1", "meta": 1, "subset": "chat/helpful", "meta": 2, "split": "test", "input_tokens": 10})");
  EXPECT_EQ(b.queries.id[kH1], "h1");
}

// Escapes are decoded before ids are compared: responses name this query "h1".
TEST_F(QueryReaderTest, EscapedIdIsDecoded) {
  const Bundle b = load_with_line3(
      R"({"id": "h\u0031", "subset": "chat/helpful", "split": "test", "text": "a\tb", "input_tokens": 10})");
  EXPECT_EQ(b.queries.id[kH1], "h1");
  EXPECT_EQ(b.queries.text[kH1], "a\tb");
}

}  // namespace
}  // namespace zooter
