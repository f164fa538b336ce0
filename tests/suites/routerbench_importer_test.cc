// The routerbench importer and the Python-literal decoder it uses for `prompt` and the
// responses, on miniature CSVs written here (quoted commas, doubled quotes, line breaks inside
// fields), then on the RouterBench CSVs in ../shared/data/RouterDC/datasets/routerbench_zs.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "tests/support/test_paths.h"
#include "harness/bundle.h"
#include "harness/bundle_loader.h"
#include "harness/bundle_writer.h"
#include "harness/error.h"
#include "suites/importer.h"
#include "suites/python_literal.h"
#include "tests/helpers.h"

namespace zooter::suites {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using Items = std::optional<std::vector<std::string>>;

TEST(PythonLiteral, ListsOfStrings) {
  EXPECT_EQ(parse_python_string_list(R"(['a', "b's", 'c\'d'])"), Items({"a", "b's", "c'd"}));
  EXPECT_EQ(parse_python_string_list(R"([])"), Items(std::vector<std::string>{}));
  EXPECT_EQ(parse_python_string_list(" [\n 'a' 'b',\n \"c\",\n] \n"),
            Items({"ab", "c"}));  // joined, trailing comma
  EXPECT_EQ(parse_python_string_list(R"([r'\n', u'\n', R"\"", U'x'])"),
            Items({"\\n", "\n", "\\\"", "x"}));
}

TEST(PythonLiteral, Escapes) {
  EXPECT_EQ(parse_python_string_list(R"(['\n\t\r\\ \a\b\f\v'])"), Items({"\n\t\r\\ \a\b\f\v"}));
  EXPECT_EQ(parse_python_string_list(R"(['\x41\u00e9\U0001F600 \101\0 \7'])"),
            Items({std::string("A\xC3\xA9\xF0\x9F\x98\x80 A") + '\0' + " \a"}));
  EXPECT_EQ(parse_python_string_list(R"(['\q\d'])"), Items({"\\q\\d"}));  // unknown escapes stay
  EXPECT_EQ(parse_python_string_list("['a\\\nb']"), Items({"ab"}));       // line continuation
  EXPECT_EQ(parse_python_string_list(R"(['\ud83d\ude00', '\ud83d', '\ude00x'])"),
            Items({"\xF0\x9F\x98\x80", "\xEF\xBF\xBD", "\xEF\xBF\xBDx"}));
}

TEST(PythonLiteral, NotAListOfStrings) {
  for (const char* text : {"hello", "", "['a', 1]", "['a'", "['a'] x", "['''a''']",
                           R"(['\N{EM DASH}'])", "[b'a']", "['a\nb']", "['a' 'b' 3]", R"(['\x4'])",
                           R"(['\U00110000'])", "[['a']]", "['a',,'b']", "'a'"}) {
    SCOPED_TRACE(text);
    EXPECT_EQ(parse_python_string_list(text), std::nullopt);
  }
}

// Two files; the columns are in RouterBench's order (scores, then responses and costs in an
// order of their own), plus the oracle column and a companion column the importer ignores.
const char* kHeader =
    ",sample_id,prompt,eval_name,mistralai/mistral-7b-chat,claude-v2,claude-v2|model_response,"
    "mistralai/mistral-7b-chat|model_response,mistralai/"
    "mistral-7b-chat|total_cost,claude-v2|total_cost,"
    "oracle_model_to_route_to,claude-v2|latency\n";

class RouterBenchTest : public ::testing::Test {
 protected:
  void SetUp() override {
    fs::create_directories(dir_);
    test::write_file(
        dir_ + "/mbpp_train.csv",
        std::string(kHeader) +
            R"(7,mbpp.dev.1,"['Write a function, please.']",mbpp,1.0,0.0,"['It\'s done:\ndef f(): pass']","[""Here: \""x\"" and, commas""]",0.0001,0.002,mistralai/mistral-7b-chat,1.5
8,mbpp.dev.2,"['first',
 'second']",mbpp,0,1,"['multi
line raw']",['b'],0.0002,0.003,claude-v2,1
9,mbpp.dev.2,plain prompt,mbpp,1,1,['c'],['d'],0,0,x,1
)");
    test::write_file(
        dir_ + "/mbpp_test.csv",
        std::string(kHeader) + "10,mbpp.test.1,['t'],mbpp,0.5,1,['e'],['f'],0.1,0.2,x,1\n");
    test::write_file(
        dir_ + "/winograde_test.csv",
        std::string(kHeader) + "11,wg.1,['w'],winogrande,1,0,['g'],['h'],0.1,0.2,x,1\n");
    test::write_file(dir_ + "/notes.md", "ignored");
    options_.source = dir_;
    options_.parameters = {{"claude-v2", 1e11}};
  }
  Bundle import() const { return make_importer("routerbench")->import(options_); }
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
  std::string dir_ = tmp_.file("routerbench_zs");
  ImportOptions options_;
};

