// What every importer shares: the factory and catalog, --parameters parsing, the token
// estimate, the builder's --null-policy, the JSON-array reader's lines and errors, the derived
// length reward, and `zooter import` on the command line (in-process, through run_main).
#include "suites/importer.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <sstream>
#include <string>
#include <vector>

#include "harness/bundle.h"
#include "harness/bundle_loader.h"
#include "cli/command.h"
#include "harness/error.h"
#include "harness/problem_list.h"
#include "suites/importer_builder.h"
#include "suites/importer_support.h"
#include "suites/json_array.h"
#include "tests/helpers.h"
#include "tests/support/cli_run.h"

namespace zooter::suites {
namespace {

using ::testing::HasSubstr;

template <typename Error, typename F>
std::string error_of(F f) {
  try {
    f();
  } catch (const Error& e) {
    return e.what();
  }
  ADD_FAILURE() << "no exception";
  return "";
}

TEST(Importer, CatalogAndFactoryListTheFourFormats) {
  std::vector<std::string> names;
  for (const ImporterInfo& info : importer_catalog()) {
    SCOPED_TRACE(info.name);
    names.push_back(info.name);
    EXPECT_EQ(make_importer(info.name)->info().name, info.name);
    EXPECT_FALSE(info.description.empty());
    EXPECT_FALSE(info.source.empty());
  }
  EXPECT_EQ(names, (std::vector<std::string>{"alpaca-eval", "routerdc", "routerbench", "table"}));
  EXPECT_EQ(error_of<UsageError>([] { (void)make_importer("helm"); }),
            "unknown import format \"helm\" (known: alpaca-eval, routerdc, routerbench, table)");
}

TEST(Importer, ParseParameters) {
  const auto p = parse_parameters("vicuna-13b=13e9,meta/llama=7000000000,,phi-2=2.7e9");
  ASSERT_EQ(p.size(), 3u);
  EXPECT_EQ(p[0], (std::pair<std::string, double>{"vicuna-13b", 13e9}));
  EXPECT_EQ(p[1], (std::pair<std::string, double>{"meta/llama", 7e9}));
  EXPECT_EQ(p[2], (std::pair<std::string, double>{"phi-2", 2.7e9}));
  EXPECT_TRUE(parse_parameters("").empty());
  EXPECT_EQ(error_of<UsageError>([] { (void)parse_parameters("vicuna"); }),
            "--parameters: \"vicuna\" is not NAME=COUNT (e.g. vicuna-13b=13e9)");
  EXPECT_EQ(error_of<UsageError>([] { (void)parse_parameters("a=-1"); }),
            "--parameters: the count of \"a\" must be a positive number, not \"-1\"");
  EXPECT_EQ(error_of<UsageError>([] { (void)parse_parameters("a=7B"); }),
            "--parameters: the count of \"a\" must be a positive number, not \"7B\"");
  EXPECT_EQ(error_of<UsageError>([] { (void)parse_parameters("a=1,a=2"); }),
            "--parameters: \"a\" is given twice");
}

TEST(Importer, TokenEstimateIsWordsTimesFourThirdsRounded) {
  EXPECT_EQ(estimate_tokens(""), 0u);
  EXPECT_EQ(estimate_tokens("   \n\t"), 0u);
  EXPECT_EQ(estimate_tokens("one"), 1u);          // 1.33
  EXPECT_EQ(estimate_tokens("one two"), 3u);      // 2.67
  EXPECT_EQ(estimate_tokens(" a\tb\nc  "), 4u);   // 4.00
  EXPECT_EQ(estimate_tokens("a b c d e f"), 8u);  // 8.00
}

TEST(Importer, ParseNumber) {
  double v = 0;
  EXPECT_TRUE(parse_number("0.25", v));
  EXPECT_EQ(v, 0.25);
  EXPECT_TRUE(parse_number("+1e-3", v));
  EXPECT_EQ(v, 1e-3);
  EXPECT_FALSE(parse_number("", v));
  EXPECT_FALSE(parse_number("1.0 ", v));
  EXPECT_FALSE(parse_number("abc", v));
}

// Three queries x two models; q0 has a null judgement, q1 lacks a reward, q2 lacks a cell, q3
// is complete.
class BuilderTest : public ::testing::Test {
 protected:
  ImportBuilder make(GapPolicy policy) {
    ImportBuilder b({"m1", "m2"}, {"rm"}, policy);
    for (const char* id : {"q0", "q1", "q2", "q3"}) {
      b.add_query({id, std::string("text of ") + id, "s", "test", 3});
    }
    for (std::size_t q = 0; q < 4; ++q) {
      for (std::size_t m = 0; m < 2; ++m) {
        if (q == 2 && m == 1) continue;
        b.set_cell(q, m,
                   ImportCell{0.25 * static_cast<double>(q), static_cast<std::uint32_t>(10 * q + m),
                              0.5, "r"});
        if (!(q == 1 && m == 0)) b.set_reward(0, q, m, 1.0 + static_cast<double>(m));
      }
    }
    return b;
  }
  static Manifest manifest() {
    Manifest m;
    m.suite = "s";
    m.splits = {{"test", true}};
    m.groups = {{"g", GroupDisplay::kRaw, {0}}};
    m.subsets = {{"s", "s", 0, Metric{}}};
    m.models = {{"m1", 1e9, {}, {}}, {"m2", 1e9, {}, {}}};
    m.reward_models = {{"rm", 1.0}};
    return m;
  }
};

TEST_F(BuilderTest, DropLeavesQueriesOutAndCountsEachReason) {
  ImportBuilder b = make(GapPolicy::kDrop);
  ProblemList problems("src");
  b.gap(0, "null_preference", problems, 5, "m2: null");
  b.gap(0, "null_preference", problems, 9, "m1: null");  // the same query counts once
  const Bundle bundle = b.finish(manifest(), problems);
  EXPECT_TRUE(problems.empty());
  ASSERT_EQ(bundle.query_count(), 1u);
  EXPECT_EQ(bundle.queries.id[0], "q3");
  EXPECT_EQ(bundle.queries.text[0], "text of q3");
  EXPECT_EQ(bundle.queries.input_tokens[0], 3u);
  EXPECT_EQ(bundle.gold(0, 1), 0.75);
  EXPECT_EQ(bundle.responses.output_tokens[1], 31u);
  EXPECT_EQ(bundle.responses.dollars[1], 0.5);
  EXPECT_EQ(bundle.reward(0, 0, 1), 2.0);
  EXPECT_EQ(bundle.responses.text, (std::vector<std::string>{"r", "r"}));
  EXPECT_EQ(b.queries_read(), 4u);
  EXPECT_EQ(b.queries_dropped(), 3u);
  EXPECT_EQ(b.exclusions(),
            (std::vector<std::pair<std::string, std::size_t>>{
                {"missing_result", 1}, {"missing_reward", 1}, {"null_preference", 1}}));
}

TEST_F(BuilderTest, FailReportsEveryGap) {
  ImportBuilder b = make(GapPolicy::kFail);
  ProblemList problems("src");
  b.gap(0, "null_preference", problems, 5, "m2: null", "  \"preference\":null,");
  (void)b.finish(manifest(), problems);
  const std::string fail = " (--null-policy fail; drop would leave the query out)";
  EXPECT_EQ(problems.shown(), (std::vector<std::string>{
                                  "src:5: m2: null" + fail + "\n  |   \"preference\":null,",
                                  "src: query \"q1\" has no \"rm\" reward for model \"m1\"" + fail,
                                  "src: query \"q2\" has no result for model \"m2\"" + fail}));
  EXPECT_EQ(b.queries_dropped(), 0u);
}

TEST(JsonArrayFile, LinesOfElementsAndKeys) {
  test::TempDir dir;
  const std::string path = dir.file("a.json");
  test::write_file(
      path, "\xEF\xBB\xBF[\n  {\"a\": 1,\n   \"b\": [1, {\"a\": 2}]},\n  7,\n  {\"b\": 2}\n]\n");
  const JsonArrayFile file(path);
  ASSERT_EQ(file.size(), 3u);
  EXPECT_EQ(file.line(0), 2u);
  EXPECT_EQ(file.line(0, "a"), 2u);
  EXPECT_EQ(file.line(0, "b"), 3u);
  EXPECT_EQ(file.line(0, "zzz"), 2u);  // no such key: the element's line
  EXPECT_EQ(file.line(1), 4u);
  EXPECT_EQ(file.line(2, "b"), 5u);
  EXPECT_EQ(file.text_of_line(4), "  7,");
  EXPECT_EQ(file[2]["b"].GetInt(), 2);
}

TEST(JsonArrayFile, Errors) {
  test::TempDir dir;
  const std::string path = dir.file("a.json");
  test::write_file(path, "[\n  {\"a\": 1},\n  {\"a\": }\n]\n");
  EXPECT_EQ(error_of<InputError>([&] { const JsonArrayFile f(path); }),
            path + ":3: column 9: invalid JSON: Invalid value.");
  test::write_file(path, "\n\n {\"a\": 1}\n");
  EXPECT_EQ(error_of<InputError>([&] { const JsonArrayFile f(path); }),
            path + ":3: expected a JSON array");
  EXPECT_EQ(error_of<InputError>([&] { const JsonArrayFile f(dir.file("none.json")); }),
            dir.file("none.json") + ": does not exist");
}

TEST(DerivedRewards, LengthIsTheOutputTokens) {
  Bundle b;
  b.manifest.models = {{"m1", 1e9, {}, {}}, {"m2", 1e9, {}, {}}};
  b.responses.models = 2;
  b.responses.output_tokens = {5, 0, 7, 2};
  ImportOptions options;
  options.derived_rewards = {"length"};
  add_derived_rewards(b, options);
  ASSERT_EQ(b.manifest.reward_models.size(), 1u);
  EXPECT_EQ(b.manifest.reward_models[0].name, "length");
  EXPECT_EQ(b.manifest.reward_models[0].parameters, 1.0);  // a rule: negligible ranker FLOPs
  EXPECT_EQ(b.responses.rewards[0], (std::vector<double>{5, 0, 7, 2}));

  options.derived_rewards = {"sentiment"};
  EXPECT_EQ(error_of<UsageError>([&] { add_derived_rewards(b, options); }),
            "--reward: unknown rule \"sentiment\" (known: length)");
  Bundle silent;
  silent.responses.output_tokens = {0, 0};
  options.derived_rewards = {"length"};
  EXPECT_EQ(error_of<InputError>([&] { add_derived_rewards(silent, options); }),
            "--reward length: no response has a length in this source (every output_tokens is 0), "
            "so the rule cannot rank anything");
}

TEST(PoolModels, ParametersFromTheOptionThenTheTable) {
  ImportOptions options;
  options.parameters = {{"b", 5e9}};
  const KnownParameters known[] = {{"a", 7e9}, {"b", 9e9}};
  const std::vector<Model> models = pool_models({"a", "b"}, {"a", "b", "c"}, known, options);
  EXPECT_EQ(models[0].parameters, 7e9);
  EXPECT_EQ(models[1].parameters, 5e9);
  EXPECT_EQ(pool_models({"a"}, {"a", "b"}, known, options).size(),
            1u);  // b is in the source: no typo
  EXPECT_EQ(error_of<UsageError>([&] {
              (void)pool_models({"a", "c", "d"}, {"a", "c", "d"}, known, options);
            }),
            "--parameters: \"b\" is not a model of this import (models: a, c, d)");
  EXPECT_EQ(error_of<UsageError>([&] {
              (void)pool_models({"a", "b"}, {"a", "b"}, known, options, {"a"});
            }),
            "reward \"a\" has the name of a model of the pool: rename it");
  EXPECT_EQ(error_of<UsageError>([&] {
              (void)pool_models({"a", "b"}, {"a", "b"}, known, options, {"r", "r"});
            }),
            "reward \"r\" is given twice");
  options.parameters.clear();
  EXPECT_EQ(error_of<UsageError>([&] {
              (void)pool_models({"a", "c", "d"}, {"a", "c", "d"}, known, options);
            }),
            "no parameter count known for c, d: give one with --parameters NAME=COUNT,... (e.g. "
            "c=13e9); it sets the generation FLOPs");
}

TEST(ChoosePool, OrderAndUnknownModels) {
  ImportOptions options;
  EXPECT_EQ(choose_pool({"x", "y"}, options, "here"), (std::vector<std::string>{"x", "y"}));
  options.models = {"y", "x"};
  EXPECT_EQ(choose_pool({"x", "y"}, options, "here"), (std::vector<std::string>{"y", "x"}));
  options.models = {"y", "z", "w"};
  EXPECT_EQ(error_of<UsageError>([&] {
              (void)choose_pool({"x", "y"}, options, "here");
            }),
            "--models: no results for z, w (found in here: x, y)");
  options.models = {"x", "x"};
  EXPECT_EQ(error_of<UsageError>([&] { (void)choose_pool({"x"}, options, "here"); }),
            "--models: \"x\" is given twice");
  options.models.clear();
  EXPECT_EQ(error_of<InputError>([&] { (void)choose_pool({"has space"}, options, "here"); }),
            "model name \"has space\" contains whitespace, '@', ',' or '=' (an adapter spec could not name it)");
}

using test::zooter;

TEST(ImportCommand, WritesABundleThatLoads) {
  test::TempDir dir;
  const std::string table = dir.file("t.csv");
  test::write_file(table, "query,model,score\nq1,a,1\nq1,b,0\nq2,a,0.5\nq2,b,1\nq3,a,1\n");
  const test::CliRun r = zooter({"import", "table", table, "--out", dir.file("b"), "--parameters",
                              "a=1e9,b=2e9", "--threads", "4"});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out, dir.file("b") + ": suite \"table\" from table " + table +
                       ": 2 queries, 1 dropped (missing_result 1), 2 models, 0 reward models, 1 "
                       "subsets in 1 groups\n");
  EXPECT_EQ(r.err, "");
  EXPECT_EQ(load_bundle(dir.file("b")).query_count(), 2u);
}

TEST(ImportCommand, UsageErrors) {
  test::TempDir dir;
  test::CliRun r = zooter({"import", "helm", "x", "--out", dir.file("b")});
  EXPECT_EQ(r.code, 2);
  EXPECT_THAT(
      r.err,
      HasSubstr(
          "unknown import format \"helm\" (known: alpaca-eval, routerdc, routerbench, table)"));
  r = zooter({"import", "routerdc", "x", "--out", dir.file("b"), "--gold-annotator", "foo"});
  EXPECT_EQ(r.code, 2);
  EXPECT_THAT(r.err, HasSubstr("--gold-annotator does not apply to format routerdc"));
  r = zooter({"import", "routerdc", "x"});
  EXPECT_EQ(r.code, 2);
  EXPECT_THAT(r.err, HasSubstr("--out"));
  r = zooter({"import", "table", "x", "--out", dir.file("b"), "--null-policy", "skip"});
  EXPECT_EQ(r.code, 2);
  EXPECT_THAT(r.err, HasSubstr("--null-policy must be drop or fail, not \"skip\""));
  r = zooter({"import", "--help"});
  EXPECT_EQ(r.code, 0);
  EXPECT_THAT(r.out, HasSubstr("usage: zooter import FORMAT SOURCE --out DIR [OPTIONS]"));
  EXPECT_THAT(r.out, HasSubstr("--null-policy arg (=drop)"));
  EXPECT_THAT(r.out, HasSubstr("alpaca-eval"));
}

TEST(ImportCommand, BadDataIsExitOne) {
  test::TempDir dir;
  const std::string table = dir.file("t.csv");
  test::write_file(table, "query,model,score\nq1,a,\n");
  const test::CliRun r =
      zooter({"import", "table", table, "--out", dir.file("b"), "--parameters", "a=1e9"});
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(r.err, table + ":2: missing \"score\" (--score-column)\n");
}

}  // namespace
}  // namespace zooter::suites
