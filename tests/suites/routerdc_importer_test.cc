// The routerdc importer on a miniature split2_model7/ folder written here, then on RouterDC's
// real files in ../shared/data/RouterDC/datasets/split2_model7 when they are present.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "tests/support/test_paths.h"
#include "harness/bundle.h"
#include "harness/bundle_loader.h"
#include "harness/bundle_writer.h"
#include "harness/error.h"
#include "suites/importer.h"
#include "tests/helpers.h"

namespace zooter::suites {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

// One row a line, so row i of a file is on line i + 2 ("[" is line 1).
std::string rows(const std::vector<std::string>& elements) {
  std::string out = "[\n";
  for (std::size_t i = 0; i < elements.size(); ++i) {
    out += elements[i] + (i + 1 < elements.size() ? ",\n" : "\n");
  }
  return out + "]\n";
}

std::string row(const std::string& question, const std::string& a, const std::string& b) {
  return "{\"question\": \"" + question + "\", \"scores\": {\"org/a-7b\": " + a +
         ", \"org/b-8b\": " + b + "}}";
}

class RouterDcTest : public ::testing::Test {
 protected:
  void SetUp() override {
    fs::create_directories(dir_);
    write("mmlu_train.json", {row("Q1 A. x B. y", "1", "0"), row("Q2", "0.5", "1"),
                              "{\"question\": \"Q3\", \"scores\": {\"org/a-7b\": 0, \"org/b-8b\": "
                              "1}, \"cluster_id\": 3}"});
    write("mmlu_test.json", {row("Q4", "1", "1")});
    write("gsm8k-train.json", {row("How many eggs?", "0.8", "0.2")});
    write("gsm8k-test.json", {row("How many ducks?", "0", "0.25")});
    write("ceval.json",
          {row("中文问题", "1", "0"), row("中文问题", "0", "1")});  // a repeated question
    test::write_file(dir_ + "/README.txt", "not data");
    options_.source = dir_;
    options_.parameters = {{"org/a-7b", 7e9}, {"org/b-8b", 8e9}};
  }
  void write(const std::string& name, const std::vector<std::string>& elements) {
    test::write_file(dir_ + "/" + name, rows(elements));
  }
  Bundle import() const { return make_importer("routerdc")->import(options_); }
  template <typename Error = InputError>
  std::string import_error() const {
    try {
      (void)import();
    } catch (const Error& e) {
      return e.what();
    }
    ADD_FAILURE() << "imported without an error";
    return "";
  }