TEST_F(RouterBenchTest, ScoresResponsesCostsAndSplits) {
  const Bundle b = import();
  const Manifest& m = b.manifest;
  EXPECT_EQ(m.suite, "routerbench");
  ASSERT_EQ(m.models.size(), 2u);
  EXPECT_EQ(m.models[0].name, "mistralai/mistral-7b-chat");
  EXPECT_EQ(m.models[0].parameters, 7e9);   // built-in table
  EXPECT_EQ(m.models[1].parameters, 1e11);  // --parameters
  ASSERT_EQ(m.splits.size(), 2u);
  EXPECT_EQ(m.splits[0].name, "train");
  ASSERT_EQ(m.subsets.size(), 2u);
  EXPECT_EQ(m.subsets[0].id, "mbpp");
  EXPECT_EQ(m.subsets[1].id, "winogrande");
  EXPECT_EQ(m.groups[0].display, GroupDisplay::kPercent);

  // Train files first, then test files by name; ids keep sample_id and the index column.
  EXPECT_EQ(b.queries.id, (std::vector<std::string>{"mbpp.dev.1#7", "mbpp.dev.2#8", "mbpp.dev.2#9",
                                                    "mbpp.test.1#10", "wg.1#11"}));
  EXPECT_EQ(b.queries.split, (std::vector<std::uint32_t>{0, 0, 0, 1, 1}));
  EXPECT_EQ(b.queries.text[0], "Write a function, please.");
  EXPECT_EQ(b.queries.text[1], "first\nsecond");  // list items joined by a line break
  EXPECT_EQ(b.queries.text[2], "plain prompt");   // not a list: kept as it is
  EXPECT_EQ(b.queries.input_tokens[0], 5u);       // 4 words
  EXPECT_EQ(b.gold(0, 0), 1.0);
  EXPECT_EQ(b.gold(3, 0), 0.5);
  EXPECT_EQ(b.responses.text[b.responses.cell(0, 0)], "Here: \"x\" and, commas");
  EXPECT_EQ(b.responses.text[b.responses.cell(0, 1)], "It's done:\ndef f(): pass");
  EXPECT_EQ(b.responses.text[b.responses.cell(1, 1)],
            "['multi\nline raw']");                                  // a raw line break: not Python
  EXPECT_EQ(b.responses.output_tokens[b.responses.cell(0, 1)], 7u);  // 5 words
  EXPECT_EQ(b.responses.dollars[b.responses.cell(0, 0)], 0.0001);
  EXPECT_EQ(b.responses.dollars[b.responses.cell(1, 1)], 0.003);

  rapidjson::Document p;
  p.Parse(b.manifest.provenance_json.c_str());
  EXPECT_EQ(p["files"]["mbpp_train.csv"]["rows"].GetUint64(), 3u);
  EXPECT_EQ(p["files"]["mbpp_train.csv"]["prompts_not_python_lists"].GetUint64(), 1u);
  EXPECT_EQ(p["files"]["mbpp_train.csv"]["responses_not_python_lists"].GetUint64(), 1u);
  ASSERT_EQ(p["ignored_columns"].Size(), 1u);
  EXPECT_EQ(std::string(p["ignored_columns"][0].GetString()), "claude-v2|latency");
  EXPECT_EQ(std::string(p["ignored_files"][0].GetString()), "notes.md");
  EXPECT_THAT(p["cost"].GetString(), HasSubstr("real dollars"));
}

TEST_F(RouterBenchTest, ClosedModelsNeedParameters) {
  options_.parameters.clear();
  EXPECT_EQ(
      import_error<UsageError>(),
      "no parameter count known for claude-v2: give one with --parameters NAME=COUNT,... (e.g. "
      "claude-v2=13e9); it sets the generation FLOPs");
  options_.models = {"mistralai/mistral-7b-chat"};
  EXPECT_EQ(import().model_count(), 1u);
}

