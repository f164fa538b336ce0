// The table importer: a long results table as CSV or JSONL, columns named by options, every
// class of bad row with its exact "path:line: message", and a written bundle that loads.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <cmath>
#include <filesystem>
#include <iterator>
#include <string>
#include <vector>

#include "harness/bundle.h"
#include "harness/bundle_loader.h"
#include "harness/bundle_writer.h"
#include "harness/error.h"
#include "suites/importer.h"
#include "tests/helpers.h"
#include "tests/support/cli_run.h"

namespace zooter::suites {
namespace {

using ::testing::HasSubstr;

const std::string kFail = " (--null-policy fail; drop would leave the query out)";

class TableTest : public ::testing::Test {
 protected:
  void SetUp() override {
    options_.parameters = {{"big", 70e9}, {"small", 7e9}};
    options_.text_column = "prompt";
    options_.subset_column = "task";
    options_.split_column = "split";
  }
  std::string write(const std::string& name, const std::string& bytes) {
    const std::string path = tmp_.file(name);
    test::write_file(path, bytes);
    options_.source = path;
    return path;
  }
  Bundle import() const { return make_importer("table")->import(options_); }
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
  ImportOptions options_;
};

TEST_F(TableTest, CsvWithEveryColumn) {
  write("results.csv",
        "query,model,score,prompt,task,split,answer,tokens,usd,judge\n"
        "q1,small,0.5,\"What is 1+1, really?\",math,train,two,3,0.001,-1.5\n"
        "q1,big,1,\"What is 1+1, really?\",math,train,\"Two, surely.\",4,0.01,2\n"
        "q2,big,0,Name a cat,chat,test,Tom,1,0.02,0\n"
        "q2,small,1,Name a cat,chat,test,Felix the cat,3,0.003,1\n");
  options_.response_column = "answer";
  options_.output_tokens_column = "tokens";
  options_.cost_column = "usd";
  options_.reward_columns = {"judge"};
  const Bundle b = import();
  const Manifest& m = b.manifest;
  EXPECT_EQ(m.suite, "table");
  ASSERT_EQ(m.models.size(), 2u);
  EXPECT_EQ(m.models[0].name, "small");  // first seen first
  EXPECT_EQ(m.models[0].parameters, 7e9);
  ASSERT_EQ(m.splits.size(), 2u);
  EXPECT_EQ(m.splits[0].name, "train");
  ASSERT_EQ(m.subsets.size(), 2u);
  EXPECT_EQ(m.subsets[1].id, "chat");
  EXPECT_EQ(m.groups[0].name, "table");
  ASSERT_EQ(m.reward_models.size(), 1u);
  EXPECT_EQ(m.reward_models[0].name, "judge");
  EXPECT_EQ(m.reward_models[0].parameters, 1.0);
  ASSERT_EQ(b.query_count(), 2u);
  EXPECT_EQ(b.queries.text[0], "What is 1+1, really?");
  EXPECT_EQ(b.queries.input_tokens[0], 5u);  // 4 words
  EXPECT_EQ(b.gold(0, 0), 0.5);
  EXPECT_EQ(b.gold(1, 1), 0.0);
  EXPECT_EQ(b.responses.text[b.responses.cell(0, 1)], "Two, surely.");
  EXPECT_EQ(b.responses.output_tokens[b.responses.cell(1, 0)], 3u);
  EXPECT_EQ(b.responses.dollars[b.responses.cell(1, 1)], 0.02);
  EXPECT_EQ(b.reward(0, 0, 0), -1.5);
  EXPECT_EQ(b.reward(0, 1, 0), 1.0);
}

TEST_F(TableTest, JsonlWithDefaultsAndEstimatedTokens) {
  options_ = ImportOptions{};
  options_.parameters = {{"a", 1e9}, {"b", 2e9}};
  options_.response_column = "response";
  options_.metric_min = 1;
  options_.metric_max = 10;
  options_.metric_name = "mt-bench";
  write("r.jsonl",
        "{\"query\": 1, \"model\": \"a\", \"score\": 7.5, \"response\": \"one two three\"}\n"
        "{\"query\": 1, \"model\": \"b\", \"score\": \"10\", \"response\": \"x\"}\n");
  const Bundle b = import();
  ASSERT_EQ(b.query_count(), 1u);
  EXPECT_EQ(b.queries.id[0], "1");
  EXPECT_EQ(b.manifest.subsets[0].id, "all");
  EXPECT_EQ(b.manifest.splits[0].name, "test");
  EXPECT_EQ(b.manifest.subsets[0].metric.name, "mt-bench");
  EXPECT_EQ(b.manifest.subsets[0].metric.max, 10.0);
  EXPECT_EQ(b.gold(0, 0), 7.5);
  EXPECT_EQ(b.gold(0, 1), 10.0);
  EXPECT_EQ(b.responses.output_tokens[0], 4u);  // estimated: 3 words
  EXPECT_EQ(b.queries.input_tokens[0], 0u);     // no text column
  EXPECT_TRUE(std::isnan(b.responses.dollars[0]));
}

// A JSONL row with a key twice: which score is meant? An error, not the first silently.
TEST_F(TableTest, JsonlRepeatedKeyIsAnError) {
  options_ = ImportOptions{};
  const std::string path = write("r.jsonl",
                                 "{\"query\": \"q1\", \"model\": \"a\", \"score\": 1}\n"
                                 "{\"query\": \"q1\", \"model\": \"b\", \"score\": 1, \"score\": 0}\n"
                                 "{\"query\": \"q2\", \"model\": \"a\", \"score\": 1, \"meta\": {\"x\": 1, \"x\": 2}}\n");
  EXPECT_EQ(import_error(),
            path + ":2: key \"score\" appears twice in one object (which value is meant?)\n  | "
                   "{\"query\": \"q1\", \"model\": \"b\", \"score\": 1, \"score\": 0}\n" +
                path + ":3: key \"x\" appears twice in one object (which value is meant?)\n  | "
                       "{\"query\": \"q2\", \"model\": \"a\", \"score\": 1, \"meta\": {\"x\": 1, \"x\": 2}}");
}

// Every string the table gives must be UTF-8, in CSV and JSONL alike.
TEST_F(TableTest, TextThatIsNotUtf8IsAnError) {
  const std::string csv = write("r.csv",
                                "query,model,score,prompt,task,split\n"
                                "q1,small,1,caf\xC3\xA9,t,test\n"
                                "q1,big,0,caf\xC3,t,test\n");
  EXPECT_EQ(import_error(), csv + ":3: field 4: byte 4 is not valid UTF-8 (the file must be UTF-8)");
  options_ = ImportOptions{};
  const std::string jsonl = write("r.jsonl", "{\"query\": \"q1\", \"model\": \"a\\u00e9\xFF\", \"score\": 1}\n");
  EXPECT_EQ(import_error(), jsonl + ":1: column 34: invalid JSON: Invalid encoding in string.\n  | "
                                    "{\"query\": \"q1\", \"model\": \"a\\u00e9\\xff\", \"score\": 1}");
}

// Under drop, a source whose every query has a gap has nothing to import: an error naming the
// source and the reasons, before anything is written.
TEST_F(TableTest, EveryQueryDroppedIsAnError) {
  const std::string path = write("r.csv",
                                 "query,model,score,prompt,task,split\n"
                                 "q1,small,1,p,t,test\nq2,big,1,p,t,test\n");
  EXPECT_EQ(import_error(),
            path + ": every one of the 2 queries read was left out under --null-policy drop (missing_result 2), so there is nothing to import; check --models (a model most queries lack "
                   "drops them all), or run with --null-policy fail to see each gap");
}

// `zooter import` writes the whole bundle or nothing: a failed import leaves no directory, and
// leaves an earlier bundle in OUT as it was.
TEST_F(TableTest, ImportCommandWritesNothingWhenItFails) {
  const std::string path = tmp_.file("r.csv");
  const std::string out = tmp_.file("bundle");
  const std::vector<std::string> command = {"import", "table", path, "--out", out, "--parameters",
                                            "big=70e9,small=7e9", "--text-column", "prompt", "--subset-column",
                                            "task", "--split-column", "split", "--response-column", "answer"};
  const std::string header = "query,model,score,prompt,task,split,answer\n";
  // Every query dropped.
  test::write_file(path, header + "q1,small,1,p,t,test,a\nq2,big,1,p,t,test,b\n");
  test::CliRun r = test::zooter(command);
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(r.err, path + ": every one of the 2 queries read was left out under --null-policy drop (missing_result "
                          "2), so there is nothing to import; check --models (a model most queries lack drops them "
                          "all), or run with --null-policy fail to see each gap\n");
  EXPECT_FALSE(std::filesystem::exists(out));
  // A response over the loader's line limit.
  const std::string huge(LoadOptions{}.max_line_bytes, 'x');
  test::write_file(path, header + "q1,small,1,p,t,test," + huge + "\nq1,big,1,p,t,test,b\n");
  r = test::zooter(command);
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(r.err, path + ": cannot import: " + out + "/responses.jsonl:1: the line of query \"q1\" and model "
                          "\"small\" would be 4194373 bytes, over the 4194304-byte line limit of bundle files, so "
                          "the bundle could not be loaded; nothing was written\n");
  EXPECT_FALSE(std::filesystem::exists(out));
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator(tmp_.path()), std::filesystem::directory_iterator()),
            1);  // r.csv alone: nothing left beside OUT either
  // A good import, then a failing one over it: OUT keeps the good one.
  test::write_file(path, header + "q1,small,1,p,t,test,a\nq1,big,1,p,t,test,b\n");
  r = test::zooter(command);
  ASSERT_EQ(r.code, 0) << r.err;
  const std::string before = test::read_file(out + "/responses.jsonl");
  test::write_file(path, header + "q1,small,1,p,t,test," + huge + "\nq1,big,1,p,t,test,b\n");
  EXPECT_EQ(test::zooter(command).code, 1);
  EXPECT_EQ(test::read_file(out + "/responses.jsonl"), before);
}

