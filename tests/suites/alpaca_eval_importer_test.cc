// The alpaca-eval importer on a miniature alpaca_eval clone written here (results/<model>/
// model_outputs.json and annotator folders, pretty-printed one field a line as the real files
// are), then on the real data in ../shared/data/alpaca_eval when it is present.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <cstdio>
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

const std::string kFail = " (--null-policy fail; drop would leave the query out)";

// One element: (key, raw JSON value) in order.
using Element = std::vector<std::pair<std::string, std::string>>;

std::string quoted(const std::string& s) { return "\"" + s + "\""; }

// Pretty-prints like AlpacaEval's files: "[", then per element "  {", one "    key:value" line
// per field, "  }," ... "]". Element i with k fields per element starts on line 2 + i (k + 2).
std::string pretty(const std::vector<Element>& elements) {
  std::string out = "[\n";
  for (std::size_t i = 0; i < elements.size(); ++i) {
    out += "  {\n";
    for (std::size_t f = 0; f < elements[i].size(); ++f) {
      out += "    " + quoted(elements[i][f].first) + ":" + elements[i][f].second +
             (f + 1 < elements[i].size() ? ",\n" : "\n");
    }
    out += i + 1 < elements.size() ? "  },\n" : "  }\n";
  }
  return out + "]\n";
}

// The line of field f of element i when every element has k fields.
std::size_t line_of(std::size_t i, std::size_t f, std::size_t k) { return 2 + i * (k + 2) + 1 + f; }

struct Query {
  std::string dataset, instruction;
};
const std::vector<Query> kQueries = {
    {"helpful_base", "What is two plus two?"}, {"koala", "Say hi"}, {"vicuna", "Name a colour"}};

Element output_row(const Query& q, const std::string& output, const std::string& model) {
  return {{"instruction", quoted(q.instruction)},
          {"dataset", quoted(q.dataset)},
          {"output", quoted(output)},
          {"generator", quoted(model)}};
}

// preference is raw JSON ("2", "null", "1.5"); the field is the 8th (index 7) of 9.
Element annotation_row(const Query& q, const std::string& model, const std::string& preference,
                       const std::string& output = "an answer") {
  return {{"instruction", quoted(q.instruction)},
          {"output_1", quoted("reference answer")},
          {"generator_1", quoted("text_davinci_003")},
          {"dataset", quoted(q.dataset)},
          {"output_2", quoted(output)},
          {"generator_2", quoted(model)},
          {"annotator", quoted("alpaca_eval_gpt4")},
          {"preference", preference},
          {"price_per_example", "0.01"}};
}
constexpr std::size_t kAnnotationFields = 9;
constexpr std::size_t kPreference = 7;

class AlpacaEvalTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // vicuna-13b answers in file order; alpaca-7b's file lists the queries in another order,
    // so matching must go by text.
    write_outputs("vicuna-13b", {output_row(kQueries[0], "Four.", "vicuna-13b"),
                                 output_row(kQueries[1], "hi there friend", "vicuna-13b"),
                                 output_row(kQueries[2], "Blue", "vicuna-13b")});
    write_annotations("vicuna-13b", "alpaca_eval_gpt4",
                      {annotation_row(kQueries[0], "vicuna-13b", "2"),
                       annotation_row(kQueries[1], "vicuna-13b", "1"),
                       annotation_row(kQueries[2], "vicuna-13b", "1.5")});
    write_outputs("alpaca-7b", {output_row(kQueries[2], "Red, obviously", "alpaca-7b"),
                                output_row(kQueries[0], "4", "alpaca-7b"),
                                output_row(kQueries[1], "Hello", "alpaca-7b")});
    write_annotations("alpaca-7b", "alpaca_eval_gpt4",
                      {annotation_row(kQueries[1], "alpaca-7b", "2.0"),
                       annotation_row(kQueries[0], "alpaca-7b", "0"),
                       annotation_row(kQueries[2], "alpaca-7b", "1.0")});
    options_.source = root_;
    options_.models = {"vicuna-13b", "alpaca-7b"};
  }

  std::string outputs_path(const std::string& model) const {
    return root_ + "/results/" + model + "/model_outputs.json";
  }
  std::string annotations_path(const std::string& model, const std::string& annotator) const {
    return root_ + "/results/" + model + "/" + annotator + "/annotations.json";
  }
  void write_outputs(const std::string& model, const std::vector<Element>& rows) {
    fs::create_directories(root_ + "/results/" + model);
    test::write_file(outputs_path(model), pretty(rows));
  }
  void write_annotations(const std::string& model, const std::string& annotator,
                         const std::vector<Element>& rows) {
    fs::create_directories(root_ + "/results/" + model + "/" + annotator);
    test::write_file(annotations_path(model, annotator), pretty(rows));
  }
  Bundle import() const { return make_importer("alpaca-eval")->import(options_); }
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
  // The query id the importer gives a query (from an import of vicuna-13b alone).
  std::string id_of(std::size_t query) const {
    ImportOptions alone = options_;
    alone.models = {"vicuna-13b"};
    alone.null_policy = GapPolicy::kDrop;
    return make_importer("alpaca-eval")->import(alone).queries.id[query];
  }

  test::TempDir tmp_;
  std::string root_ = tmp_.file("alpaca_eval");
  ImportOptions options_;
};

