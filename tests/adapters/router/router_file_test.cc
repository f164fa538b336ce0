#include "adapters/router/router_file.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <utility>

#include "harness/error.h"
#include "harness/run_context.h"
#include "tests/adapters/router/topic_bundle.h"

namespace zooter::adapters::router {
namespace {

RouterOptions small_options(std::uint32_t hidden = 0) {
  RouterOptions o;
  o.reward = "qwen-rm";
  o.featuriser.dimension = 1u << 10;
  o.hidden = hidden;
  o.trainer.epochs = 2;
  o.trainer.seed = 5;
  return o;
}

Router small_router(const Bundle& b, const RunContext& run, std::uint32_t hidden = 0) {
  const std::vector<std::uint32_t> train = testing::split_queries(b, 0);
  return train_router({b, train, true, "split train (120 queries)"}, small_options(hidden), run);
}

std::string message_of(std::string_view bytes) {
  try {
    (void)parse_router(bytes, "r.router");
  } catch (const InputError& e) {
    return e.what();
  }
  return "no error";
}

// The bytes with line 2 (the JSON) passed through `edit`.
std::string edit_json(const std::string& bytes, const std::function<void(std::string&)>& edit) {
  const std::size_t a = bytes.find('\n') + 1, b = bytes.find('\n', a);
  std::string json = bytes.substr(a, b - a);
  edit(json);
  return bytes.substr(0, a) + json + bytes.substr(b);
}

void replace(std::string& s, const std::string& from, const std::string& to) {
  const std::size_t at = s.find(from);
  ASSERT_NE(at, std::string::npos) << from;
  s.replace(at, from.size(), to);
}

TEST(RouterFile, RoundTrip) {
  const Bundle b = testing::make_topic_bundle();
  for (std::uint32_t hidden : {0u, 4u}) {
    SCOPED_TRACE("hidden " + std::to_string(hidden));
    const Router r = small_router(b, RunContext(2), hidden);
    const std::string bytes = router_bytes(r);
    EXPECT_TRUE(bytes.starts_with("zooter-router 2\n{\"format\":\"zooter-router\",\"version\":2,"));
    const Router back = parse_router(bytes, "r.router");
    EXPECT_TRUE(router_bytes(back) == bytes);  // (EXPECT_EQ would print kilobytes of weights)
    EXPECT_EQ(back.candidates(), (std::vector<std::string>{"alpha", "beta", "gamma"}));
    EXPECT_EQ(back.featuriser().config(), r.featuriser().config());
    EXPECT_EQ(back.model().shape(), r.model().shape());
    EXPECT_TRUE(std::equal(back.model().parameters().begin(), back.model().parameters().end(),
                           r.model().parameters().begin()));
    EXPECT_EQ(back.info().reward, "qwen-rm");
    EXPECT_EQ(back.info().options.labels.beta, 0.3);
    EXPECT_EQ(back.info().options.trainer.seed, 5u);
    EXPECT_EQ(back.info().trained_on, "split train (120 queries)");
    EXPECT_EQ(back.info().summary.epochs_run, r.info().summary.epochs_run);
    EXPECT_EQ(back.route("solve this integral please"), r.route("solve this integral please"));
  }
}

// A router trained with the default normalisation records the one its reward's kind resolved
// to (query-z for gold, none for a reward model), so loading it needs no rule.
TEST(RouterFile, RecordsTheResolvedNormalisation) {
  const Bundle b = testing::make_topic_bundle();
  const std::vector<std::uint32_t> train = testing::split_queries(b, 0);
  for (const auto& [reward, expected] : {std::pair{"gold", Normalisation::kQueryZ},
                                         std::pair{"qwen-rm", Normalisation::kNone}}) {
    SCOPED_TRACE(reward);
    RouterOptions o = small_options();
    o.reward = reward;
    const Router r = train_router({b, train, true, "split train (120 queries)"}, o, RunContext(1));
    ASSERT_TRUE(r.info().options.labels.normalisation.has_value());
    EXPECT_EQ(*r.info().options.labels.normalisation, expected);
    const std::string bytes = router_bytes(r);
    EXPECT_NE(bytes.find("\"normalise\":\"" + normalisation_name(expected) + "\""), std::string::npos);
    const Router back = parse_router(bytes, "r.router");
    EXPECT_EQ(back.info().options.labels.normalisation, expected);
    EXPECT_TRUE(router_bytes(back) == bytes);
  }
}

TEST(RouterFile, SaveAndLoadThroughDisk) {
  const Bundle b = testing::make_topic_bundle();
  const Router r = small_router(b, RunContext(1));
  const std::string path =
      (std::filesystem::temp_directory_path() / "zooter_router_file_test.router").string();
  save_router(r, path);
  const Router back = load_router(path);
  EXPECT_TRUE(router_bytes(back) == router_bytes(r));
  std::remove(path.c_str());
  try {
    (void)load_router(path);
    FAIL();
  } catch (const InputError& e) {
    EXPECT_EQ(std::string(e.what()), path + ": does not exist (expected a router file)");
  }
}

TEST(RouterFile, SameBytesForAnyThreadCount) {
  const Bundle b = testing::make_topic_bundle();
  EXPECT_TRUE(router_bytes(small_router(b, RunContext(1), 4)) ==
              router_bytes(small_router(b, RunContext(4), 4)));
}

TEST(RouterFile, BadHeader) {
  EXPECT_EQ(message_of("hello\n"),
            "r.router:1: not a zooter router file (expected \"zooter-router 2\")");
  EXPECT_EQ(message_of(""), "r.router:1: not a zooter router file (expected \"zooter-router 2\")");
  EXPECT_EQ(message_of("zooter-router 3\n{}\n"),
            "r.router:1: unsupported router file version \"3\" (this build reads versions 1 to 2)");
}

// Version 1 weighted the query's own labels by beta; version 2 weights the tag labels. A
// version 1 file routes as it did and reads with beta restated (0.3 -> 0.7); saved again, it is
// a version 2 file. Line 1 and the JSON must agree on the version.
TEST(RouterFile, ReadsVersionOneWithBetaRestated) {
  const Bundle b = testing::make_topic_bundle();
  const std::string bytes = router_bytes(small_router(b, RunContext(1)));
  std::string old = edit_json(bytes, [](std::string& j) { replace(j, "\"version\":2", "\"version\":1"); });
  replace(old, "zooter-router 2\n", "zooter-router 1\n");
  const Router back = parse_router(old, "r.router");
  EXPECT_DOUBLE_EQ(back.info().options.labels.beta, 0.7);
  EXPECT_TRUE(std::equal(back.model().parameters().begin(), back.model().parameters().end(),
                         parse_router(bytes, "r.router").model().parameters().begin()));
  EXPECT_TRUE(router_bytes(back).starts_with("zooter-router 2\n"));
  std::string mixed = bytes;
  replace(mixed, "zooter-router 2\n", "zooter-router 1\n");
  EXPECT_EQ(message_of(mixed), "r.router:2: field \"version\": expected 1, as on line 1");
}

TEST(RouterFile, BadMetadata) {
  const Bundle b = testing::make_topic_bundle();
  const std::string bytes = router_bytes(small_router(b, RunContext(1)));
  EXPECT_EQ(message_of("zooter-router 1\n{\"format\": }\n"),
            "r.router:2: invalid JSON at column 12: Invalid value.");
  EXPECT_EQ(message_of("zooter-router 1\n{}"), "r.router:2: the metadata line is not ended");
  EXPECT_EQ(message_of(edit_json(bytes, [](std::string& j) { replace(j, "\"outputs\":3,", ""); })),
            "r.router:2: field \"model.outputs\": missing");
  EXPECT_EQ(
      message_of(edit_json(bytes,
                           [](std::string& j) {
                             replace(j, "\"hash\":\"chunk64-mix64-mulshift\"", "\"hash\":\"std\"");
                           })),
      "r.router:2: field \"featuriser.hash\": unknown hash (this build: chunk64-mix64-mulshift)");
  // A router of an older zooter, whose features went to other buckets.
  EXPECT_EQ(message_of(edit_json(bytes,
                                 [](std::string& j) {
                                   replace(j, "\"hash\":\"chunk64-mix64-mulshift\"",
                                           "\"hash\":\"fnv1a64-mix64-mulshift\"");
                                 })),
            "r.router:2: field \"featuriser.hash\": fnv1a64-mix64-mulshift is the feature hash of an older "
            "zooter; this build hashes with chunk64-mix64-mulshift: retrain the router (zooter train)");
  EXPECT_EQ(message_of(edit_json(
                bytes, [](std::string& j) { replace(j, "\"beta\":0.3", "\"beta\":1.5"); })),
            "r.router:2: zooter router: beta must be in [0, 1], got 1.5");
  EXPECT_EQ(message_of(edit_json(bytes,
                                 [](std::string& j) {
                                   replace(j, "\"candidates\":[\"alpha\",\"beta\",\"gamma\"]",
                                           "\"candidates\":[\"alpha\",\"beta\"]");
                                 })),
            "r.router:2: router: the model has 3 outputs but 2 candidates");
  EXPECT_EQ(
      message_of(edit_json(bytes, [](std::string& j) { replace(j, "\"gamma\"]", "\"alpha\"]"); })),
      "r.router:2: field \"candidates\": \"alpha\" listed twice");
}

TEST(RouterFile, BadWeights) {
  const Bundle b = testing::make_topic_bundle();
  const std::string bytes = router_bytes(small_router(b, RunContext(1)));
  const std::size_t weights = (1u << 10) * 3 + 3;
  EXPECT_EQ(message_of(bytes.substr(0, bytes.size() - 3)),
            "r.router: expected " + std::to_string(weights * 4) +
                " bytes of weights after line 2, "
                "found " +
                std::to_string(weights * 4 - 3) + " (truncated or appended to?)");
  std::string flipped = bytes;
  flipped[flipped.size() - 2] ^= 0x40;
  EXPECT_EQ(message_of(flipped),
            "r.router: the weights do not match their checksum (the file is corrupt)");
  // A non-finite weight with a valid checksum.
  const Router r = small_router(b, RunContext(1));
  std::vector<float> p(r.model().parameters().begin(), r.model().parameters().end());
  p[7] = std::numeric_limits<float>::infinity();
  const Router broken(r.featuriser().config(), LinearModel(r.model().shape(), p), r.info());
  EXPECT_EQ(message_of(router_bytes(broken)), "r.router: weight 7 is not a finite number");
}

}  // namespace
}  // namespace zooter::adapters::router
