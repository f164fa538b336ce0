// Paired tests against an adapter chosen for the run (run --versus): how a value names an
// adapter, every bad value's exact message, the tests' values worked out by hand on
// examples/tiny, and, on a seeded run, the same resampling as the tests against best-single.
#include "pipeline/versus_references.h"

#include <gtest/gtest.h>

#include <sstream>

#include "adapters/adapter_spec.h"
#include "harness/bundle.h"
#include "harness/bundle_loader.h"
#include "harness/error.h"
#include "harness/run_context.h"
#include "pipeline/run_pipeline.h"
#include "reports/writer.h"
#include "tests/adapters/router/topic_bundle.h"
#include "tests/support/test_paths.h"

namespace zooter::pipeline {
namespace {

std::vector<adapters::AdapterSpec> specs(const std::vector<std::string>& texts) {
  std::vector<adapters::AdapterSpec> out;
  for (const std::string& t : texts) out.push_back(adapters::AdapterSpec::parse(t));
  return out;
}

const std::vector<std::string> kRun = {"single@alpha", "single@beta", "best-single", "knn@k=5,reward=gold",
                                       "sw-ranking@gamma=10,k=200,reward=gold,seeds=5"};

TEST(VersusReferences, NamedInFullInAnySpellingOrByAUniqueKind) {
  const auto run = specs(kRun);
  EXPECT_EQ(resolve_versus(std::vector<std::string>{"single@beta"}, run), (std::vector<std::size_t>{1}));
  EXPECT_EQ(resolve_versus(std::vector<std::string>{"knn@reward=gold,k=05"}, run), (std::vector<std::size_t>{3}));
  EXPECT_EQ(resolve_versus(std::vector<std::string>{"sw-ranking", "knn"}, run), (std::vector<std::size_t>{4, 3}));
  EXPECT_TRUE(resolve_versus(std::vector<std::string>{}, run).empty());
}

TEST(VersusReferences, BadValuesAreUsageErrorsWithExactMessages) {
  const auto run = specs(kRun);
  struct Case {
    std::vector<std::string> wanted;
    std::string message;
  };
  const Case cases[] = {
      {{"mlp"},
       "--versus \"mlp\": no adapter of this run is named so or is of that kind (adapters: single@alpha, "
       "single@beta, best-single, knn@k=5,reward=gold, sw-ranking@gamma=10,k=200,reward=gold,seeds=5)"},
      {{"knn@k=6,reward=gold"},
       "--versus \"knn@k=6,reward=gold\": no adapter of this run is named so or is of that kind (adapters: "
       "single@alpha, single@beta, best-single, knn@k=5,reward=gold, sw-ranking@gamma=10,k=200,reward=gold,seeds=5)"},
      {{"single"}, "--versus \"single\": 2 adapters of this run are of that kind; name one in full "
                   "(single@alpha, single@beta)"},
      {{"best-single"}, "--versus \"best-single\": every adapter is already tested against best-single; "
                        "name another adapter"},
      {{"knn", "knn@k=5,reward=gold"}, "--versus \"knn@k=5,reward=gold\": adapter \"knn@k=5,reward=gold\" is "
                                       "given twice"},
      {{"knn@"}, "--versus \"knn@\": adapter spec \"knn@\": nothing after '@'"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.wanted.back());
    try {
      (void)resolve_versus(c.wanted, run);
      ADD_FAILURE() << "no error";
    } catch (const UsageError& e) {
      EXPECT_EQ(std::string(e.what()), c.message);
    }
  }
}

class TinyVersus : public ::testing::Test {
 protected:
  static reports::Report run(std::vector<std::string> versus, std::size_t bootstrap = 200) {
    const Bundle bundle = load_bundle(zooter::test::test_data("/../examples/tiny"));
    RunSettings s;
    s.versus = std::move(versus);
    s.bootstrap = bootstrap;
    return run_evaluation(bundle, s, RunContext(1));
  }
  static std::size_t position(const reports::Report& r, const std::string& name) {
    for (std::size_t a = 0; a < r.evaluation.adapters.size(); ++a) {
      if (r.evaluation.adapters[a].name == name) return a;
    }
    throw std::runtime_error("no adapter " + name);
  }
};

// Gold scores of the test queries (alpha, beta): helpful h1 (1, .5), h2 (0, 1); creative
// c1 (.5, 0), c2 (1, 0); math m1 (1, 0), m2 (0, 1), m3 (1, 0) (examples/tiny).
TEST_F(TinyVersus, AlphaAgainstBetaByHand) {
  const reports::Report r = run({"single@beta"});
  ASSERT_EQ(r.versus.size(), 1u);
  const std::size_t beta = position(r, "single@beta");
  EXPECT_EQ(r.versus[0].adapter, beta);
  const stats::Comparison& c = r.versus[0].comparisons[position(r, "single@alpha")];
  EXPECT_EQ(c.b, beta);
  // helpful: .5 - .75, one win one loss; creative: .75 - 0, two wins; math: 2/3 - 1/3, 2-1.
  EXPECT_DOUBLE_EQ(c.subsets[0].difference, -0.25);
  EXPECT_EQ(c.subsets[0].wins, 1u);
  EXPECT_EQ(c.subsets[0].losses, 1u);
  EXPECT_DOUBLE_EQ(c.subsets[1].difference, 0.75);
  EXPECT_EQ(c.subsets[1].wins, 2u);
  EXPECT_DOUBLE_EQ(c.subsets[1].sign_p, 0.5);  // 2 of 2: 2 x 0.5^2
  EXPECT_DOUBLE_EQ(c.subsets[2].difference, 1.0 / 3);
  EXPECT_DOUBLE_EQ(c.subsets[2].sign_p, 1.0);
  // chat: (.5 + .75)/2 - (.75 + 0)/2; exam: the math difference.
  EXPECT_DOUBLE_EQ(*c.groups[0].average_difference, 0.25);
  EXPECT_DOUBLE_EQ(*c.groups[1].average_difference, 1.0 / 3);
  EXPECT_EQ(c.overall.tally.better, 2u);
  // creative: alpha beats beta on both queries, so on every replicate: bootstrap p 0.
  EXPECT_EQ(c.subsets[1].bootstrap_p_holm, 0.0);
  EXPECT_EQ(c.overall.tally.significantly_better, 1u);
  EXPECT_EQ(c.overall.tally.worse, 1u);
  // 5 wins, 2 losses pooled: 2 x (1 + 7 + 21) / 2^7.
  EXPECT_EQ(c.overall.wins, 5u);
  EXPECT_EQ(c.overall.losses, 2u);
  EXPECT_NEAR(c.overall.sign_p, 58.0 / 128, 1e-12);
  // MTR: alpha 4/3 against beta 2 (tests/harness/evaluator_test.cc).
  EXPECT_DOUBLE_EQ(c.overall.mtr_difference, 4.0 / 3 - 2.0);
}

// best-single chooses gamma on the train split: tests against single@gamma are the tests
// against best-single, value for value, because both come from the same replicates.
TEST_F(TinyVersus, AgainstTheSameDecisionsAsBestSingleGivesItsTests) {
  const reports::Report r = run({"single@gamma"});
  for (std::size_t a = 0; a < r.evaluation.adapters.size(); ++a) {
    SCOPED_TRACE(r.evaluation.adapters[a].name);
    const stats::Comparison& versus = r.versus[0].comparisons[a];
    const stats::Comparison& best = r.versus_best_single[a];
    for (std::size_t s = 0; s < versus.subsets.size(); ++s) {
      EXPECT_EQ(versus.subsets[s].difference, best.subsets[s].difference);
      EXPECT_EQ(versus.subsets[s].bootstrap_p_holm, best.subsets[s].bootstrap_p_holm);
    }
    EXPECT_EQ(versus.groups[0].average_bootstrap_p, best.groups[0].average_bootstrap_p);
    EXPECT_EQ(versus.overall.mtr_bootstrap_p, best.overall.mtr_bootstrap_p);
  }
}

TEST_F(TinyVersus, NeedsTheBootstrap) {
  try {
    (void)run({"single@beta"}, 0);
    ADD_FAILURE() << "no error";
  } catch (const UsageError& e) {
    EXPECT_EQ(std::string(e.what()), "--versus needs the bootstrap: the paired tests are computed from "
                                     "its replicates (--bootstrap 0 turns them off)");
  }
}

TEST_F(TinyVersus, WithoutVersusNoWriterChanges) {
  const reports::Report plain = run({});
  EXPECT_TRUE(plain.versus.empty());
  const reports::Report with = run({"single@beta"});
  for (const std::string format : {"table", "markdown", "json", "csv", "html"}) {
    SCOPED_TRACE(format);
    std::ostringstream a, b;
    reports::make_writer(format)->write(plain, a);
    reports::make_writer(format)->write(with, b);
    EXPECT_EQ(a.str().find("single@beta (Holm"), std::string::npos);
    EXPECT_NE(a.str(), b.str());
  }
}

TEST_F(TinyVersus, EveryFormatShowsTheReference) {
  const reports::Report r = run({"single@beta"});
  auto text = [&](const std::string& format) {
    std::ostringstream out;
    reports::make_writer(format)->write(r, out);
    return out.str();
  };
  EXPECT_NE(text("table").find("\nPaired tests against single@beta (Holm across subsets, alpha 0.05; per "
                               "group: difference of the averages, paired bootstrap p):\n"),
            std::string::npos);
  EXPECT_NE(text("table").find("  single@alpha  better on 2 subsets (1 significantly), worse on 1 (0); chat +0.25 (p "),
            std::string::npos);
  EXPECT_NE(text("markdown").find("\n## Paired tests against single@beta\n"), std::string::npos);
  EXPECT_NE(text("markdown").find("| single@alpha | 2 (1) | 1 (0) | +0.25 (p "), std::string::npos);
  EXPECT_NE(text("json").find("\"versus\": {\n          \"single@beta\": {"), std::string::npos);
  EXPECT_NE(text("csv").find("single@alpha,candidate,chat,,,single@beta,average_difference,0.25\n"),
            std::string::npos);
  EXPECT_NE(text("html").find("vs single@beta:<br>better / worse<br>(significant)</th>"), std::string::npos);
}

// On a seeded run the tests against a chosen adapter resample the seeds as those against
// best-single do: best-single against the seeded router mirrors the router against best-single.
TEST(VersusReferencesSeeded, MirrorTheTestsAgainstBestSingle) {
  adapters::router::testing::TopicBundleOptions options;
  options.queries_per_topic = 30;
  const Bundle bundle = adapters::router::testing::make_topic_bundle(options);
  RunSettings s;
  s.adapters = {"mf@dim=2,epochs=1,lr=0.05,seeds=3", "best-single"};
  s.versus = {"mf"};
  s.bootstrap = 200;
  const reports::Report r = run_evaluation(bundle, s, RunContext(2));
  const stats::Comparison& router_vs_best = r.versus_best_single[0];
  const stats::Comparison& best_vs_router = r.versus[0].comparisons[1];
  EXPECT_EQ(best_vs_router.overall.tally.better, router_vs_best.overall.tally.worse);
  EXPECT_EQ(best_vs_router.overall.tally.worse, router_vs_best.overall.tally.better);
  ASSERT_FALSE(best_vs_router.groups.empty());
  EXPECT_DOUBLE_EQ(*best_vs_router.groups[0].average_difference, -*router_vs_best.groups[0].average_difference);
  EXPECT_EQ(best_vs_router.groups[0].average_bootstrap_p, router_vs_best.groups[0].average_bootstrap_p);
  EXPECT_EQ(best_vs_router.overall.mtr_bootstrap_p, router_vs_best.overall.mtr_bootstrap_p);
}

}  // namespace
}  // namespace zooter::pipeline