TEST_F(AlpacaEvalTest, WinsDrawsTextsAndTokens) {
  const Bundle b = import();
  const Manifest& m = b.manifest;
  EXPECT_EQ(m.suite, "alpaca-eval");
  ASSERT_EQ(m.splits.size(), 1u);
  EXPECT_EQ(m.splits[0].name, "test");
  ASSERT_EQ(m.groups.size(), 1u);
  EXPECT_EQ(m.groups[0].name, "alpaca-eval");
  ASSERT_EQ(m.subsets.size(), 3u);
  EXPECT_EQ(m.subsets[0].id, "helpful_base");
  EXPECT_EQ(m.subsets[1].id, "koala");
  EXPECT_EQ(m.subsets[2].id, "vicuna");
  EXPECT_EQ(m.subsets[0].metric.name, "win-rate");
  EXPECT_EQ(m.subsets[0].metric.min, 0.0);
  EXPECT_EQ(m.subsets[0].metric.max, 1.0);
  ASSERT_EQ(m.models.size(), 2u);
  EXPECT_EQ(m.models[0].name, "vicuna-13b");
  EXPECT_EQ(m.models[0].parameters, 13e9);  // the built-in table
  EXPECT_EQ(m.models[1].parameters, 7e9);
  EXPECT_TRUE(m.reward_models.empty());

  // Queries in the first model's file order; gold = preference - 1, draws (1.5, 0) are 0.5.
  ASSERT_EQ(b.query_count(), 3u);
  EXPECT_EQ(b.queries.text[1], "Say hi");
  EXPECT_EQ(b.queries.subset[2], 2u);
  EXPECT_EQ(b.queries.input_tokens[0], 7u);  // 5 words x 4/3 = 6.67
  EXPECT_EQ(b.gold(0, 0), 1.0);
  EXPECT_EQ(b.gold(1, 0), 0.0);
  EXPECT_EQ(b.gold(2, 0), 0.5);
  EXPECT_EQ(b.gold(0, 1), 0.5);
  EXPECT_EQ(b.gold(1, 1), 1.0);
  EXPECT_EQ(b.gold(2, 1), 0.0);
  EXPECT_EQ(b.responses.text[b.responses.cell(2, 1)], "Red, obviously");
  EXPECT_EQ(b.responses.output_tokens[b.responses.cell(1, 0)], 4u);  // "hi there friend"
  EXPECT_TRUE(std::isnan(b.responses.dollars[0]));                   // no cost, no prices
  for (const std::string& id : b.queries.id) {
    EXPECT_THAT(id, ::testing::MatchesRegex("ae-[a-z_]+-[0-9a-f]{12}"));
  }
  EXPECT_THAT(b.queries.id[1], ::testing::StartsWith("ae-koala-"));
}

