// A tiny in-memory bundle for router tests: three topics (maths, code, poetry), three
// candidates, and candidate t is best on topic t. Query texts mix three topic words with
// three filler words, so a router must read the text to route well.
//
// Reward models: "other-rm" (listed first) prefers candidate (t + 1) % 3 on topic t, and
// "qwen-rm" prefers the truly best one, so a test can tell which source labels came from.
#pragma once

#include <string>
#include <vector>

#include "harness/bundle.h"
#include "harness/random.h"

namespace zooter::adapters::router::testing {

struct TopicBundleOptions {
  std::size_t queries_per_topic = 60;
  bool train_split = true;  // else every query is in "test"
  bool train_gold_usable = true;
  bool tags = true;  // each query tagged with its topic
  bool reward_models = true;
};

inline const std::vector<std::vector<std::string>>& topic_words() {
  static const std::vector<std::vector<std::string>> kWords = {
      {"integral", "derivative", "equation", "solve", "prove", "matrix", "theorem", "algebra"},
      {"python", "function", "compile", "bug", "loop", "class", "array", "pointer"},
      {"poem", "rhyme", "verse", "sonnet", "moon", "stanza", "haiku", "metaphor"},
  };
  return kWords;
}

inline std::string topic_text(std::size_t topic, std::uint64_t key) {
  static const std::vector<std::string> kFiller = {"please", "help", "me",  "with", "this",
                                                   "the",    "can",  "you", "how",  "a"};
  std::string text;
  for (std::uint64_t w = 0; w < 6; ++w) {
    const bool topical = w % 2 == 0;
    const auto& pool = topical ? topic_words()[topic] : kFiller;
    text += (w == 0 ? "" : " ") + pool[random::below(99, key, w, pool.size())];
  }
  return text;
}

inline Bundle make_topic_bundle(const TopicBundleOptions& o = {}) {
  Bundle b;
  Manifest& m = b.manifest;
  m.suite = "topics";
  m.simulated = true;
  if (o.train_split) m.splits.push_back({"train", o.train_gold_usable});
  m.splits.push_back({"test", true});
  const std::vector<std::string> topics = {"maths", "code", "poetry"};
  Group group{"all", GroupDisplay::kRaw, {}};
  for (std::size_t t = 0; t < 3; ++t) {
    m.subsets.push_back({topics[t], topics[t], 0, Metric{"score", 0.0, 1.0, true}});
    group.subsets.push_back(t);
  }
  m.groups.push_back(group);
  for (const char* name : {"alpha", "beta", "gamma"}) m.models.push_back({name, 7e9, {}, {}});
  if (o.reward_models) {
    m.reward_models.push_back({"other-rm", 1e9});
    m.reward_models.push_back({"qwen-rm", 7e9});
  }
  if (o.tags) b.tag_names = topics;

  Queries& q = b.queries;
  Responses& r = b.responses;
  r.models = 3;
  r.rewards.resize(m.reward_models.size());
  const std::size_t n = 3 * o.queries_per_topic;
  q.tag_offset.push_back(0);
  for (std::size_t i = 0; i < n; ++i) {
    const std::size_t topic = i % 3;
    q.id.push_back("q" + std::to_string(i));
    q.text.push_back(topic_text(topic, i));
    q.subset.push_back(static_cast<std::uint32_t>(topic));
    const bool train = o.train_split && i < 2 * n / 3;
    q.split.push_back(o.train_split && !train ? 1 : 0);
    q.input_tokens.push_back(10);
    if (o.tags) q.tag_ids.push_back(static_cast<std::uint32_t>(topic));
    q.tag_offset.push_back(static_cast<std::uint32_t>(q.tag_ids.size()));
    for (std::size_t c = 0; c < 3; ++c) {
      r.gold.push_back(c == topic ? 0.9 : 0.3);
      r.output_tokens.push_back(100);
      r.dollars.push_back(0.001);
      const double noise = 0.1 * random::uniform01(5, i, c);
      if (o.reward_models) {
        r.rewards[0].push_back((c == (topic + 1) % 3 ? 2.0 : 0.0) + noise);
        r.rewards[1].push_back((c == topic ? 2.0 : 0.0) + noise);
      }
    }
  }
  b.content_hash = "0123456789abcdef";
  return b;
}

// The topic bundle with every response priced: alpha $0.004, beta $0.002, gamma $0.001 per
// response (relative costs 1, 0.5, 0.25).
inline Bundle make_priced_topic_bundle() {
  Bundle b = make_topic_bundle();
  const double price[] = {0.004, 0.002, 0.001};
  for (std::size_t q = 0; q < b.query_count(); ++q) {
    for (std::size_t m = 0; m < 3; ++m) b.responses.dollars[b.responses.cell(q, m)] = price[m];
  }
  return b;
}

// Query indices of split `s`, in order.
inline std::vector<std::uint32_t> split_queries(const Bundle& b, std::uint32_t s) {
  std::vector<std::uint32_t> out;
  for (std::size_t i = 0; i < b.query_count(); ++i) {
    if (b.queries.split[i] == s) out.push_back(static_cast<std::uint32_t>(i));
  }
  return out;
}

}  // namespace zooter::adapters::router::testing
