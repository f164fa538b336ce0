// The FrugalGPT cascade on the topic bundle (candidate t best on topic t; qwen-rm gives the best
// candidate about 2 and the others about 0): where it stops, what it generated and scored.
#include <gtest/gtest.h>

#include "adapters/adapter.h"
#include "harness/bundle.h"
#include "harness/error.h"
#include "harness/run_context.h"
#include "tests/adapters/router/topic_bundle.h"

namespace zooter::adapters {
namespace {

using router::testing::make_topic_bundle;
using router::testing::split_queries;

struct Built {
  std::vector<std::uint32_t> evaluated;
  std::unique_ptr<Adapter> adapter;
  std::vector<Decision> decisions;
};

Built build(const Bundle& b, const std::string& spec) {
  Built out{split_queries(b, 1), nullptr, {}};
  const std::vector<std::uint32_t> train = split_queries(b, 0);
  const RunContext run(2);
  const AdapterContext context{b, out.evaluated, train, "test", "train", true, run};
  out.adapter = make_adapter(AdapterSpec::parse(spec), context);
  out.decisions = out.adapter->decide(out.evaluated, run);
  return out;
}

constexpr std::uint64_t kAlpha = 1, kBeta = 2, kGamma = 4;

TEST(Cascade, StopsAtTheFirstAcceptedAnswerAndCountsEveryCall) {
  const Bundle b = make_topic_bundle();
  const Built c = build(b, "cascade@order=alpha,beta,gamma,scorer=qwen-rm,threshold=1");
  EXPECT_EQ(c.adapter->kind(), "ranker");
  for (std::size_t i = 0; i < c.evaluated.size(); ++i) {
    const Decision& d = c.decisions[i];
    switch (c.evaluated[i] % 3) {  // the query's topic
      case 0:  // alpha's answer scores ~2: accepted at once
        EXPECT_EQ(d.answer, 0);
        EXPECT_EQ(d.generated, kAlpha);
        EXPECT_EQ(d.scored, kAlpha);
        break;
      case 1:  // alpha rejected (~0), beta accepted
        EXPECT_EQ(d.answer, 1);
        EXPECT_EQ(d.generated, kAlpha | kBeta);
        EXPECT_EQ(d.scored, kAlpha | kBeta);
        break;
      default:  // both rejected: gamma, the last, answers unscored
        EXPECT_EQ(d.answer, 2);
        EXPECT_EQ(d.generated, kAlpha | kBeta | kGamma);
        EXPECT_EQ(d.scored, kAlpha | kBeta);
    }
    EXPECT_EQ(d.reward_model, 1);  // qwen-rm
    EXPECT_EQ(d.router_calls, 0);
  }
}

TEST(Cascade, AScoreEqualToTheThresholdIsAccepted) {
  Bundle b = make_topic_bundle();
  const std::vector<std::uint32_t> test = split_queries(b, 1);
  const std::uint32_t q = test[1];  // topic (q % 3) != 0: alpha would be rejected
  ASSERT_NE(q % 3, 0u);
  b.responses.rewards[1][b.responses.cell(q, 0)] = 1.5;
  const Built at = build(b, "cascade@order=alpha,beta,gamma,scorer=qwen-rm,threshold=1.5");
  EXPECT_EQ(at.decisions[1].answer, 0);
  EXPECT_EQ(at.decisions[1].generated, kAlpha);
  const Built above = build(b, "cascade@order=alpha,beta,gamma,scorer=qwen-rm,threshold=1.5000001");
  EXPECT_NE(above.decisions[1].answer, 0);
}

TEST(Cascade, DefaultOrderIsAscendingCost) {
  Bundle b = make_topic_bundle();
  const double price[] = {0.004, 0.001, 0.002};  // alpha, beta, gamma: order beta, gamma, alpha
  for (std::size_t q = 0; q < b.query_count(); ++q) {
    for (std::size_t m = 0; m < 3; ++m) b.responses.dollars[b.responses.cell(q, m)] = price[m];
  }
  const Built c = build(b, "cascade@scorer=qwen-rm,threshold=1");
  for (std::size_t i = 0; i < c.evaluated.size(); ++i) {
    if (c.evaluated[i] % 3 == 0) {  // alpha is best but called last: beta and gamma rejected
      EXPECT_EQ(c.decisions[i].generated, kAlpha | kBeta | kGamma);
      EXPECT_EQ(c.decisions[i].scored, kBeta | kGamma);
    }
  }
  bool noted = false;
  for (const std::string& n : c.adapter->notes()) noted |= n.find("beta -> gamma -> alpha") != std::string::npos;
  EXPECT_TRUE(noted);
}

TEST(Cascade, BadSpecs) {
  const Bundle b = make_topic_bundle();
  EXPECT_THROW((void)build(b, "cascade@scorer=qwen-rm"), UsageError);                  // no threshold
  EXPECT_THROW((void)build(b, "cascade@threshold=1"), UsageError);                     // two reward models
  EXPECT_THROW((void)build(b, "cascade@scorer=nosuch,threshold=1"), InputError);
  EXPECT_THROW((void)build(b, "cascade@order=alpha,nosuch,scorer=qwen-rm,threshold=1"), InputError);
  EXPECT_THROW((void)build(b, "cascade@order=alpha,alpha,scorer=qwen-rm,threshold=1"), UsageError);
  EXPECT_THROW((void)build(b, "cascade@scorer=qwen-rm,threshold=high"), UsageError);
}

}  // namespace
}  // namespace zooter::adapters