TEST_F(AlpacaEvalTest, QueryIdsDoNotDependOnThePool) {
  const Bundle a = import();
  options_.models = {"alpaca-7b", "vicuna-13b"};
  const Bundle b = import();
  // b lists the queries in alpaca-7b's file order: vicuna, helpful_base, koala.
  EXPECT_EQ(b.queries.id,
            (std::vector<std::string>{a.queries.id[2], a.queries.id[0], a.queries.id[1]}));
  EXPECT_EQ(b.gold(0, 0), 0.0);  // alpaca-7b on "Name a colour"
}

TEST_F(AlpacaEvalTest, ProvenanceNamesSourceLicenceOptionsAndCounts) {
  const Bundle b = import();
  rapidjson::Document p;
  p.Parse(b.manifest.provenance_json.c_str());
  ASSERT_TRUE(p.IsObject());
  EXPECT_EQ(std::string(p["importer"].GetString()), "alpaca-eval");
  EXPECT_EQ(std::string(p["source"].GetString()), root_);
  EXPECT_THAT(p["licence"].GetString(), HasSubstr("CC BY-NC 4.0"));
  EXPECT_EQ(std::string(p["options"]["gold-annotator"].GetString()), "alpaca_eval_gpt4");
  EXPECT_EQ(std::string(p["options"]["null-policy"].GetString()), "drop");
  EXPECT_THAT(p["gold"].GetString(), HasSubstr("text_davinci_003"));
  EXPECT_THAT(p["output_tokens"].GetString(), HasSubstr("words x 4/3"));
  EXPECT_EQ(p["queries_read"].GetUint64(), 3u);
  EXPECT_EQ(p["queries_dropped"].GetUint64(), 0u);
  EXPECT_TRUE(p["exclusions"].ObjectEmpty());
}

TEST_F(AlpacaEvalTest, NullPreferenceDropsTheQueryForEveryModel) {
  write_annotations("alpaca-7b", "alpaca_eval_gpt4",
                    {annotation_row(kQueries[1], "alpaca-7b", "null"),
                     annotation_row(kQueries[0], "alpaca-7b", "0"),
                     annotation_row(kQueries[2], "alpaca-7b", "1.0")});
  const Bundle b = import();
  ASSERT_EQ(b.query_count(), 2u);
  EXPECT_EQ(b.queries.text[0], "What is two plus two?");
  EXPECT_EQ(b.queries.text[1], "Name a colour");
  rapidjson::Document p;
  p.Parse(b.manifest.provenance_json.c_str());
  EXPECT_EQ(p["queries_dropped"].GetUint64(), 1u);
  EXPECT_EQ(p["queries_kept"].GetUint64(), 2u);
  EXPECT_EQ(p["exclusions"]["null_preference"].GetUint64(), 1u);
}

TEST_F(AlpacaEvalTest, NullPreferenceFailsUnderFail) {
  write_annotations("alpaca-7b", "alpaca_eval_gpt4",
                    {annotation_row(kQueries[1], "alpaca-7b", "null"),
                     annotation_row(kQueries[0], "alpaca-7b", "0"),
                     annotation_row(kQueries[2], "alpaca-7b", "1.0")});
  options_.null_policy = GapPolicy::kFail;
  EXPECT_EQ(import_error(),
            annotations_path("alpaca-7b", "alpaca_eval_gpt4") + ":" +
                std::to_string(line_of(0, kPreference, kAnnotationFields)) +
                ": model \"alpaca-7b\": \"preference\" is null (not judged by alpaca_eval_gpt4)" +
                kFail + "\n  |     \"preference\":null,");
}