  test::TempDir tmp_;
  std::string dir_ = tmp_.file("split2_model7");
  ImportOptions options_;
};

TEST_F(RouterDcTest, SplitsSubsetsAndGroupsFromFileNames) {
  const Bundle b = import();
  const Manifest& m = b.manifest;
  EXPECT_EQ(m.suite, "routerdc");
  ASSERT_EQ(m.splits.size(), 3u);
  EXPECT_EQ(m.splits[0].name, "train");
  EXPECT_EQ(m.splits[1].name, "test");
  EXPECT_EQ(m.splits[2].name, "ood");
  ASSERT_EQ(m.groups.size(), 2u);
  EXPECT_EQ(m.groups[0].name, "in-distribution");
  EXPECT_EQ(m.groups[0].display, GroupDisplay::kPercent);
  EXPECT_EQ(m.groups[1].name, "out-of-distribution");
  ASSERT_EQ(m.subsets.size(), 3u);
  EXPECT_EQ(m.subsets[0].id, "gsm8k");
  EXPECT_EQ(m.subsets[1].id, "mmlu");
  EXPECT_EQ(m.subsets[2].id, "ceval");
  EXPECT_EQ(m.subsets[2].group, 1u);
  EXPECT_EQ(m.subsets[0].metric.name, "accuracy");
  ASSERT_EQ(m.models.size(), 2u);
  EXPECT_EQ(m.models[0].name, "org/a-7b");  // '/' is allowed in bundle names

  // Bundle order: in-distribution subsets by name (train, then test), then OOD files.
  EXPECT_EQ(b.queries.id, (std::vector<std::string>{"gsm8k/train/0", "gsm8k/test/0", "mmlu/train/0",
                                                    "mmlu/train/1", "mmlu/train/2", "mmlu/test/0",
                                                    "ceval/ood/0", "ceval/ood/1"}));
  EXPECT_EQ(b.queries.text[2], "Q1 A. x B. y");
  EXPECT_EQ(b.queries.input_tokens[2], 7u);  // 5 words x 4/3 = 6.67
  EXPECT_EQ(b.queries.text[6], "中文问题");
  EXPECT_EQ(b.gold(0, 0), 0.8);
  EXPECT_EQ(b.gold(1, 1), 0.25);
  EXPECT_EQ(b.gold(3, 0), 0.5);
  EXPECT_EQ(b.gold(7, 1), 1.0);
  for (std::uint32_t t : b.responses.output_tokens) EXPECT_EQ(t, 0u);  // no responses published
  EXPECT_TRUE(b.responses.text.empty());

  rapidjson::Document p;
  p.Parse(b.manifest.provenance_json.c_str());
  EXPECT_THAT(p["output_tokens"].GetString(), HasSubstr("unknown"));
  EXPECT_THAT(p["licence"].GetString(), HasSubstr("no licence file"));
  ASSERT_EQ(p["ignored_files"].Size(), 1u);
  EXPECT_EQ(std::string(p["ignored_files"][0].GetString()), "README.txt");
  EXPECT_EQ(p["rows_per_file"]["mmlu_train.json"].GetUint64(), 3u);
}

TEST_F(RouterDcTest, BuiltInParametersAndPool) {
  options_.parameters.clear();
  EXPECT_EQ(import_error<UsageError>(),
            "no parameter count known for org/a-7b, org/b-8b: give one with --parameters "
            "NAME=COUNT,... (e.g. "
            "org/a-7b=13e9); it sets the generation FLOPs");
  options_.parameters = {{"org/b-8b", 8e9}};
  options_.models = {"org/b-8b"};
  const Bundle b = import();
  ASSERT_EQ(b.model_count(), 1u);
  EXPECT_EQ(b.gold(0, 0), 0.2);
}

TEST_F(RouterDcTest, NullAndMissingScoresAreGaps) {
  write("mmlu_test.json",
        {"{\"question\": \"Q4\", \"scores\": {\"org/a-7b\": null, \"org/b-8b\": 1}}",
         "{\"question\": \"Q5\", \"scores\": {\"org/b-8b\": 1}}", row("Q6", "1", "0")});
  const Bundle b = import();
  EXPECT_EQ(b.query_count(), 8u);  // 10 rows, 2 with a gap
  rapidjson::Document p;
  p.Parse(b.manifest.provenance_json.c_str());
  EXPECT_EQ(p["exclusions"]["null_score"].GetUint64(), 1u);
  EXPECT_EQ(p["exclusions"]["missing_score"].GetUint64(), 1u);
  EXPECT_EQ(p["queries_dropped"].GetUint64(), 2u);

  options_.null_policy = GapPolicy::kFail;
  const std::string path = dir_ + "/mmlu_test.json";
  const std::string fail = " (--null-policy fail; drop would leave the query out)";
  EXPECT_EQ(
      import_error(),
      path + ":2: \"scores\" has null for model \"org/a-7b\"" + fail +
          "\n  | {\"question\": \"Q4\", \"scores\": {\"org/a-7b\": null, \"org/b-8b\": 1}},\n" +
          path + ":3: \"scores\" has no entry for model \"org/a-7b\"" + fail +
          "\n  | {\"question\": \"Q5\", \"scores\": {\"org/b-8b\": 1}},");
}

TEST_F(RouterDcTest, BadRows) {
  write("mmlu_test.json",
        {row("Q4", "1.5", "1"), "{\"question\": 4, \"scores\": {}}", "{\"scores\": []}", "7"});
  const std::string path = dir_ + "/mmlu_test.json";
  EXPECT_EQ(import_error(),
            path + ":2: \"scores\": the score of \"org/a-7b\" must be a number in [0, 1]\n  | " +
                row("Q4", "1.5", "1") + ",\n" + path +
                ":3: \"question\": expected a string\n  | {\"question\": 4, \"scores\": {}},\n" +
                path + ":4: missing field \"question\"\n  | {\"scores\": []},\n" + path +
                ":4: \"scores\": expected an object {model: score}\n  | {\"scores\": []},\n" +
                path + ":5: expected an object {\"question\", \"scores\"}\n  | 7");
}

// A model's score given twice in one row: which is it? An error, not the first silently.
TEST_F(RouterDcTest, RepeatedKeyAndTextThatIsNotUtf8) {
  write("mmlu_test.json", {row("Q4", "1", "1"),
                           "{\"question\": \"Q5\", \"scores\": {\"org/a-7b\": 1, \"org/b-8b\": 0, \"org/a-7b\": 0}}"});
  const std::string path = dir_ + "/mmlu_test.json";
  EXPECT_EQ(import_error(), path + ":3: key \"org/a-7b\" appears twice in one object (which value is meant?)");
  write("mmlu_test.json", {row("Q4 \xE2\x82", "1", "1")});
  EXPECT_EQ(import_error(), path + ":2: column 18: invalid JSON: Invalid encoding in string.");
}

TEST_F(RouterDcTest, FolderErrors) {
  write("mmlu.json", {row("Q", "1", "1")});
  EXPECT_EQ(import_error(),
            dir_ +
                ": mmlu.json and mmlu_test.json both hold subset \"mmlu\", one with a train/test "
                "suffix and one without\n" +
                dir_ +
                ": mmlu.json and mmlu_train.json both hold subset \"mmlu\", one with a "
                "train/test suffix and one without");
  fs::remove(dir_ + "/mmlu.json");
  write("mmlu-train.json", {row("Q", "1", "1")});
  EXPECT_EQ(
      import_error(),
      dir_ + ": mmlu-train.json and mmlu_train.json both hold subset \"mmlu\" for the same split");
  options_.source = tmp_.file("empty");
  fs::create_directories(options_.source);
  EXPECT_EQ(
      import_error(),
      options_.source + ": no *.json files here (expected RouterDC's datasets/split2_model7/)");
  options_.source = tmp_.file("absent");
  EXPECT_EQ(import_error(),
            options_.source + ": does not exist (expected RouterDC's datasets/split2_model7/)");
  options_.source = tmp_.file("a-file.json");
  test::write_file(options_.source, "[]");
  EXPECT_EQ(import_error(),
            options_.source + ": is not a directory (expected RouterDC's datasets/split2_model7/)");
}

TEST_F(RouterDcTest, LengthRewardNeedsLengths) {
  options_.derived_rewards = {"length"};
  EXPECT_THAT(import_error(),
              HasSubstr("--reward length: no response has a length in this source"));
}

TEST_F(RouterDcTest, WrittenBundleLoadsAndIsByteIdentical) {
  write_bundle(import(), tmp_.file("one"));
  write_bundle(import(), tmp_.file("two"));
  for (const char* file : {"manifest.json", "queries.jsonl", "responses.jsonl"}) {
    SCOPED_TRACE(file);
    EXPECT_EQ(test::read_file(tmp_.file(std::string("one/") + file)),
              test::read_file(tmp_.file(std::string("two/") + file)));
  }
  const Bundle loaded = load_bundle(tmp_.file("one"));
  EXPECT_EQ(loaded.query_count(), 8u);
  EXPECT_EQ(loaded.gold(0, 0), 0.8);
}

// ---- RouterDC's real files, read in place. ----

const std::string kShared = zooter::test::shared_data("/RouterDC/datasets/split2_model7");

TEST(RouterDcRealData, RowCountsPerFileAndSevenModels) {
  if (!fs::is_directory(kShared)) {
    GTEST_SKIP() << "no real RouterDC data at " << kShared
                 << " (ZOOTER_SHARED_DATA): nothing to check";
  }
  ImportOptions o;
  o.source = kShared;
  const Bundle b = make_importer("routerdc")->import(o);
  EXPECT_EQ(b.model_count(), 7u);
  EXPECT_EQ(b.manifest.models[5].name, "meta-llama/Meta-Llama-3-8B");
  std::map<std::string, std::size_t> per_cell;  // "subset/split" -> queries
  for (std::size_t q = 0; q < b.query_count(); ++q) {
    ++per_cell[b.manifest.subsets[b.queries.subset[q]].id + "/" +
               b.manifest.splits[b.queries.split[q]].name];
  }
  // SOURCES.md's table; no row has a null or missing score, so nothing is dropped.
  EXPECT_EQ(per_cell, (std::map<std::string, std::size_t>{{"mmlu/train", 2000},
                                                          {"mmlu/test", 4213},
                                                          {"gsm8k/train", 1000},
                                                          {"gsm8k/test", 1319},
                                                          {"cmmlu/train", 2000},
                                                          {"cmmlu/test", 3475},
                                                          {"arc_challenge/train", 820},
                                                          {"arc_challenge/test", 352},
                                                          {"arc_easy/train", 1663},
                                                          {"arc_easy/test", 713},
                                                          {"humaneval/train", 115},
                                                          {"humaneval/test", 49},
                                                          {"MATH_prealgebra/ood", 871},
                                                          {"ceval/ood", 1346},
                                                          {"mbpp/ood", 500},
                                                          {"javascript/ood", 164}}));
  ASSERT_EQ(b.manifest.groups.size(), 2u);
  EXPECT_EQ(b.manifest.groups[0].subsets.size(), 6u);
  EXPECT_EQ(b.manifest.groups[1].subsets.size(), 4u);
  test::TempDir tmp;
  write_bundle(b, tmp.file("rdc"));
  EXPECT_EQ(load_bundle(tmp.file("rdc")).query_count(), b.query_count());
}

}  // namespace
}  // namespace zooter::suites