TEST_F(TableTest, MissingPairsFollowTheNullPolicy) {
  const std::string path = write("r.csv",
                                 "query,model,score,prompt,task,split\n"
                                 "q1,small,1,p,t,test\nq1,big,0,p,t,test\nq2,small,1,p,t,test\n");
  EXPECT_EQ(import().query_count(), 1u);
  options_.null_policy = GapPolicy::kFail;
  EXPECT_EQ(import_error(), path + ": query \"q2\" has no result for model \"big\"" + kFail);
}

TEST_F(TableTest, ModelsOptionSelectsAndCountsTheRest) {
  write("r.csv", "query,model,score,prompt,task,split\nq1,small,1,p,t,test\nq1,big,0,p,t,test\n");
  options_.models = {"big"};
  const Bundle b = import();
  ASSERT_EQ(b.model_count(), 1u);
  EXPECT_EQ(b.gold(0, 0), 0.0);
  rapidjson::Document p;
  p.Parse(b.manifest.provenance_json.c_str());
  EXPECT_EQ(p["rows_of_models_not_in_the_pool"].GetUint64(), 1u);
  EXPECT_EQ(std::string(p["options"]["subset-column"].GetString()), "task");
}

TEST_F(TableTest, EveryBadCsvRowWithItsLine) {
  const std::string path = write("r.csv",
                                 "query,model,score,prompt,task,split\n"
                                 "q1,small,,p,t,test\n"       // 2: missing score
                                 "q1,big,1.5,p,t,test\n"      // 3: out of scale
                                 "q2,has space,1,p,t,test\n"  // 4: bad model name
                                 "q3,small,1,p,t\n"           // 5: too few fields
                                 "q1,small,1,other,t,test\n"  // 6: text differs
                                 "q4,small,1,p,t,test\n"
                                 "q4,small,0,p,t,test\n"           // 8: duplicate pair
                                 "q5,small,x,p,bad task,test\n");  // 9: bad subset name
  EXPECT_EQ(import_error(), path + ":5: expected 6 fields as in the header, found 5\n" + path +
                                ":2: missing \"score\" (--score-column)\n" + path +
                                ":4: model name \"has space\" contains whitespace, '@', ',' or '=' (an adapter spec could not name it)");
  write("r.csv",
        "query,model,score,prompt,task,split\n"
        "q1,big,1.5,p,t,test\n"
        "q1,small,1,other,t,test\n"
        "q4,small,1,p,t,test\n"
        "q4,small,0,p,t,test\n"
        "q5,small,x,p,bad task,test\n"
        "q6,small,nan,p,t,test\n");
  EXPECT_EQ(import_error(),
            path + ":2: \"score\": 1.5 is not a number in [0, 1] (--metric-min, --metric-max)\n" +
                path + ":3: query \"q1\": its text differs from the one at line 2\n" + path +
                ":5: query \"q4\", model \"small\" is already at line 4\n" + path +
                ":6: subset name \"bad task\" contains whitespace, '@', ',' or '=' (an adapter spec could not name it)\n" + path +
                ":7: \"score\": nan is not a number in [0, 1] (--metric-min, --metric-max)");
}