// As phi-2: 803 outputs of 805, and annotations that still hold the missing rows (empty output_2).
TEST_F(AlpacaEvalTest, MissingOutputDropsTheQueryAndCountsTheOrphanJudgement) {
  write_outputs("alpaca-7b", {output_row(kQueries[0], "4", "alpaca-7b"),
                              output_row(kQueries[1], "Hello", "alpaca-7b")});
  write_annotations(
      "alpaca-7b", "alpaca_eval_gpt4",
      {annotation_row(kQueries[0], "alpaca-7b", "2"), annotation_row(kQueries[1], "alpaca-7b", "1"),
       annotation_row(kQueries[2], "alpaca-7b", "1", "")});
  const Bundle b = import();
  EXPECT_EQ(b.query_count(), 2u);
  rapidjson::Document p;
  p.Parse(b.manifest.provenance_json.c_str());
  EXPECT_EQ(p["exclusions"]["missing_output"].GetUint64(), 1u);
  EXPECT_EQ(p["annotation_rows_without_output"]["alpaca-7b/alpaca_eval_gpt4"].GetUint64(), 1u);

  options_.null_policy = GapPolicy::kFail;
  EXPECT_EQ(import_error(), outputs_path("alpaca-7b") +
                                ": model \"alpaca-7b\" has no output for query " + id_of(2) +
                                " (dataset vicuna: \"Name a colour\")" + kFail);
}

TEST_F(AlpacaEvalTest, MissingJudgementIsAGap) {
  write_annotations("alpaca-7b", "alpaca_eval_gpt4",
                    {annotation_row(kQueries[1], "alpaca-7b", "2.0"),
                     annotation_row(kQueries[0], "alpaca-7b", "0")});
  EXPECT_EQ(import().query_count(), 2u);
  options_.null_policy = GapPolicy::kFail;
  EXPECT_EQ(
      import_error(),
      annotations_path("alpaca-7b", "alpaca_eval_gpt4") +
          ": model \"alpaca-7b\": no \"alpaca_eval_gpt4\" judgement of its output for query " +
          id_of(2) + kFail);
}

TEST_F(AlpacaEvalTest, MissingFilesNameTheModelAndPath) {
  fs::create_directories(root_ + "/results/phi-2");
  options_.models = {"vicuna-13b", "phi-2"};
  EXPECT_EQ(import_error(),
            outputs_path("phi-2") + ": model \"phi-2\" has no model_outputs.json here");

  options_.models = {"vicuna-13b"};
  options_.gold_annotator = "alpaca_eval_gpt5";
  EXPECT_EQ(import_error(),
            annotations_path("vicuna-13b", "alpaca_eval_gpt5") +
                ": model \"vicuna-13b\" has no \"alpaca_eval_gpt5\" annotations here");

  options_.gold_annotator = "alpaca_eval_gpt4";
  options_.reward_annotator = "weighted_alpaca_eval_gpt4_turbo";
  EXPECT_EQ(import_error(),
            annotations_path("vicuna-13b", "weighted_alpaca_eval_gpt4_turbo") +
                ": model \"vicuna-13b\" has no \"weighted_alpaca_eval_gpt4_turbo\" annotations "
                "here (leave the model out of --models, or drop --reward-annotator)");

  // A missing SOURCE, a file, and a folder without results/: each says which it is.
  const std::string hint = " (expected the root of an alpaca_eval clone, holding results/<model>/model_outputs.json)";
  options_.source = tmp_.file("elsewhere");
  EXPECT_EQ(import_error(), tmp_.file("elsewhere") + ": does not exist" + hint);
  options_.source = tmp_.file("a-file");
  test::write_file(options_.source, "{}");
  EXPECT_EQ(import_error(), options_.source + ": is not a directory" + hint);
  options_.source = tmp_.file("empty");
  fs::create_directories(options_.source);
  EXPECT_EQ(import_error(), options_.source + ": no results/ folder here" + hint);
}

TEST_F(AlpacaEvalTest, PoolAndParameterErrors) {
  options_.models.clear();
  EXPECT_EQ(import_error<UsageError>(),
            "alpaca-eval needs the pool: --models a,b,... (results here: alpaca-7b,vicuna-13b)");
  options_.models = {"vicuna-13b", "gpt-5"};
  EXPECT_EQ(import_error<UsageError>(), "--models: no results for gpt-5 (found in " + root_ +
                                            "/results: alpaca-7b, vicuna-13b)");
  write_outputs("my-model", {output_row(kQueries[0], "x", "my-model")});
  options_.models = {"vicuna-13b", "my-model"};
  EXPECT_EQ(
      import_error<UsageError>(),
      "no parameter count known for my-model: give one with --parameters NAME=COUNT,... (e.g. "
      "my-model=13e9); it sets the generation FLOPs");
}

