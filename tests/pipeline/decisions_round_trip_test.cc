// The round trip of issue 21 at full size (its own ctest entry, decisions_round_trip: about
// 25 to 40 s on two shared cores, more than half of it RouterDC): every built-in adapter on the paper simulation, and on RouterDC when
// ../shared/data is present, written by --decisions and read back through decisions@file
// gives the same report (tests/pipeline/decisions_round_trip.h says which fields may differ).
#include <gtest/gtest.h>

#include <filesystem>

#include "harness/run_context.h"
#include "suites/importer.h"
#include "suites/paper_sim.h"
#include "tests/pipeline/decisions_round_trip.h"
#include "tests/support/test_paths.h"

namespace zooter::pipeline {
namespace {

TEST(DecisionsRoundTrip, PaperSimulationEveryBuiltinAdapter) {
  // 2,000 training queries keep the learned routers quick; the test split is the paper's.
  const Bundle b = suites::synthesize_paper_bundle({1, 2000}, RunContext(2));
  RunSettings s;
  s.adapters = {"best-single", "random", "oracle", "zooter@beta=0.3,reward=qwen-rm",
                "cascade@threshold=0.5,scorer=qwen-rm", "knn@k=10", "mf@dim=16", "sw-ranking", "mlp@hidden=16"};
  for (const Model& m : b.manifest.models) s.adapters.push_back("single@" + m.name);
  for (const RewardModel& r : b.manifest.reward_models) s.adapters.push_back("rmr@" + r.name);
  s.bootstrap = 20;
  testing::expect_round_trip(b, s);
}

TEST(DecisionsRoundTrip, RouterDcInAndOutOfDistribution) {
  const std::string source = test::shared_data("/RouterDC/datasets/split2_model7");
  if (!std::filesystem::is_directory(source)) {
    GTEST_SKIP() << "no real RouterDC data at " << source << " (ZOOTER_SHARED_DATA): nothing to check";
  }
  suites::ImportOptions o;
  o.source = source;
  const Bundle b = suites::make_importer("routerdc")->import(o);
  for (const char* split : {"test", "ood"}) {
    SCOPED_TRACE(split);
    RunSettings s;
    s.split = split;
    s.train_split = "train";
    s.adapters = {"best-single", "random", "oracle", "zooter@reward=gold", "knn@k=10", "mf@dim=16",
                  "sw-ranking", "mlp@hidden=16"};
    for (const Model& m : b.manifest.models) s.adapters.push_back("single@" + m.name);
    s.bootstrap = 20;
    testing::expect_round_trip(b, s);
  }
}

}  // namespace
}  // namespace zooter::pipeline
