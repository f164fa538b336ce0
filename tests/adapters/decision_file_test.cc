// The decisions file (adapters/decision_file.h): what a good JSONL or CSV file gives, every
// class of bad input with its exact "path:line: message", and the writer's lines read back.
#include "adapters/decision_file.h"

#include <gtest/gtest.h>

#include <cmath>

#include "harness/bundle.h"
#include "harness/error.h"
#include "tests/adapters/router/topic_bundle.h"
#include "tests/helpers.h"

namespace zooter::adapters {
namespace {

using router::testing::make_topic_bundle;
using router::testing::split_queries;
using router::testing::TopicBundleOptions;

// Six queries: q0..q3 train, q4 and q5 test; candidates alpha, beta, gamma; reward models
// other-rm and qwen-rm.
Bundle six_query_bundle() {
  TopicBundleOptions o;
  o.queries_per_topic = 2;
  return make_topic_bundle(o);
}

struct Fixture {
  Bundle bundle = six_query_bundle();
  std::vector<std::uint32_t> evaluated = split_queries(bundle, 1);
  test::TempDir dir;

  DecisionFile read(const std::string& name, const std::string& text) {
    const std::string path = dir.file(name);
    test::write_file(path, text);
    return read_decision_file(path, bundle, evaluated, "test");
  }
  // The error message for a file, with the scratch path replaced by "F".
  std::string error(const std::string& text, const std::string& name = "d.jsonl") {
    try {
      (void)read(name, text);
    } catch (const InputError& e) {
      std::string message = e.what();
      const std::string path = dir.file(name);
      for (std::size_t at; (at = message.find(path)) != std::string::npos;) message.replace(at, path.size(), "F");
      return message;
    }
    return "no error";
  }
};

TEST(DecisionFile, ReadsJsonlIntoEvaluatedOrder) {
  Fixture f;
  const DecisionFile file = f.read("d.jsonl",
      "{\"query\": \"q5\", \"model\": \"gamma\", \"scores\": {\"alpha\": 0.1, \"beta\": 0.2, \"gamma\": 0.7}, "
      "\"router_flops\": 100, \"router_seconds\": 0.5, \"router_dollars\": 0.25}\n"
      "{\"query\": \"q4\", \"model\": \"beta\", \"scores\": {\"gamma\": 3, \"beta\": 2, \"alpha\": 1}, "
      "\"router_flops\": 300, \"router_seconds\": 1.5, \"router_dollars\": 0.75}\n");
  ASSERT_EQ(file.decisions.size(), 2u);
  EXPECT_EQ(file.decisions[0].answer, 1);  // q4 -> beta
  EXPECT_EQ(file.decisions[0].generated, 2u);
  EXPECT_EQ(file.decisions[0].router_calls, 1);
  EXPECT_EQ(file.decisions[1].answer, 2);  // q5 -> gamma
  EXPECT_EQ(file.scores, (std::vector<double>{1, 2, 3, 0.1, 0.2, 0.7}));
  EXPECT_EQ(file.router.flops, 400.0);
  EXPECT_EQ(file.router.seconds, 2.0);
  EXPECT_EQ(file.router.dollars, 1.0);
  EXPECT_EQ(file.lines, 2u);
  EXPECT_EQ(file.outside_split, 0u);
}

TEST(DecisionFile, LinesOfOtherSplitsAreCountedAndLeftOut) {
  Fixture f;
  const DecisionFile file = f.read("d.jsonl",
      "{\"query\": \"q0\", \"model\": \"alpha\"}\n{\"query\": \"q4\", \"model\": \"beta\"}\n"
      "{\"query\": \"q3\", \"model\": \"alpha\"}\n{\"query\": \"q5\", \"model\": \"gamma\"}\n");
  EXPECT_EQ(file.outside_split, 2u);
  EXPECT_EQ(file.lines, 4u);
}

TEST(DecisionFile, CsvGivesWhatJsonlGives) {
  Fixture f;
  const DecisionFile file = f.read("d.csv",
      "model,query,score:gamma,score:beta,score:alpha,router_flops\r\n"
      "gamma,q5,0.7,0.2,0.1,100\r\n"
      "\"beta\",\"q4\",3,2,1,300\r\n");
  ASSERT_EQ(file.decisions.size(), 2u);
  EXPECT_EQ(file.decisions[0].answer, 1);
  EXPECT_EQ(file.decisions[1].answer, 2);
  EXPECT_EQ(file.scores, (std::vector<double>{1, 2, 3, 0.1, 0.2, 0.7}));
  EXPECT_EQ(file.router.flops, 400.0);
  EXPECT_FALSE(file.router.seconds.has_value());
  // A doubled quote inside a quoted field is one quote.
  EXPECT_EQ(f.error("query,model\nq4,\"be\"\"ta\"\nq5,alpha\n", "e.csv"),
            "F:2: model: unknown model \"be\"ta\" (candidates: alpha, beta, gamma)");
  // The importers' CSV reader: a quoted field may span lines; the record keeps the line it
  // starts on, and an empty line holds no record.
  EXPECT_EQ(f.error("query,model\n\nq4,\"be\nta\"\nq5,alpha\n", "e.csv"),
            "F:3: model: unknown model \"be\nta\" (candidates: alpha, beta, gamma)");
}

TEST(DecisionFile, BaselineFieldsRebuildTheDecision) {
  Fixture f;
  const DecisionFile file = f.read("d.jsonl",
      "{\"query\": \"q4\", \"model\": \"beta\", \"generated\": [\"alpha\", \"beta\", \"gamma\"], "
      "\"scored\": [\"alpha\", \"beta\", \"gamma\"], \"reward_model\": \"qwen-rm\"}\n"
      "{\"query\": \"q5\", \"uniform\": true}\n");
  EXPECT_EQ(file.decisions[0].answer, 1);
  EXPECT_EQ(file.decisions[0].generated, 7u);
  EXPECT_EQ(file.decisions[0].scored, 7u);
  EXPECT_EQ(file.decisions[0].reward_model, 1);
  EXPECT_EQ(file.decisions[0].router_calls, 0);
  EXPECT_EQ(file.decisions[1].answer, Decision::kUniform);
  EXPECT_TRUE(file.scores.empty());
}

TEST(DecisionFile, WrittenLinesReadBackToTheSameDecisions) {
  Fixture f;
  Decision ranked = Decision::single(2);
  ranked.generated = 7;
  ranked.scored = 5;
  ranked.reward_model = 0;
  Decision uniform;
  uniform.answer = Decision::kUniform;
  const std::string q4 = decision_json_line(f.bundle, 4, ranked, std::nullopt);
  EXPECT_EQ(q4, "{\"query\": \"q4\", \"model\": \"gamma\", \"generated\": [\"alpha\", \"beta\", \"gamma\"], "
                "\"scored\": [\"alpha\", \"gamma\"], \"reward_model\": \"other-rm\"}");
  EXPECT_EQ(decision_json_line(f.bundle, 5, uniform, std::nullopt), "{\"query\": \"q5\", \"uniform\": true}");
  EXPECT_EQ(decision_json_line(f.bundle, 5, Decision::single(0), 2.5e9),
            "{\"query\": \"q5\", \"model\": \"alpha\", \"router_flops\": 2500000000}");
  const DecisionFile file = f.read("d.jsonl", q4 + "\n" + decision_json_line(f.bundle, 5, uniform, std::nullopt) + "\n");
  EXPECT_EQ(file.decisions[0].answer, ranked.answer);
  EXPECT_EQ(file.decisions[0].generated, ranked.generated);
  EXPECT_EQ(file.decisions[0].scored, ranked.scored);
  EXPECT_EQ(file.decisions[0].reward_model, ranked.reward_model);
  EXPECT_EQ(file.decisions[1].answer, Decision::kUniform);
}

TEST(DecisionFile, EveryBadInputHasItsMessage) {
  const std::string q5 = "{\"query\": \"q5\", \"model\": \"alpha\"}\n";
  struct Case {
    const char* what;
    std::string text;
    std::string message;
  };
  const std::vector<Case> cases = {
      {"unknown query", "{\"query\": \"q9\", \"model\": \"alpha\"}\n" + q5,
       "F:1: unknown query \"q9\" (not in the bundle)"},
      {"training query left out, so q4 is missing", "{\"query\": \"q0\", \"model\": \"alpha\"}\n" + q5,
       "F: no decision for query \"q4\" of the evaluated split \"test\""},
      {"training query checked", "{\"query\": \"q0\", \"model\": \"zeta\"}\n" + q5,
       "F:1: model: unknown model \"zeta\" (candidates: alpha, beta, gamma)"},
      {"unknown model", "{\"query\": \"q4\", \"model\": \"delta\"}\n" + q5,
       "F:1: model: unknown model \"delta\" (candidates: alpha, beta, gamma)"},
      {"duplicate", "{\"query\": \"q4\", \"model\": \"alpha\"}\n" + q5 + "{\"query\": \"q4\", \"model\": \"beta\"}\n",
       "F:3: duplicate decision for query \"q4\" (first at line 1)"},
      {"missing", q5, "F: no decision for query \"q4\" of the evaluated split \"test\""},
      {"NaN score",
       "{\"query\": \"q4\", \"model\": \"alpha\", \"scores\": {\"alpha\": NaN, \"beta\": 0, \"gamma\": 0}}\n",
       "F:1: scores: \"alpha\" is NaN, not a finite number"},
      {"infinite score",
       "{\"query\": \"q4\", \"model\": \"alpha\", \"scores\": {\"alpha\": -Infinity, \"beta\": 0, \"gamma\": 0}}\n",
       "F:1: scores: \"alpha\" is -inf, not a finite number"},
      {"score missing", "{\"query\": \"q4\", \"model\": \"alpha\", \"scores\": {\"alpha\": 1, \"beta\": 0}}\n",
       "F:1: scores: no score for model \"gamma\" (every candidate needs one)"},
      {"score of unknown model",
       "{\"query\": \"q4\", \"model\": \"alpha\", \"scores\": {\"alpha\": 1, \"beta\": 0, \"gamma\": 0, \"x\": 1}}\n",
       "F:1: scores: unknown model \"x\" (candidates: alpha, beta, gamma)"},
      {"scores on some lines",
       "{\"query\": \"q4\", \"model\": \"alpha\", \"scores\": {\"alpha\": 1, \"beta\": 0, \"gamma\": 0}}\n" + q5,
       "F:2: \"scores\" is missing here but given on line 1 (give it on every line or on none)"},
      {"negative router cost", "{\"query\": \"q4\", \"model\": \"alpha\", \"router_seconds\": -1}\n",
       "F:1: \"router_seconds\": -1 is not a finite number >= 0"},
      {"malformed", "{\"query\": \"q4\", \"model\": }\n" + q5,
       "F:1: column 26: invalid JSON: Invalid value.\n  | {\"query\": \"q4\", \"model\": }"},
      {"bad UTF-8", "{\"query\": \"q4\", \"model\": \"alph\xff\"}\n" + q5,
       "F:1: column 31: invalid JSON: Invalid encoding in string.\n  | {\"query\": \"q4\", \"model\": \"alph\\xff\"}"},
      {"not an object", "[1]\n" + q5, "F:1: expected a JSON object"},
      {"no model", "{\"query\": \"q4\"}\n" + q5, "F:1: \"model\" is missing"},
      {"unknown field", "{\"query\": \"q4\", \"model\": \"alpha\", \"gold\": 1}\n" + q5,
       "F:1: unknown field \"gold\" (known: query, model, scores, router_flops, router_seconds, router_dollars, "
       "generated, scored, reward_model, uniform)"},
      {"repeated key", "{\"query\": \"q4\", \"model\": \"alpha\", \"model\": \"beta\"}\n" + q5,
       "F:1: key \"model\" appears twice in one object (which value is meant?)"},
      {"empty line", "{\"query\": \"q4\", \"model\": \"alpha\"}\n\n" + q5, "F:2: empty line"},
      {"empty file", "", "F: file is empty"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.what);
    Fixture f;
    EXPECT_EQ(f.error(c.text), c.message);
  }
}

TEST(DecisionFile, EveryBadCsvHasItsMessage) {
  struct Case {
    const char* what;
    std::string text;
    std::string message;
  };
  const std::vector<Case> cases = {
      {"unknown column", "query,model,confidence\n", "F:1: unknown column \"confidence\" (known: query, model, "
                                                     "router_flops, router_seconds, router_dollars, score:MODEL)"},
      {"no model column", "query\nq4\n", "F:1: the header must name the columns \"query\" and \"model\""},
      {"repeated column", "query,model,query\nq4,alpha,q5\n",
       "F:1: column \"query\" appears twice in the header (columns 1 and 3)"},
      {"short row", "query,model\nq4\nq5,alpha\n", "F:2: 1 fields, but the header has 2"},
      {"open quote", "query,model\n\"q4,alpha\nq5,alpha\n", "F:2: quoted field is never closed (a '\"' is missing)"},
      {"quote in a bare field", "query,model\nq4,al\"pha\nq5,alpha\n",
       "F:2: '\"' inside an unquoted field (quote the field and double its quotes)"},
      {"bad number", "query,model,score:alpha,score:beta,score:gamma\nq4,alpha,1,x,0\nq5,alpha,1,0,0\n",
       "F:2: score:beta: \"x\" is not a number"},
      {"bad UTF-8", "query,model\nq4,alph\xff\nq5,alpha\n",
       "F:2: field 2: byte 5 is not valid UTF-8 (the file must be UTF-8)"},
      {"header only", "query,model\n", "F: no decisions after the header"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.what);
    Fixture f;
    EXPECT_EQ(f.error(c.text, "d.csv"), c.message);
  }
}

}  // namespace
}  // namespace zooter::adapters