TEST_F(AlpacaEvalTest, EveryBadRowOfAFileIsReportedTogether) {
  const std::string path = outputs_path("vicuna-13b");
  write_outputs("vicuna-13b", {output_row(kQueries[0], "Four.", "vicuna-13b"),
                               {{"instruction", "12"},
                                {"dataset", quoted("koala")},
                                {"output", quoted("x")},
                                {"generator", quoted("v")}},
                               {{"instruction", quoted("a")},
                                {"output", quoted("x")},
                                {"generator", quoted("v")},
                                {"extra", "1"}},
                               output_row({"bad set", "q"}, "x", "v"),
                               output_row(kQueries[0], "again", "vicuna-13b")});
  const auto line = [&](std::size_t i, std::size_t f) { return std::to_string(line_of(i, f, 4)); };
  const auto element = [&](std::size_t i) { return std::to_string(line_of(i, 0, 4) - 1); };
  EXPECT_EQ(import_error(),
            path + ":" + line(1, 0) +
                ": \"instruction\": expected a string\n  |     \"instruction\":12,\n" + path + ":" +
                element(2) + ": missing field \"dataset\"\n  |   {\n" + path + ":" + line(3, 1) +
                ": \"dataset\": subset name \"bad set\" contains whitespace, '@', ',' or '=' (an adapter spec could not name it)\n"
                "  |     \"dataset\":\"bad set\",\n" +
                path + ":" + element(4) +
                ": the same instruction (dataset helpful_base) is already at line " + element(0) +
                "\n  |   {");
}

// A judgement with "preference" twice (which one?) and an output that is not UTF-8 are errors at
// their line, not the first value or raw bytes carried into the bundle.
TEST_F(AlpacaEvalTest, RepeatedKeyAndTextThatIsNotUtf8) {
  Element twice = annotation_row(kQueries[0], "alpaca-7b", "2");
  twice.emplace_back("preference", "0");
  write_annotations("alpaca-7b", "alpaca_eval_gpt4",
                    {twice, annotation_row(kQueries[1], "alpaca-7b", "1")});
  EXPECT_EQ(import_error(), annotations_path("alpaca-7b", "alpaca_eval_gpt4") + ":" +
                                std::to_string(line_of(0, kAnnotationFields, kAnnotationFields + 1)) +
                                ": key \"preference\" appears twice in one object (which value is meant?)");
  write_outputs("vicuna-13b", {output_row(kQueries[0], "Fo\xFFur.", "vicuna-13b")});
  EXPECT_EQ(import_error(), outputs_path("vicuna-13b") + ":" + std::to_string(line_of(0, 2, 4)) +
                                ": column 17: invalid JSON: Invalid encoding in string.");
}

// Every query dropped (here: alpaca-7b judged none) leaves nothing to import: an error naming
// the source and the reason, not an empty bundle that fails when it is loaded.
TEST_F(AlpacaEvalTest, EveryQueryDroppedIsAnError) {
  write_annotations("alpaca-7b", "alpaca_eval_gpt4",
                    {annotation_row(kQueries[1], "alpaca-7b", "null"),
                     annotation_row(kQueries[0], "alpaca-7b", "null"),
                     annotation_row(kQueries[2], "alpaca-7b", "null")});
  EXPECT_EQ(import_error(),
            root_ + ": every one of the 3 queries read was left out under --null-policy drop (null_preference 3), "
                    "so there is nothing to import; check --models (a model most queries lack drops them all), or "
                    "run with --null-policy fail to see each gap");
}

TEST_F(AlpacaEvalTest, PreferenceOutsideTheScale) {
  write_annotations("vicuna-13b", "alpaca_eval_gpt4",
                    {annotation_row(kQueries[0], "vicuna-13b", "3"),
                     annotation_row(kQueries[1], "vicuna-13b", "\"2\""),
                     annotation_row(kQueries[2], "vicuna-13b", "1")});
  const std::string path = annotations_path("vicuna-13b", "alpaca_eval_gpt4");
  EXPECT_EQ(import_error(),
            path + ":" + std::to_string(line_of(0, kPreference, kAnnotationFields)) +
                ": \"preference\": 3 is outside AlpacaEval's scale (1 = reference wins, 2 = model "
                "wins, 1.5 or 0 "
                "= draw, null = not judged)\n  |     \"preference\":3,\n" +
                path + ":" + std::to_string(line_of(1, kPreference, kAnnotationFields)) +
                ": \"preference\": expected a number or null\n  |     \"preference\":\"2\",");
}

