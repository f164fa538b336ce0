// load_bundle on several threads (harness/jsonl_batches.h): the loaded bundle and every error
// message are the same for 1, 2 and 4 threads, and for any cut of the files into batches and
// blocks, with bad lines in different blocks and on the lines either side of a block border.
// The messages themselves are checked one class at a time in bundle_loader_test.cc.
#include <gtest/gtest.h>

#include <cstring>
#include <string>
#include <vector>

#include "harness/bundle.h"
#include "harness/bundle_loader.h"
#include "harness/bundle_writer.h"
#include "harness/error.h"
#include "harness/run_context.h"
#include "suites/random_suite.h"
#include "tests/helpers.h"

namespace zooter {
namespace {

// How a file can be cut: the defaults (one block per file here), and small cuts whose borders
// fall on the lines the tests make bad.
struct Cut {
  std::size_t lines_per_batch;
  std::size_t lines_per_block;
};
const Cut kCuts[] = {
    {LoadOptions{}.lines_per_batch, LoadOptions{}.lines_per_block}, {7, 3}, {4, 4}, {1, 1}, {10, 5}};
const int kThreads[] = {1, 2, 4};

// Every column of a bundle, doubles by their bits (NaN included), as one string.
std::string fingerprint(const Bundle& b) {
  std::string out = b.content_hash + '\n';
  auto strings = [&](const std::vector<std::string>& v) {
    for (const std::string& s : v) out += s + '\x1f';
    out += '\n';
  };
  auto numbers = [&]<typename T>(const std::vector<T>& v) {
    out.append(reinterpret_cast<const char*>(v.data()), v.size() * sizeof(T));
    out += '\n';
  };
  strings(b.queries.id);
  strings(b.queries.text);
  numbers(b.queries.subset);
  numbers(b.queries.split);
  numbers(b.queries.input_tokens);
  numbers(b.queries.tag_ids);
  numbers(b.queries.tag_offset);
  strings(b.tag_names);
  numbers(b.responses.gold);
  numbers(b.responses.output_tokens);
  numbers(b.responses.dollars);
  for (const std::vector<double>& r : b.responses.rewards) numbers(r);
  strings(b.responses.text);
  return out;
}

std::string error_of(const std::string& dir, const LoadOptions& options, int threads) {
  try {
    (void)load_bundle(dir, options, RunContext(threads));
  } catch (const InputError& e) {
    return e.what();
  }
  return "(loaded)";
}

TEST(ParallelLoading, SameBundleForAnyThreadsAndCut) {
  const test::TempDir tmp;
  const std::string dir = (tmp.path() / "random").string();
  write_bundle(suites::make_random_bundle({.queries = 300, .models = 3}, RunContext(1)), dir);
  LoadOptions options;
  options.with_text = true;
  const std::string expected = fingerprint(load_bundle(dir, options));
  for (const Cut& cut : kCuts) {
    for (int threads : kThreads) {
      SCOPED_TRACE(testing::Message() << "batch " << cut.lines_per_batch << ", block "
                                      << cut.lines_per_block << ", threads " << threads);
      options.lines_per_batch = cut.lines_per_batch;
      options.lines_per_block = cut.lines_per_block;
      EXPECT_EQ(fingerprint(load_bundle(dir, options, RunContext(threads))), expected);
    }
  }
}

// Bad lines at a file's start, on both sides of the borders of the 3-line and 4-line blocks,
// and a duplicate whose first copy lies in an earlier batch: the same messages, in the same
// order, for every cut and thread count; and the same first problems when only some are shown.
TEST(ParallelLoading, SameProblemsForAnyThreadsAndCut) {
  const test::TempDir tmp;
  const std::string dir = test::copy_tiny_bundle(tmp);
  const std::string responses = dir + "/responses.jsonl";
  const std::vector<std::string> lines = test::split_lines(test::read_file(responses));
  test::replace_line(responses, 1, "{");
  test::replace_line(responses, 3, "[1]");
  test::replace_line(responses, 4, " ");
  test::replace_line(responses, 8, std::string("{\"query\": \"t1\"\0}", 16));
  test::replace_line(responses, 9, std::string(400, 'x'));
  test::replace_line(responses, 13, lines[11]);  // a duplicate of line 12
  test::replace_line(responses, 20, lines[1]);   // a duplicate of line 2, batches away
  test::replace_line(responses, 27, R"({"query": "nope", "model": "alpha", "gold": 1, "output_tokens": 1, "rewards": {"judge-rm": 1}})");
  LoadOptions options;
  options.max_line_bytes = 300;
  const std::string expected = error_of(dir, options, 1);
  ASSERT_NE(expected.find(":1: column 2: invalid JSON"), std::string::npos) << expected;
  ASSERT_NE(expected.find(":9: line longer than 300 bytes; not parsed"), std::string::npos) << expected;
  ASSERT_NE(expected.find(":13: duplicate response for query"), std::string::npos) << expected;
  ASSERT_NE(expected.find("(first at line 2)"), std::string::npos) << expected;
  ASSERT_NE(expected.find(":27: unknown query \"nope\""), std::string::npos) << expected;
  LoadOptions capped = options;
  capped.max_problems_per_file = 3;
  const std::string expected_capped = error_of(dir, capped, 1);
  ASSERT_NE(expected_capped.find("more problem(s) not shown"), std::string::npos) << expected_capped;
  for (const Cut& cut : kCuts) {
    for (int threads : kThreads) {
      SCOPED_TRACE(testing::Message() << "batch " << cut.lines_per_batch << ", block "
                                      << cut.lines_per_block << ", threads " << threads);
      options.lines_per_batch = capped.lines_per_batch = cut.lines_per_batch;
      options.lines_per_block = capped.lines_per_block = cut.lines_per_block;
      EXPECT_EQ(error_of(dir, options, threads), expected);
      EXPECT_EQ(error_of(dir, capped, threads), expected_capped);
    }
  }
}

// queries.jsonl: a byte-order mark on line 1, a duplicate id across a block border.
TEST(ParallelLoading, SameQueryProblemsForAnyThreadsAndCut) {
  const test::TempDir tmp;
  const std::string dir = test::copy_tiny_bundle(tmp);
  const std::string queries = dir + "/queries.jsonl";
  const std::vector<std::string> lines = test::split_lines(test::read_file(queries));
  test::replace_line(queries, 1, "\xEF\xBB\xBF" + lines[0]);
  test::replace_line(queries, 5, lines[3]);  // a duplicate of line 4
  test::replace_line(queries, 9, R"({"id": "m3", "subset": "nope", "split": "test", "input_tokens": 1})");
  const std::string expected = error_of(dir, {}, 1);
  ASSERT_NE(expected.find(":1: starts with a UTF-8 byte-order mark"), std::string::npos) << expected;
  ASSERT_NE(expected.find(":5: duplicate query id"), std::string::npos) << expected;
  ASSERT_NE(expected.find(":9: unknown subset \"nope\""), std::string::npos) << expected;
  LoadOptions options;
  for (const Cut& cut : kCuts) {
    for (int threads : kThreads) {
      SCOPED_TRACE(testing::Message() << "batch " << cut.lines_per_batch << ", block "
                                      << cut.lines_per_block << ", threads " << threads);
      options.lines_per_batch = cut.lines_per_batch;
      options.lines_per_block = cut.lines_per_block;
      EXPECT_EQ(error_of(dir, options, threads), expected);
    }
  }
}

}  // namespace
}  // namespace zooter
