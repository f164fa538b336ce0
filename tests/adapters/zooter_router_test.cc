// The `zooter` adapter end to end on an in-memory bundle: both protocols (train split, k-fold),
// reward sources, router files, thread-count independence, and cost-aware routing (lambda=).
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>

#include "adapters/adapter.h"
#include "adapters/router/router.h"
#include "adapters/router/router_file.h"
#include "harness/bundle.h"
#include "harness/error.h"
#include "harness/run_context.h"
#include "tests/adapters/router/topic_bundle.h"
#include "tests/helpers.h"

namespace zooter::adapters {
namespace {

using router::testing::make_topic_bundle;
using router::testing::split_queries;
using router::testing::TopicBundleOptions;

// Small and quick: a 4096-bucket featuriser and 4 epochs are plenty for the topic bundle.
constexpr const char* kQuick = "dim=4096,epochs=4,lr=0.05,batch=8";

struct AdapterRun {
  std::unique_ptr<Adapter> adapter;
  std::vector<Decision> decisions;
  std::vector<std::uint32_t> evaluated;
};

AdapterRun run_adapter(const Bundle& b, const std::string& spec, int threads = 2) {
  const bool has_train = b.manifest.find_split("train").has_value();
  const std::vector<std::uint32_t> train =
      has_train ? split_queries(b, 0) : std::vector<std::uint32_t>{};
  AdapterRun r;
  r.evaluated = split_queries(b, has_train ? 1 : 0);
  const RunContext run(threads, 3);
  const AdapterContext context{b,
                               r.evaluated,
                               train,
                               "test",
                               has_train ? "train" : "",
                               has_train && b.manifest.splits[0].gold_for_training,
                               run};
  r.adapter = make_adapter(AdapterSpec::parse(spec), context);
  r.decisions = r.adapter->decide(r.evaluated, run);
  return r;
}

// Share of evaluated queries routed to their topic's best candidate (topic = index % 3).
double accuracy(const AdapterRun& r) {
  std::size_t right = 0;
  for (std::size_t i = 0; i < r.evaluated.size(); ++i) {
    right += static_cast<std::size_t>(r.decisions[i].answer) == r.evaluated[i] % 3 ? 1 : 0;
  }
  return static_cast<double>(right) / static_cast<double>(r.evaluated.size());
}

std::string all_notes(const Adapter& a) {
  std::string out;
  for (const std::string& n : a.notes()) out += n + "\n";
  return out;
}

TEST(ZooterRouter, TrainsOnTrainSplitAndRoutesOnce) {
  const Bundle b = make_topic_bundle();
  const AdapterRun r = run_adapter(b, std::string("zooter@beta=0.3,reward=qwen-rm,") + kQuick);
  EXPECT_EQ(r.adapter->kind(), "router");
  // Named by the canonical spec: arguments sorted by key.
  EXPECT_EQ(r.adapter->name(), "zooter@batch=8,beta=0.3,dim=4096,epochs=4,lr=0.05,reward=qwen-rm");
  EXPECT_EQ(accuracy(r), 1.0);
  for (const Decision& d : r.decisions) {
    EXPECT_EQ(d.router_calls, 1);
    EXPECT_EQ(d.generated, std::uint64_t{1} << d.answer);
    EXPECT_EQ(d.scored, 0u);
  }
  EXPECT_EQ(r.adapter->router_parameters(), 4096.0 * 3 + 3);
  EXPECT_GT(r.adapter->router_flops_per_query(), 2 * 3 * 10.0);
  const std::string notes = all_notes(*r.adapter);
  EXPECT_NE(notes.find("trained on the \"train\" split (120 queries; reward=qwen-rm beta=0.3"),
            std::string::npos)
      << notes;
  EXPECT_NE(notes.find("tag enhancement over 3 tags (bundle)"), std::string::npos) << notes;
}

TEST(ZooterRouter, DefaultRewardIsQwenRm) {
  const Bundle b = make_topic_bundle();
  // other-rm is listed first but prefers the wrong candidate: qwen-rm must be the default.
  const AdapterRun r = run_adapter(b, std::string("zooter@") + kQuick);
  EXPECT_EQ(accuracy(r), 1.0);
  EXPECT_NE(all_notes(*r.adapter).find("reward=qwen-rm"), std::string::npos);
  const AdapterRun other = run_adapter(b, std::string("zooter@reward=other-rm,") + kQuick);
  EXPECT_EQ(accuracy(other), 0.0);  // it learnt other-rm's (wrong) preference
}

TEST(ZooterRouter, GoldRewardNeedsUsableGold) {
  TopicBundleOptions o;
  o.reward_models = false;
  const Bundle usable = make_topic_bundle(o);
  const AdapterRun r =
      run_adapter(usable, std::string("zooter@") + kQuick);  // default falls back to gold
  EXPECT_EQ(accuracy(r), 1.0);
  EXPECT_NE(all_notes(*r.adapter).find("reward=gold"), std::string::npos);

  o.train_gold_usable = false;
  const Bundle locked = make_topic_bundle(o);
  EXPECT_THROW(run_adapter(locked, std::string("zooter@reward=gold,") + kQuick), InputError);
  EXPECT_THROW(run_adapter(locked, std::string("zooter@") + kQuick), UsageError);
}

TEST(ZooterRouter, KFoldWithoutTrainSplit) {
  TopicBundleOptions o;
  o.train_split = false;
  const Bundle b = make_topic_bundle(o);
  const AdapterRun r = run_adapter(b, std::string("zooter@folds=3,") + kQuick);
  EXPECT_EQ(r.decisions.size(), b.query_count());
  EXPECT_EQ(accuracy(r), 1.0);
  const std::string notes = all_notes(*r.adapter);
  EXPECT_NE(notes.find("3-fold cross-fitting on the evaluated \"test\" queries"), std::string::npos)
      << notes;
  // folds= is meaningless when there is a train split.
  EXPECT_THROW(run_adapter(make_topic_bundle(), "zooter@folds=3"), UsageError);
}

TEST(ZooterRouter, ClusterTagsWhenBundleHasNone) {
  TopicBundleOptions o;
  o.tags = false;
  const Bundle b = make_topic_bundle(o);
  const AdapterRun plain = run_adapter(b, std::string("zooter@") + kQuick);
  EXPECT_NE(all_notes(*plain.adapter).find("carry no tags"), std::string::npos);
  const AdapterRun clustered = run_adapter(b, std::string("zooter@tags=cluster:3,") + kQuick);
  EXPECT_NE(all_notes(*clustered.adapter).find("over 3 tags (cluster:3)"), std::string::npos)
      << all_notes(*clustered.adapter);
  EXPECT_EQ(accuracy(clustered), 1.0);
}

TEST(ZooterRouter, HiddenLayerAndHardLabels) {
  const Bundle b = make_topic_bundle();
  EXPECT_EQ(accuracy(run_adapter(b, std::string("zooter@hidden=8,") + kQuick)), 1.0);
  EXPECT_EQ(accuracy(run_adapter(b, std::string("zooter@hard-label=1,beta=1,") + kQuick)), 1.0);
}

TEST(ZooterRouter, SameDecisionsForAnyThreadCount) {
  TopicBundleOptions o;
  o.train_split = false;
  const Bundle b = make_topic_bundle(o);
  const std::string spec = std::string("zooter@hidden=4,tags=cluster:4,") + kQuick;
  const AdapterRun one = run_adapter(b, spec, 1), four = run_adapter(b, spec, 4);
  ASSERT_EQ(one.decisions.size(), four.decisions.size());
  for (std::size_t i = 0; i < one.decisions.size(); ++i) {
    EXPECT_EQ(one.decisions[i].answer, four.decisions[i].answer);
  }
}

TEST(ZooterRouter, LoadsSavedRouter) {
  const Bundle b = make_topic_bundle();
  const std::vector<std::uint32_t> train = split_queries(b, 0);
  router::RouterOptions options;
  options.featuriser.dimension = 4096;
  options.trainer.epochs = 4;
  options.trainer.optimiser.learning_rate = 0.05;
  const router::Router trained =
      router::train_router({b, train, true, "split train (120 queries)"}, options, RunContext(1));
  const std::string path =
      (std::filesystem::temp_directory_path() / "zooter_router_adapter_test.router").string();
  router::save_router(trained, path);
  const AdapterRun r = run_adapter(b, "zooter@file=" + path);
  EXPECT_EQ(accuracy(r), 1.0);
  EXPECT_NE(all_notes(*r.adapter).find("router loaded from " + path), std::string::npos);
  EXPECT_THROW(run_adapter(b, "zooter@file=" + path + ",beta=0.5"), UsageError);

  Bundle renamed = b;
  renamed.manifest.models[2].name = "delta";
  try {
    (void)run_adapter(renamed, "zooter@file=" + path);
    FAIL();
  } catch (const InputError& e) {
    EXPECT_EQ(std::string(e.what()),
              path + ": router candidate \"gamma\" is not a candidate of the bundle");
  }
  std::remove(path.c_str());
}

TEST(ZooterRouter, RejectsBadArguments) {
  const Bundle b = make_topic_bundle();
  EXPECT_THROW(run_adapter(b, "zooter@bogus=1"), UsageError);
  EXPECT_THROW(run_adapter(b, "zooter@beta=2"), UsageError);
  EXPECT_THROW(run_adapter(b, "zooter@epochs=0"), UsageError);
  EXPECT_THROW(run_adapter(b, "zooter@normalise=zz"), UsageError);
  EXPECT_THROW(run_adapter(b, "zooter@tags=cluster:0"), UsageError);
  EXPECT_THROW(run_adapter(b, "zooter@hard-label=yes"), UsageError);
  EXPECT_THROW(run_adapter(b, "zooter@char-ngram=9"), UsageError);
  EXPECT_THROW(run_adapter(b, "zooter@reward=nope"), InputError);
}

// Cost-aware routing: zooter@lambda=X and the sweep entry point decide_at_lambda, on the topic
// bundle with planted prices (alpha 1, beta 0.5, gamma 0.25 relative cost).
namespace cost_aware {

using test::TempDir;

constexpr const char* kQuick = "beta=0.3,reward=qwen-rm,dim=4096,epochs=4,lr=0.05,batch=8";

struct Built {
  std::vector<std::uint32_t> train, evaluated;
  std::unique_ptr<Adapter> adapter;
};

Built build(const Bundle& b, const std::string& spec, int threads = 2) {
  Built out{split_queries(b, 0), split_queries(b, 1), nullptr};
  const RunContext run(threads, 3);
  const AdapterContext context{b, out.evaluated, out.train, "test", "train", true, run};
  out.adapter = make_adapter(AdapterSpec::parse(spec), context);
  return out;
}

std::vector<int> answers(const std::vector<Decision>& decisions) {
  std::vector<int> out;
  for (const Decision& d : decisions) out.push_back(d.answer);
  return out;
}

TEST(CostAwareZooter, LambdaZeroRoutesLikePlainZooter) {
  const Bundle b = router::testing::make_priced_topic_bundle();
  const Built plain = build(b, std::string("zooter@") + kQuick);
  const Built zero = build(b, std::string("zooter@") + kQuick + ",lambda=0");
  const RunContext run(2);
  EXPECT_EQ(answers(plain.adapter->decide(plain.evaluated, run)),
            answers(zero.adapter->decide(zero.evaluated, run)));
  EXPECT_TRUE(plain.adapter->cost_aware());
}

TEST(CostAwareZooter, LargeLambdaSendsEverythingToTheCheapest) {
  const Bundle b = router::testing::make_priced_topic_bundle();
  // p - 10 x cost: gamma's p - 2.5 beats beta's p - 5 and alpha's p - 10 for any p in [0, 1].
  const Built big = build(b, std::string("zooter@") + kQuick + ",lambda=10");
  const RunContext run(2);
  for (const Decision& d : big.adapter->decide(big.evaluated, run)) {
    EXPECT_EQ(d.answer, 2);
    EXPECT_EQ(d.router_calls, 1);
  }
  bool noted = false;
  for (const std::string& n : big.adapter->notes()) {
    noted |= n.find("lambda 10") != std::string::npos && n.find("mean dollars per query") != std::string::npos &&
             n.find("alpha 1.000, beta 0.500, gamma 0.250") != std::string::npos;
  }
  EXPECT_TRUE(noted);
}

TEST(CostAwareZooter, RouterFileWithLambdaTakesTheArgmaxOfPMinusLambdaCost) {
  const Bundle b = router::testing::make_priced_topic_bundle();
  const std::vector<std::uint32_t> train = split_queries(b, 0);
  const RunContext run(1, 3);
  router::RouterOptions options;
  options.reward = "qwen-rm";
  options.featuriser.dimension = 4096;
  options.trainer.epochs = 2;  // an unsure router: probabilities away from 0 and 1
  const router::Router r = router::train_router({b, train, true, "train"}, options, run);
  TempDir dir;
  router::save_router(r, dir.file("r.router"));
  const std::vector<double> cost = {1.0, 0.5, 0.25};
  std::size_t differs_from_plain = 0;
  for (const double lambda : {0.2, 0.6, 1.5}) {
    const Built z = build(b, "zooter@file=" + dir.file("r.router") + ",lambda=" + fmt::format("{:g}", lambda), 1);
    const std::vector<Decision> d = z.adapter->decide(z.evaluated, run);
    ASSERT_EQ(d.size(), z.evaluated.size());
    for (std::size_t i = 0; i < z.evaluated.size(); ++i) {
      const std::vector<double> p = r.probabilities(b.queries.text[z.evaluated[i]]);
      int expected = 0;
      for (int c = 1; c < 3; ++c) {
        if (p[c] - lambda * cost[c] > p[expected] - lambda * cost[expected]) expected = c;
      }
      EXPECT_EQ(d[i].answer, expected) << "lambda " << lambda << ", query " << i;
      const int plain = static_cast<int>(std::max_element(p.begin(), p.end()) - p.begin());
      differs_from_plain += expected != plain ? 1 : 0;
    }
    // The sweep entry point gives the same decisions without rebuilding.
    const Built zero = build(b, "zooter@file=" + dir.file("r.router"), 1);
    EXPECT_EQ(answers(zero.adapter->decide_at_lambda(zero.evaluated, lambda, run)), answers(d));
  }
  EXPECT_GT(differs_from_plain, 0u) << "the lambdas chosen never change a decision: a weak test";
  EXPECT_THROW((void)build(b, "zooter@file=" + dir.file("r.router") + ",beta=0.3"), UsageError);
}

TEST(CostAwareZooter, RejectsBadLambdaAndNonCostAwareAdapters) {
  const Bundle b = router::testing::make_priced_topic_bundle();
  EXPECT_THROW((void)build(b, std::string("zooter@") + kQuick + ",lambda=-1"), UsageError);
  EXPECT_THROW((void)build(b, std::string("zooter@") + kQuick + ",lambda=x"), UsageError);
  EXPECT_THROW((void)build(b, std::string("zooter@") + kQuick + ",lambda=inf"), UsageError);
  const Built oracle = build(b, "oracle");
  EXPECT_FALSE(oracle.adapter->cost_aware());
  EXPECT_THROW((void)oracle.adapter->decide_at_lambda(oracle.evaluated, 0.5, RunContext(1)), UsageError);
}

}  // namespace cost_aware

}  // namespace
}  // namespace zooter::adapters