TEST_F(AlpacaEvalTest, SecondAnnotatorIsAReward) {
  for (const std::string model : {"vicuna-13b", "alpaca-7b"}) {
    write_annotations(
        model, "weighted_alpaca_eval_gpt4_turbo",
        {annotation_row(kQueries[0], model, "1.25"), annotation_row(kQueries[1], model, "1.0"),
         annotation_row(kQueries[2], model, model == "alpaca-7b" ? "2" : "1.75")});
  }
  options_.reward_annotator = "weighted_alpaca_eval_gpt4_turbo";
  options_.reward_name = "ae2";
  Bundle b = import();
  ASSERT_EQ(b.manifest.reward_models.size(), 1u);
  EXPECT_EQ(b.manifest.reward_models[0].name, "ae2");
  EXPECT_EQ(b.manifest.reward_models[0].parameters, 1.0);
  EXPECT_EQ(b.reward(0, 0, 0), 0.25);
  EXPECT_EQ(b.reward(0, 1, 0), 0.0);
  EXPECT_EQ(b.reward(0, 2, 0), 0.75);
  EXPECT_EQ(b.reward(0, 2, 1), 1.0);
  options_.parameters = {{"ae2", 1.8e12}};
  EXPECT_EQ(import().manifest.reward_models[0].parameters, 1.8e12);
}

TEST_F(AlpacaEvalTest, WrittenBundleLoadsAndIsByteIdentical) {
  options_.derived_rewards = {"length"};
  const Bundle b = import();
  ASSERT_EQ(b.manifest.reward_models.size(), 1u);
  EXPECT_EQ(b.reward(0, 1, 0), 4.0);  // "hi there friend": 4 estimated tokens
  write_bundle(b, tmp_.file("one"));
  write_bundle(import(), tmp_.file("two"));
  for (const char* file : {"manifest.json", "queries.jsonl", "responses.jsonl"}) {
    SCOPED_TRACE(file);
    EXPECT_EQ(test::read_file(tmp_.file(std::string("one/") + file)),
              test::read_file(tmp_.file(std::string("two/") + file)));
  }
  LoadOptions with_text;
  with_text.with_text = true;
  const Bundle loaded = load_bundle(tmp_.file("one"), with_text);
  EXPECT_EQ(loaded.query_count(), 3u);
  EXPECT_EQ(loaded.responses.gold, b.responses.gold);
  EXPECT_EQ(loaded.responses.text, b.responses.text);
  EXPECT_EQ(loaded.manifest.provenance_json, b.manifest.provenance_json);
}

// ---- The real AlpacaEval results (../shared/data/alpaca_eval), read in place. ----

const std::string kShared = zooter::test::shared_data("/alpaca_eval");

class AlpacaEvalRealData : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!fs::is_directory(kShared + "/results")) {
      GTEST_SKIP() << "no real AlpacaEval data at " << kShared
                   << " (ZOOTER_SHARED_DATA): nothing to check";
    }
  }
  static Bundle import(const std::vector<std::string>& models,
                       const std::string& reward_annotator = "") {
    ImportOptions o;
    o.source = kShared;
    o.models = models;
    o.reward_annotator = reward_annotator;
    o.reward_name = reward_annotator.empty() ? "" : "ae2";
    return make_importer("alpaca-eval")->import(o);
  }
  static double mean_gold(const Bundle& b, std::size_t m) {
    double sum = 0;
    for (std::size_t q = 0; q < b.query_count(); ++q) sum += b.gold(q, m);
    return sum / static_cast<double>(b.query_count());
  }
};

