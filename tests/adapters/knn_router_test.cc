// The knn router on the topic bundle: exact nearest neighbours (checked against a brute-force
// cosine search), ties by training order, the fallback for queries that share no feature, the
// k-fold protocol, thread-count independence and the FLOPs per query on four training texts.
#include <gtest/gtest.h>

#include <cmath>

#include "adapters/adapter.h"
#include "adapters/router/featuriser.h"
#include "adapters/router/neighbour_index.h"
#include "harness/bundle.h"
#include "harness/error.h"
#include "harness/run_context.h"
#include "tests/adapters/router/topic_bundle.h"
#include "tests/adapters/router_fixture.h"

namespace zooter::adapters {
namespace {

using testing::build_adapter;
using testing::four_training_texts;

using router::testing::make_topic_bundle;
using router::testing::split_queries;
using router::testing::TopicBundleOptions;

std::vector<Decision> decide(const Bundle& b, const std::string& spec, int threads = 2,
                             std::unique_ptr<Adapter>* keep = nullptr) {
  const bool has_train = b.manifest.find_split("train").has_value();
  const std::vector<std::uint32_t> train = has_train ? split_queries(b, 0) : std::vector<std::uint32_t>{};
  const std::vector<std::uint32_t> evaluated = split_queries(b, has_train ? 1 : 0);
  const RunContext run(threads, 3);
  const AdapterContext context{b, evaluated, train, "test", has_train ? "train" : "", has_train, run};
  std::unique_ptr<Adapter> a = make_adapter(AdapterSpec::parse(spec), context);
  std::vector<Decision> out = a->decide(evaluated, run);
  if (keep != nullptr) *keep = std::move(a);
  return out;
}

double dot(const router::SparseVector& a, const router::SparseVector& b) {
  double s = 0.0;
  std::size_t j = 0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    while (j < b.size() && b.index[j] < a.index[i]) ++j;
    if (j < b.size() && b.index[j] == a.index[i]) s += static_cast<double>(a.value[i]) * b.value[j];
  }
  return s;
}

TEST(KnnRouter, OneNeighbourMatchesABruteForceSearch) {
  Bundle b = make_topic_bundle();
  // Make the nearest training query's best candidate vary within a topic.
  for (std::size_t q = 0; q < b.query_count(); ++q) {
    for (std::size_t m = 0; m < 3; ++m) b.responses.gold[b.responses.cell(q, m)] = (q * 7 + m * 5) % 11 / 10.0;
  }
  const std::vector<Decision> d = decide(b, "knn@k=1,reward=gold");
  router::FeaturiserConfig words_only;  // the adapter's default features
  words_only.char_ngram = 0;
  const router::Featuriser f(words_only);
  const std::vector<std::uint32_t> train = split_queries(b, 0), test = split_queries(b, 1);
  for (std::size_t i = 0; i < test.size(); ++i) {
    const router::SparseVector x = f(b.queries.text[test[i]]);
    std::size_t nearest = 0;
    long best = -1;
    for (std::size_t r = 0; r < train.size(); ++r) {
      // Similarities on the index's tie grid of 2^-20: near-ties go to the earlier row.
      const long s = std::lround(dot(x, f(b.queries.text[train[r]])) * 1048576.0);
      if (s > best) {
        best = s;
        nearest = r;
      }
    }
    const double* gold = &b.responses.gold[b.responses.cell(train[nearest], 0)];
    const int expected = static_cast<int>(std::max_element(gold, gold + 3) - gold);
    EXPECT_EQ(d[i].answer, expected) << "test query " << i;
    EXPECT_EQ(d[i].router_calls, 1);
  }
}

TEST(KnnRouter, RoutesTopicsToTheirExpert) {
  const Bundle b = make_topic_bundle();
  const std::vector<std::uint32_t> test = split_queries(b, 1);
  const std::vector<Decision> d = decide(b, "knn@k=5,reward=qwen-rm");
  std::size_t right = 0;
  for (std::size_t i = 0; i < test.size(); ++i) right += d[i].answer == static_cast<int>(test[i] % 3);
  EXPECT_GE(right, test.size() * 9 / 10);
}

TEST(NeighbourIndex, TiesGoToTheEarlierRowAndUnrelatedQueriesFindNothing) {
  const router::Featuriser f;
  router::SparseRows rows;
  for (const char* text : {"red apple pie", "green pear tart", "red apple pie"}) rows.append(view(f(text)));
  const router::NeighbourIndex index(rows, f.config().dimension);
  router::NeighbourIndex::Scratch scratch;
  std::vector<std::uint32_t> out;
  index.nearest(view(f("red apple pie")), 2, scratch, out);
  EXPECT_EQ(out, (std::vector<std::uint32_t>{0, 2}));  // equal similarity: row order
  index.nearest(view(f("zzz qqq")), 3, scratch, out);
  EXPECT_TRUE(out.empty());
  index.nearest(view(f("green pear")), 5, scratch, out);
  ASSERT_FALSE(out.empty());
  EXPECT_EQ(out.front(), 1u);
}

TEST(KnnRouter, CrossFitsWithoutATrainSplitAndIgnoresThreads) {
  TopicBundleOptions o;
  o.train_split = false;
  const Bundle b = make_topic_bundle(o);
  std::unique_ptr<Adapter> a;
  const std::vector<Decision> two = decide(b, "knn@k=3,reward=qwen-rm", 2, &a);
  const std::vector<Decision> one = decide(b, "knn@k=3,reward=qwen-rm", 1);
  ASSERT_EQ(one.size(), two.size());
  for (std::size_t i = 0; i < one.size(); ++i) EXPECT_EQ(one[i].answer, two[i].answer);
  ASSERT_FALSE(a->notes().empty());
  EXPECT_NE(a->notes()[0].find("5-fold cross-fitting"), std::string::npos);
}

TEST(KnnRouter, CountsFlopsFromTheTrainingPostings) {
  const Bundle b = four_training_texts();
  // A training row's search visits the other rows' postings of its buckets:
  // V = (3 x 2 + 2 x 1 + 2 x 1) / 4 = 2.5. With M = 3 candidates and k = 2: similarity
  // 2 x 2.5 = 5, predict 2 x 3 + 3 = 9, argmax 2 x 3 = 6 (featurising is not counted).
  EXPECT_DOUBLE_EQ(build_adapter(b, "knn@k=2,reward=gold")->router_flops_per_query(), 20.0);
  // k = 10 averages all 4 training rows: predict 4 x 3 + 3 = 15.
  EXPECT_DOUBLE_EQ(build_adapter(b, "knn@k=10,reward=gold")->router_flops_per_query(), 26.0);
}

TEST(KnnRouter, BadSpecs) {
  const Bundle b = make_topic_bundle();
  EXPECT_THROW((void)decide(b, "knn@k=0"), UsageError);
  EXPECT_THROW((void)decide(b, "knn@k=2.5"), UsageError);
  EXPECT_THROW((void)decide(b, "knn@k=3,reward=nosuch"), InputError);
  EXPECT_THROW((void)decide(b, "knn@k=3,folds=3"), UsageError);  // the bundle has a train split
  EXPECT_THROW((void)decide(b, "knn@k=3,lambda=-1"), UsageError);
}

}  // namespace
}  // namespace zooter::adapters