TEST_F(TableTest, BadJsonlLinesWithExcerpts) {
  options_ = ImportOptions{};
  options_.parameters = {{"a", 1e9}};
  options_.cost_column = "cost";
  const std::string path =
      write("r.jsonl",
            "{\"query\": \"q\", \"model\": \"a\", \"score\": 1, \"cost\": 0.1}\n"
            "{\"query\": \"q\", \"model\": \"a\", \"score\": }\n"
            "[1]\n"
            "\n"
            "{\"query\": \"r\", \"model\": \"a\", \"score\": true, \"cost\": 1}\n"
            "{\"query\": \"s\", \"model\": \"a\", \"score\": 1}\n");
  EXPECT_EQ(import_error(), path +
                                ":2: column 39: invalid JSON: Invalid value.\n  | {\"query\": "
                                "\"q\", \"model\": \"a\", \"score\": }\n" +
                                path + ":3: expected a JSON object\n  | [1]\n" + path +
                                ":4: empty line\n" + path +
                                ":5: \"score\": expected a string or a number\n  | {\"query\": "
                                "\"r\", \"model\": \"a\", \"score\": "
                                "true, \"cost\": 1}\n" +
                                path +
                                ":6: missing \"cost\" (--cost-column)\n  | {\"query\": \"s\", "
                                "\"model\": \"a\", \"score\": 1}");
}