TEST_F(AlpacaEvalRealData, EightHundredFiveQueriesInFiveSubsets) {
  // alpaca-7b and vicuna-13b have every row and no null judgement.
  const Bundle b = import({"alpaca-7b", "vicuna-13b"});
  ASSERT_EQ(b.query_count(), 805u);
  std::map<std::string, std::size_t> per_subset;
  for (std::uint32_t s : b.queries.subset) ++per_subset[b.manifest.subsets[s].id];
  EXPECT_EQ(per_subset, (std::map<std::string, std::size_t>{{"helpful_base", 129},
                                                            {"koala", 156},
                                                            {"oasst", 188},
                                                            {"selfinstruct", 252},
                                                            {"vicuna", 80}}));
}

TEST_F(AlpacaEvalRealData, GptFourWinRatesOverTextDavinci) {
  // One model at a time: its judged rows only (each of these two has one null judgement).
  for (const auto& [model, expected] :
       {std::pair{"llama-2-13b-chat-hf", 0.81}, std::pair{"tulu-2-dpo-13b", 0.88}}) {
    SCOPED_TRACE(model);
    const Bundle b = import({model});
    EXPECT_EQ(b.query_count(), 804u);
    const double win_rate = mean_gold(b, 0);
    std::printf(
        "[ alpaca-eval ] %s: GPT-4 win rate over text-davinci-003 = %.6f on %zu judged queries\n",
        model, win_rate, b.query_count());
    EXPECT_NEAR(win_rate, expected, 0.02);
  }
}

TEST_F(AlpacaEvalRealData, NineModelPoolDropsFourteenQueries) {
  const Bundle b = import({"wizardlm-13b", "vicuna-13b", "llama-2-13b-chat-hf", "tulu-2-dpo-13b",
                           "ultralm-13b-v2.0", "alpaca-7b", "falcon-40b-instruct",
                           "oasst-rlhf-llama-33b", "phi-2"});
  EXPECT_EQ(b.query_count(), 791u);
  rapidjson::Document p;
  p.Parse(b.manifest.provenance_json.c_str());
  EXPECT_EQ(p["queries_dropped"].GetUint64(), 14u);
  EXPECT_EQ(p["exclusions"]["missing_output"].GetUint64(), 2u);  // phi-2's 803 rows
  EXPECT_EQ(p["exclusions"]["null_preference"].GetUint64(), 12u);
  EXPECT_EQ(p["annotation_rows_without_output"]["phi-2/alpaca_eval_gpt4"].GetUint64(), 2u);
  EXPECT_EQ(b.manifest.models[8].parameters, 2.7e9);
}

TEST_F(AlpacaEvalRealData, SecondAnnotatorAndRoundTrip) {
  const Bundle b = import({"wizardlm-13b", "vicuna-13b", "alpaca-7b", "falcon-40b-instruct",
                           "oasst-rlhf-llama-33b", "phi-2"},
                          "weighted_alpaca_eval_gpt4_turbo");
  EXPECT_EQ(b.query_count(), 796u);
  double sum = 0;
  for (std::size_t q = 0; q < b.query_count(); ++q) sum += b.reward(0, q, 0);
  EXPECT_NEAR(sum / static_cast<double>(b.query_count()), 0.0594,
              0.0005);  // wizardlm-13b vs gpt4_1106_preview
  test::TempDir tmp;
  write_bundle(b, tmp.file("ae"));
  EXPECT_EQ(load_bundle(tmp.file("ae")).query_count(), 796u);

  // llama-2-13b-chat-hf has no AlpacaEval 2 annotations.
  try {
    (void)import({"vicuna-13b", "llama-2-13b-chat-hf"}, "weighted_alpaca_eval_gpt4_turbo");
    ADD_FAILURE() << "imported a model without the reward annotator's file";
  } catch (const InputError& e) {
    EXPECT_THAT(
        e.what(),
        HasSubstr(
            "llama-2-13b-chat-hf/weighted_alpaca_eval_gpt4_turbo/annotations.json: model "
            "\"llama-2-13b-chat-hf\" has no \"weighted_alpaca_eval_gpt4_turbo\" annotations"));
  }
}

}  // namespace
}  // namespace zooter::suites
