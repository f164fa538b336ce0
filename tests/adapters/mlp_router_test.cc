// The mlp router on the topic bundle: it learns each topic's best candidate from the gold
// scores, gives the same decisions for any thread count, and rejects bad options.
#include <gtest/gtest.h>

#include "adapters/adapter.h"
#include "harness/bundle.h"
#include "harness/error.h"
#include "harness/run_context.h"
#include "tests/adapters/router/topic_bundle.h"
#include "tests/adapters/router_fixture.h"

namespace zooter::adapters {
namespace {

using router::testing::make_topic_bundle;
using router::testing::split_queries;

std::vector<Decision> decide(const Bundle& b, const std::string& spec, int threads,
                             std::unique_ptr<Adapter>* keep = nullptr) {
  const std::vector<std::uint32_t> train = split_queries(b, 0), evaluated = split_queries(b, 1);
  const RunContext run(threads, 5);
  const AdapterContext context{b, evaluated, train, "test", "train", true, run};
  std::unique_ptr<Adapter> a = make_adapter(AdapterSpec::parse(spec), context);
  std::vector<Decision> d = a->decide(evaluated, run);
  if (keep != nullptr) *keep = std::move(a);
  return d;
}

TEST(MlpRouter, LearnsTheTopicExpertsFromGold) {
  // 150 queries a topic: with the default 60 (120 training queries), early stopping judged by 6
  // held-out queries stopped some seeds' training before the network had learnt anything
  // (between 18 and 59 of 60 right over six seeds); with 300 training queries every seed tried
  // got all 150 right.
  router::testing::TopicBundleOptions options;
  options.queries_per_topic = 150;
  const Bundle b = make_topic_bundle(options);
  const std::vector<std::uint32_t> test = split_queries(b, 1);
  std::unique_ptr<Adapter> a;
  const std::vector<Decision> d = decide(b, "mlp@hidden=8,dim=4096,epochs=20,lr=0.05", 2, &a);
  std::size_t right = 0;
  for (std::size_t i = 0; i < test.size(); ++i) right += d[i].answer == static_cast<int>(test[i] % 3);
  EXPECT_GE(right, test.size() * 9 / 10);
  // 4096 x 8 first layer, 8 biases, 8 x 3 second layer, 3 biases.
  EXPECT_EQ(a->router_parameters(), 4096.0 * 8 + 8 + 8 * 3 + 3);
  EXPECT_NE(a->notes()[0].find("scores from gold"), std::string::npos);
}

TEST(MlpRouter, SameForAnyThreadCount) {
  const Bundle b = make_topic_bundle();
  const std::vector<Decision> one = decide(b, "mlp@hidden=4,dim=1024,epochs=3", 1);
  const std::vector<Decision> two = decide(b, "mlp@hidden=4,dim=1024,epochs=3", 2);
  for (std::size_t i = 0; i < one.size(); ++i) EXPECT_EQ(one[i].answer, two[i].answer);
}

TEST(MlpRouter, CountsFlopsOfItsNetwork) {
  // Four training texts; mlp keeps the featuriser's character 3-grams, so "a b" has 2
  // unigrams, 1 bigram and the 3-grams "<a>", "<b>" (5 features), "a c" 5, "d" 2: F = 17 / 4
  // = 4.25 per row. M = 3 candidates, H hidden units: first layer 2 F H + H, ReLU H, second
  // layer 2 H M + M, softmax 5 M (featurising not counted).
  // H = 2: 19 + 2 + 15 + 15 = 51; H = 4: 38 + 4 + 27 + 15 = 84.
  const Bundle b = testing::four_training_texts();
  EXPECT_DOUBLE_EQ(testing::build_adapter(b, "mlp@hidden=2,reward=gold")->router_flops_per_query(), 51.0);
  EXPECT_DOUBLE_EQ(testing::build_adapter(b, "mlp@hidden=4,reward=gold")->router_flops_per_query(), 84.0);
}

TEST(MlpRouter, BadSpecs) {
  const Bundle b = make_topic_bundle();
  EXPECT_THROW((void)decide(b, "mlp@hidden=0", 1), UsageError);
  EXPECT_THROW((void)decide(b, "mlp@hidden=4,lr=-1", 1), UsageError);
  EXPECT_THROW((void)decide(b, "mlp@hidden=4,reward=nosuch", 1), InputError);
}

}  // namespace
}  // namespace zooter::adapters