TEST_F(TableTest, HeaderAndOptionErrors) {
  const std::string path = write("r.csv", "id,model,score\nq,a,1\n");
  EXPECT_EQ(
      import_error(),
      path + ":1: no column \"query\" (--query-column; the header has: id, model, score)\n" + path +
          ":1: no column \"prompt\" (--text-column; the header has: id, model, score)\n" + path +
          ":1: no column \"task\" (--subset-column; the header has: id, model, score)\n" + path +
          ":1: no column \"split\" (--split-column; the header has: id, model, score)");
  write("r.csv", "query,model,score,model\nq,a,1,b\n");
  options_ = ImportOptions{};
  options_.source = path;
  EXPECT_EQ(import_error(), path + ":1: column \"model\" appears twice in the header (columns 2 and 4)");
  write("r.csv", "query,model,score,note,note\nq,a,1,x,y\n");  // a column not read, too
  EXPECT_EQ(import_error(), path + ":1: column \"note\" appears twice in the header (columns 4 and 5)");
  write("r.tsv", "x");
  EXPECT_EQ(import_error(),
            tmp_.file("r.tsv") + ": cannot tell the table's format: name it *.csv or *.jsonl");
  options_.source = tmp_.file("absent.csv");
  EXPECT_EQ(import_error(), tmp_.file("absent.csv") + ": no such file");
  options_.metric_min = 1;
  options_.metric_max = 1;
  EXPECT_EQ(import_error<UsageError>(), "--metric-min must be below --metric-max");
  options_.metric_max = 2;
  options_.model_column = "";
  EXPECT_EQ(import_error<UsageError>(), "--model-column must not be empty");
  write("e.csv", "");
  options_.model_column = "model";
  EXPECT_EQ(import_error(), tmp_.file("e.csv") + ": file is empty");
}

TEST_F(TableTest, UnknownParameters) {
  write("r.csv", "query,model,score,prompt,task,split\nq1,small,1,p,t,test\nq1,tiny,0,p,t,test\n");
  EXPECT_EQ(import_error<UsageError>(),
            "--parameters: \"big\" is not a model of this import (models: small, tiny)");
  options_.parameters = {{"small", 1e9}};
  EXPECT_EQ(import_error<UsageError>(),
            "no parameter count known for tiny: give one with --parameters NAME=COUNT,... (e.g. "
            "tiny=13e9); it sets "
            "the generation FLOPs");
}

TEST_F(TableTest, LengthRewardAndRoundTrip) {
  write("r.csv",
        "query,model,score,prompt,task,split,answer\n"
        "q1,small,1,p,t,test,short\n"
        "q1,big,0,p,t,test,a much longer answer\n");
  options_.response_column = "answer";
  options_.derived_rewards = {"length"};
  const Bundle b = import();
  EXPECT_EQ(b.reward(0, 0, 0), 1.0);
  EXPECT_EQ(b.reward(0, 0, 1), 5.0);
  write_bundle(b, tmp_.file("one"));
  write_bundle(import(), tmp_.file("two"));
  for (const char* file : {"manifest.json", "queries.jsonl", "responses.jsonl"}) {
    SCOPED_TRACE(file);
    EXPECT_EQ(test::read_file(tmp_.file(std::string("one/") + file)),
              test::read_file(tmp_.file(std::string("two/") + file)));
  }
  EXPECT_EQ(load_bundle(tmp_.file("one")).reward(0, 0, 1), 5.0);
}

}  // namespace
}  // namespace zooter::suites