TEST_F(RouterBenchTest, EmptyCellsAreGaps) {
  test::write_file(dir_ + "/mbpp_test.csv",
                   std::string(kHeader) +
                       "10,mbpp.test.1,['t'],mbpp,,1,['e'],['f'],0.1,0.2,x,1\n"
                       "12,mbpp.test.2,['t'],mbpp,1,1,['e'],['f'],0.1,,x,1\n"
                       "13,mbpp.test.3,['t'],mbpp,1,1,['e'],['f'],0.1,0.2,x,1\n");
  const Bundle b = import();
  EXPECT_EQ(b.query_count(), 5u);
  rapidjson::Document p;
  p.Parse(b.manifest.provenance_json.c_str());
  EXPECT_EQ(p["exclusions"]["empty_score"].GetUint64(), 1u);
  EXPECT_EQ(p["exclusions"]["empty_cost"].GetUint64(), 1u);

  options_.null_policy = GapPolicy::kFail;
  const std::string path = dir_ + "/mbpp_test.csv";
  const std::string fail = " (--null-policy fail; drop would leave the query out)";
  EXPECT_EQ(import_error(),
            path + ":2: model \"mistralai/mistral-7b-chat\" has an empty score cell" + fail + "\n" +
                path + ":3: model \"claude-v2\" has an empty cost cell" + fail);
}

TEST_F(RouterBenchTest, BadRowsAreReportedTogether) {
  test::write_file(dir_ + "/mbpp_test.csv",
                   std::string(kHeader) +
                       "10,mbpp.test.1,['t'],mbpp,2,1,['e'],['f'],0.1,0.2,x,1\n"
                       "11,mbpp.test.2,['t'],mbpp,1,1,['e'],['f'],-1,0.2,x,1\n"
                       "12,mbpp.test.3,['t'],mbpp,1\n"
                       "13,,['t'],bad name,1,1,['e'],['f'],0.1,0.2,x,1\n"
                       "14,mbpp.test.5,['t'],bad name,1,1,['e'],['f'],0.1,0.2,x,1\n"
                       "10,mbpp.test.1,['t'],mbpp,1,1,['e'],['f'],0.1,0.2,x,1\n"
                       "15,mbpp.test.6,\"['t']\"x,mbpp,1,1,['e'],['f'],0.1,0.2,x,1\n");
  const std::string path = dir_ + "/mbpp_test.csv";
  EXPECT_EQ(
      import_error(),
      path +
          ":2: the score of \"mistralai/mistral-7b-chat\" must be a number in [0, 1], not \"2\"\n" +
          path +
          ":3: the cost of \"mistralai/mistral-7b-chat\" must be a number of dollars >= 0, not "
          "\"-1\"\n" +
          path + ":4: expected 12 fields as in the header, found 5\n" + path +
          ":5: empty \"sample_id\"\n" + path +
          ":6: \"eval_name\": subset name \"bad name\" contains whitespace, '@', ',' or '=' (an adapter spec could not name it)\n" + path +
          ":7: query \"mbpp.test.1#10\" is already at line 2\n" + path +
          ":8: text after the closing quote of a field");
}

TEST_F(RouterBenchTest, FileAndHeaderErrors) {
  test::write_file(dir_ + "/mbpp.csv", kHeader);
  EXPECT_EQ(import_error(),
            dir_ +
                ": mbpp.csv: cannot tell its split: the name must end in _train or _test (as "
                "RouterDC's re-split names them)");
  fs::remove(dir_ + "/mbpp.csv");
  test::write_file(dir_ + "/winograde_test.csv",
                   ",sample_id,eval_name,claude-v2,claude-v2|total_cost\n");
  const std::string path = dir_ + "/winograde_test.csv";
  EXPECT_EQ(import_error(), path + ":1: no \"prompt\" column\n" + path +
                                ":1: no column for model \"mistralai/mistral-7b-chat\"\n" + path +
                                ":1: no \"mistralai/mistral-7b-chat|model_response\" column\n" +
                                path + ":1: no \"mistralai/mistral-7b-chat|total_cost\" column\n" +
                                path + ":1: no \"claude-v2|model_response\" column");
  test::write_file(path, "");
  EXPECT_EQ(import_error(), path + ": file is empty");
}

// A model's score column twice, with values that disagree: which one is the score? An error,
// not the later column silently.
TEST_F(RouterBenchTest, RepeatedColumnIsAnError) {
  const std::string path = dir_ + "/winograde_test.csv";
  test::write_file(path, std::string(kHeader).replace(std::string(kHeader).find("oracle_model_to_route_to"),
                                                      std::string("oracle_model_to_route_to").size(), "claude-v2") +
                             "11,wg.1,['w'],winogrande,1,0,['g'],['h'],0.1,0.2,1,1\n");
  EXPECT_EQ(import_error(), path + ":1: column \"claude-v2\" appears twice in the header (columns 6 and 11)");
}

