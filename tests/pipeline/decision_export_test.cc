// `zooter run --decisions DIR` (pipeline/decision_export.h): the files it writes, their names,
// and the round trip through decisions@file=PATH for every built-in adapter on a small bundle
// (the paper simulation and RouterDC are in decisions_round_trip_test.cc, a ctest entry of its own).
#include "pipeline/decision_export.h"

#include <gtest/gtest.h>

#include "harness/run_context.h"
#include "pipeline/run_pipeline.h"
#include "tests/adapters/router/topic_bundle.h"
#include "tests/helpers.h"
#include "tests/pipeline/decisions_round_trip.h"

namespace zooter::pipeline {
namespace {

using adapters::router::testing::make_priced_topic_bundle;
using adapters::router::testing::make_topic_bundle;
using adapters::router::testing::TopicBundleOptions;

// Every built-in adapter, at settings small enough for the topic bundle.
std::vector<std::string> every_builtin_adapter() {
  return {"single@alpha", "single@beta",   "single@gamma",
          "best-single",  "random",        "oracle",
          "rmr@other-rm", "rmr@qwen-rm",   "zooter@beta=0.3,reward=qwen-rm,dim=4096,epochs=4,lr=0.05,batch=8",
          "cascade@threshold=1,scorer=qwen-rm", "knn@k=5", "mf@dim=4", "sw-ranking", "mlp@hidden=8"};
}

TEST(DecisionExport, FileNamesAreSafeAndDistinct) {
  EXPECT_EQ(decisions_file_name("oracle"), "oracle.jsonl");
  EXPECT_EQ(decisions_file_name("best-single"), "best-single.jsonl");
  const std::string a = decisions_file_name("single@a_b");
  const std::string b = decisions_file_name("single_a@b");
  EXPECT_EQ(a.substr(0, 11), "single_a_b-");
  EXPECT_EQ(b.substr(0, 11), "single_a_b-");
  EXPECT_NE(a, b);
  EXPECT_EQ(decisions_file_name("decisions@file=../../etc/passwd").find('/'), std::string::npos);
  EXPECT_LE(decisions_file_name(std::string(500, 'x')).size(), 100u + 9u + 6u);
}

TEST(DecisionExport, WritesOneFilePerAdapterAndTheLongCsv) {
  TopicBundleOptions o;
  o.queries_per_topic = 2;  // q4 (code, beta best) and q5 (poetry, gamma best) are evaluated
  const Bundle b = make_topic_bundle(o);
  const test::TempDir dir;
  const std::vector<AdapterRun> runs = {
      {"oracle", "baseline", {}, 0.0, 0.0, {Decision::single(1), Decision::single(2)}},
      {"rmr@qwen-rm", "ranker", {}, 0.0, 0.0, {}},
      {"random", "baseline", {}, 0.0, 0.0, {}},
  };
  std::vector<AdapterRun> all = runs;
  Decision ranked = Decision::single(0);
  ranked.generated = 7;
  ranked.scored = 7;
  ranked.reward_model = 1;
  all[1].decisions = {ranked, ranked};
  Decision uniform;
  uniform.answer = Decision::kUniform;
  all[2].decisions = {uniform, uniform};
  all[0].router_flops_per_query = 5.0;
  all[0].decisions[0].router_calls = 1;
  const std::vector<std::uint32_t> queries = {4, 5};
  write_decisions(b, queries, all, {}, {true, false, false}, dir.file("out"));
  EXPECT_EQ(test::read_file(dir.file("out/oracle.jsonl")),
            "{\"query\": \"q4\", \"model\": \"beta\", \"router_flops\": 5}\n"
            "{\"query\": \"q5\", \"model\": \"gamma\", \"router_flops\": 0}\n");
  EXPECT_EQ(test::read_file(dir.file("out/index.csv")),
            "adapter,file,spec\noracle,oracle.jsonl,\"decisions@file=oracle.jsonl,reference=1\"\n"
            "rmr@qwen-rm," + decisions_file_name("rmr@qwen-rm") + ",decisions@file=" +
                decisions_file_name("rmr@qwen-rm") + "\nrandom,random.jsonl,decisions@file=random.jsonl\n");
  // Gold: 0.9 for the topic's candidate, 0.3 otherwise; $0.001 a response.
  EXPECT_EQ(test::read_file(dir.file("out/decisions.csv")),
            "query,subset,adapter,model,gold,generations,dollars\n"
            "q4,code,oracle,beta,0.9,1,0.001\n"
            "q5,poetry,oracle,gamma,0.9,1,0.001\n"
            "q4,code,rmr@qwen-rm,alpha,0.3,3,0.003\n"
            "q5,poetry,rmr@qwen-rm,alpha,0.3,3,0.003\n"
            "q4,code,random,uniform,0.5,1,0.001\n"
            "q5,poetry,random,uniform,0.5,1,0.001\n");
}

TEST(DecisionExport, EveryBuiltinAdapterRoundTrips) {
  RunSettings s;
  s.adapters = every_builtin_adapter();
  s.bootstrap = 50;
  testing::expect_round_trip(make_priced_topic_bundle(), s);
}

// knn, mf, sw-ranking and mlp write their predicted quality as "scores": read back, the lambda
// sweep, APGR and CPT are those of the routers themselves.
TEST(DecisionExport, LearnedRoutersSweepTheSameFromTheirFiles) {
  RunSettings s;
  s.adapters = {"knn@k=5", "mf@dim=4", "sw-ranking", "mlp@hidden=8",
                "zooter@beta=0.3,reward=qwen-rm,dim=4096,epochs=4,lr=0.05,batch=8", "best-single"};
  s.bootstrap = 0;
  s.sweep_lambdas = {0, 0.1, 0.5, 2};
  s.strong = "alpha";
  s.weak = "gamma";
  testing::expect_round_trip(make_priced_topic_bundle(), s);
}

// A seeds=N adapter's row is a seed-mean, which no one set of decisions makes: --decisions
// writes one file per seed, named by the spec of that seed alone, byte for byte the file a run
// of that spec writes (scores included).
TEST(DecisionExport, SeededAdapterWritesOneFilePerSeed) {
  TopicBundleOptions o;
  o.queries_per_topic = 30;
  const Bundle b = make_topic_bundle(o);
  const test::TempDir dir;
  auto run = [&](const std::string& spec, const std::string& out) {
    RunSettings s;
    s.adapters = {spec, "best-single"};
    s.bootstrap = 0;
    s.decisions_dir = dir.file(out);
    (void)run_evaluation(b, s, RunContext(1));
  };
  run("mf@dim=2,epochs=1,lr=0.05,seed=3,seeds=3", "seeded");
  run("mf@dim=2,epochs=1,lr=0.05,seed=4", "alone");
  EXPECT_EQ(test::read_file(dir.file("seeded/index.csv")),
            "adapter,file,spec\n"
            "\"mf@dim=2,epochs=1,lr=0.05,seed=3\"," + decisions_file_name("mf@dim=2,epochs=1,lr=0.05,seed=3") +
                ",decisions@file=" + decisions_file_name("mf@dim=2,epochs=1,lr=0.05,seed=3") + "\n"
            "\"mf@dim=2,epochs=1,lr=0.05,seed=4\"," + decisions_file_name("mf@dim=2,epochs=1,lr=0.05,seed=4") +
                ",decisions@file=" + decisions_file_name("mf@dim=2,epochs=1,lr=0.05,seed=4") + "\n"
            "\"mf@dim=2,epochs=1,lr=0.05,seed=5\"," + decisions_file_name("mf@dim=2,epochs=1,lr=0.05,seed=5") +
                ",decisions@file=" + decisions_file_name("mf@dim=2,epochs=1,lr=0.05,seed=5") + "\n"
            "best-single,best-single.jsonl,decisions@file=best-single.jsonl\n");
  const std::string seed4 = decisions_file_name("mf@dim=2,epochs=1,lr=0.05,seed=4");
  const std::string seeded = test::read_file(dir.file("seeded/" + seed4));
  EXPECT_FALSE(seeded.empty());
  EXPECT_EQ(seeded, test::read_file(dir.file("alone/" + seed4)));
  EXPECT_NE(seeded, test::read_file(dir.file("seeded/" + decisions_file_name("mf@dim=2,epochs=1,lr=0.05,seed=3"))));
}

}  // namespace
}  // namespace zooter::pipeline
