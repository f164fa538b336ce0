// Shared set-up of the learned-router adapter tests: build an adapter on a topic bundle the
// way a run does, and a four-text training set small enough to count FLOPs by hand.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "adapters/adapter.h"
#include "harness/bundle.h"
#include "harness/run_context.h"
#include "tests/adapters/router/topic_bundle.h"

namespace zooter::adapters::testing {

// The adapter `spec` trained on split 0 ("train") and evaluating split 1 ("test"), 2 threads.
inline std::unique_ptr<Adapter> build_adapter(const Bundle& b, const std::string& spec) {
  const std::vector<std::uint32_t> train = router::testing::split_queries(b, 0),
                                   evaluated = router::testing::split_queries(b, 1);
  const RunContext run(2, 5);
  const AdapterContext context{b, evaluated, train, "test", "train", true, run};
  return make_adapter(AdapterSpec::parse(spec), context);
}

// Six queries (topic bundle, two per topic): training texts "a b", "a c", "a b", "d", test
// texts "a", "b c". Word unigrams and bigrams give the training rows 3, 3, 3 and 1 features
// (F = 10 / 4 = 2.5 per row) in six buckets (these six features do not collide in 2^16 or
// 2^18 buckets) with df: a 3, b 2, "a b" 2, c 1, "a c" 1, d 1.
inline Bundle four_training_texts() {
  router::testing::TopicBundleOptions o;
  o.queries_per_topic = 2;  // queries 0-3 train, 4-5 test
  Bundle b = router::testing::make_topic_bundle(o);
  const std::vector<std::string> texts = {"a b", "a c", "a b", "d", "a", "b c"};
  for (std::size_t q = 0; q < texts.size(); ++q) b.queries.text[q] = texts[q];
  return b;
}

}  // namespace zooter::adapters::testing
