#include "adapters/router/tag_clusters.h"

#include <gtest/gtest.h>

#include <map>
#include <set>

#include "harness/error.h"
#include "harness/run_context.h"
#include "tests/adapters/router/topic_bundle.h"

namespace zooter::adapters::router {
namespace {

// Row r: five of topic r % 3's words and one shared filler word, so topics are clear clusters.
SparseRows topic_rows(std::size_t n) {
  std::vector<std::string> texts;
  for (std::size_t r = 0; r < n; ++r) {
    const auto& words = testing::topic_words()[r % 3];
    std::string text = r % 2 == 0 ? "please" : "help";
    for (std::uint64_t w = 0; w < 5; ++w) text += " " + words[random::below(7, r, w, words.size())];
    texts.push_back(text);
  }
  texts.push_back("");  // a row without features gets no tag
  const std::vector<std::string_view> views(texts.begin(), texts.end());
  // Word unigrams only: the filler words are shared, the topic words are not.
  return Featuriser(FeaturiserConfig{1u << 12, true, false, 0}).rows(views, RunContext(1));
}

TEST(RouterTagClusters, ClustersFollowTopics) {
  const SparseRows rows = topic_rows(90);
  const TagLists tags = cluster_tags(rows, 3, 1, RunContext(2));
  ASSERT_EQ(tags.rows(), 91u);
  EXPECT_EQ(tags.count, 3u);
  EXPECT_TRUE(tags.of(90).empty());
  // Every topic lands in one cluster, and different topics in different clusters.
  std::map<std::size_t, std::set<std::uint32_t>> clusters_of_topic;
  for (std::size_t r = 0; r < 90; ++r) {
    ASSERT_EQ(tags.of(r).size(), 1u);
    clusters_of_topic[r % 3].insert(tags.of(r)[0]);
  }
  std::set<std::uint32_t> used;
  for (const auto& [topic, clusters] : clusters_of_topic) {
    EXPECT_EQ(clusters.size(), 1u) << "topic " << topic;
    used.insert(*clusters.begin());
  }
  EXPECT_EQ(used.size(), 3u);
}

TEST(RouterTagClusters, SameForAnyThreadCount) {
  const SparseRows rows = topic_rows(600);
  const TagLists one = cluster_tags(rows, 7, 4, RunContext(1));
  const TagLists four = cluster_tags(rows, 7, 4, RunContext(4));
  EXPECT_EQ(one.ids, four.ids);
  EXPECT_EQ(one.offset, four.offset);
}

TEST(RouterTagClusters, MoreClustersThanRows) {
  const SparseRows rows = topic_rows(2);
  const TagLists tags = cluster_tags(rows, 10, 0, RunContext(1));
  EXPECT_EQ(tags.count, 2u);  // only two rows have features
  EXPECT_THROW((void)cluster_tags(rows, 0, 0, RunContext(1)), UsageError);
}

}  // namespace
}  // namespace zooter::adapters::router