TEST_F(RouterBenchTest, SingleFileSourceAndDeterminism) {
  options_.source = dir_ + "/mbpp_test.csv";
  const Bundle b = import();
  EXPECT_EQ(b.query_count(), 1u);
  ASSERT_EQ(b.manifest.splits.size(), 1u);
  EXPECT_EQ(b.manifest.splits[0].name, "test");
  options_.source = dir_;
  options_.derived_rewards = {"length"};
  write_bundle(import(), tmp_.file("one"));
  write_bundle(import(), tmp_.file("two"));
  for (const char* file : {"manifest.json", "queries.jsonl", "responses.jsonl"}) {
    SCOPED_TRACE(file);
    EXPECT_EQ(test::read_file(tmp_.file(std::string("one/") + file)),
              test::read_file(tmp_.file(std::string("two/") + file)));
  }
  LoadOptions with_text;
  with_text.with_text = true;
  const Bundle loaded = load_bundle(tmp_.file("one"), with_text);
  EXPECT_EQ(loaded.responses.text[1], "It's done:\ndef f(): pass");
  EXPECT_EQ(loaded.manifest.reward_models[0].name, "length");
  EXPECT_EQ(loaded.reward(0, 0, 1), 7.0);
  EXPECT_EQ(loaded.responses.dollars[1], 0.002);
}

// ---- RouterBench's CSVs as RouterDC re-split them, read in place. ----

const std::string kShared = zooter::test::shared_data("/RouterDC/datasets/routerbench_zs");

TEST(RouterBenchRealData, RowCountsAndElevenModels) {
  if (!fs::is_directory(kShared)) {
    GTEST_SKIP() << "no real RouterBench data at " << kShared
                 << " (ZOOTER_SHARED_DATA): nothing to check";
  }
  ImportOptions o;
  o.source = kShared;
  // The closed models publish no parameter count; these are placeholders for the test only.
  o.parameters = {{"claude-instant-v1", 1e11},
                  {"claude-v1", 1e11},
                  {"claude-v2", 1e11},
                  {"gpt-3.5-turbo-1106", 1e11},
                  {"gpt-4-1106-preview", 1e12}};
  const Bundle b = make_importer("routerbench")->import(o);
  EXPECT_EQ(b.model_count(), 11u);
  rapidjson::Document p;
  p.Parse(b.manifest.provenance_json.c_str());
  const std::map<std::string, std::uint64_t> rows = {
      {"arc_challenge_train.csv", 1039}, {"arc_challenge_test.csv", 445},
      {"mbpp_train.csv", 299},           {"mbpp_test.csv", 128},
      {"winograde_train.csv", 887},      {"winograde_test.csv", 380}};
  for (const auto& [file, count] : rows) {
    SCOPED_TRACE(file);
    EXPECT_EQ(p["files"][file.c_str()]["rows"].GetUint64(), count);
    EXPECT_EQ(p["files"][file.c_str()]["prompts_not_python_lists"].GetUint64(), 0u);
    EXPECT_EQ(p["files"][file.c_str()]["responses_not_python_lists"].GetUint64(), 0u);
  }
  // arc_challenge has rows with empty score cells (20 in train, 8 in test): dropped and counted.
  EXPECT_EQ(p["exclusions"]["empty_score"].GetUint64(), 28u);
  std::map<std::string, std::size_t> per_cell;
  for (std::size_t q = 0; q < b.query_count(); ++q) {
    ++per_cell[b.manifest.subsets[b.queries.subset[q]].id + "/" +
               b.manifest.splits[b.queries.split[q]].name];
  }
  EXPECT_EQ(per_cell, (std::map<std::string, std::size_t>{{"arc-challenge/train", 1019},
                                                          {"arc-challenge/test", 437},
                                                          {"mbpp/train", 299},
                                                          {"mbpp/test", 128},
                                                          {"winogrande/train", 887},
                                                          {"winogrande/test", 380}}));
  test::TempDir tmp;
  write_bundle(b, tmp.file("rb"));
  EXPECT_EQ(load_bundle(tmp.file("rb")).query_count(), b.query_count());
}

}  // namespace
}  // namespace zooter::suites
