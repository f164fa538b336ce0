#include "suites/random_suite.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "harness/parallel.h"
#include "harness/random.h"
#include "harness/run_context.h"

namespace zooter::suites {
namespace {

enum Stream : std::uint64_t { kSkill = 1, kSubset, kSplit, kNoise, kReward, kTokens, kWords };

}  // namespace

Bundle make_random_bundle(const RandomSuiteOptions& o, const RunContext& ctx) {
  const std::uint64_t seed = o.seed;
  Bundle b;
  Manifest& m = b.manifest;
  m.suite = "random";
  m.description = "random bundle for benchmarks and tests";
  m.simulated = true;
  m.provenance_json = fmt::format(R"({{"generator":"zooter random suite","seed":{}}})", seed);
  m.splits = {{"train", true}, {"test", true}};
  m.groups = {{"chat", GroupDisplay::kRaw, {}}, {"scores", GroupDisplay::kRaw, {}}};
  for (std::size_t s = 0; s < o.subsets; ++s) {
    const std::size_t g = s % 2;
    const Metric metric = g == 0 ? Metric{"win-rate", 0, 1, true} : Metric{"score", 1, 10, true};
    m.groups[g].subsets.push_back(s);
    m.subsets.push_back({fmt::format("s{}", s), fmt::format("s{}", s), g, metric});
  }
  for (std::size_t i = 0; i < o.models; ++i) {
    m.models.push_back({fmt::format("model-{}", i), (1.0 + static_cast<double>(i)) * 1e9, 0.1, 0.2});
  }
  for (std::size_t r = 0; r < o.reward_models; ++r) {
    m.reward_models.push_back({fmt::format("rm-{}", r), 1e9});
  }

  const std::size_t n = o.queries;
  Queries& q = b.queries;
  q.id.resize(n);
  q.text.resize(n);
  q.subset.resize(n);
  q.split.resize(n);
  q.input_tokens.resize(n);
  parallel_for_each(ctx, n, [&](std::size_t i) {
    q.id[i] = fmt::format("q{}", i);
    q.subset[i] = static_cast<std::uint32_t>(random::below(seed, kSubset, i, o.subsets));
    q.split[i] = random::uniform01(seed, kSplit, i) < o.train_fraction ? 0 : 1;
    q.input_tokens[i] = 20 + static_cast<std::uint32_t>(random::below(seed, kTokens, i, 200));
    q.text[i] = fmt::format("w{} w{} w{} topic{}", random::below(seed, kWords, 3 * i, 500),
                            random::below(seed, kWords, 3 * i + 1, 500),
                            random::below(seed, kWords, 3 * i + 2, 500), q.subset[i]);
  });
  q.tag_offset.resize(n + 1);
  for (std::size_t i = 0; i <= n; ++i) q.tag_offset[i] = static_cast<std::uint32_t>(i);
  q.tag_ids.assign(q.subset.begin(), q.subset.end());
  for (std::size_t s = 0; s < o.subsets; ++s) b.tag_names.push_back(fmt::format("topic{}", s));

  Responses& r = b.responses;
  const std::size_t cells = n * o.models;
  r.models = o.models;
  r.gold.resize(cells);
  r.output_tokens.resize(cells);
  r.dollars.resize(cells);
  r.rewards.assign(o.reward_models, std::vector<double>(cells));
  parallel_for_each(ctx, n, [&](std::size_t i) {
    const Subset& subset = m.subsets[q.subset[i]];
    const Metric& metric = subset.metric;
    for (std::size_t j = 0; j < o.models; ++j) {
      const std::size_t c = i * o.models + j;
      const double skill = random::uniform01(seed, kSkill, q.subset[i] * 64 + j);
      const double noise = 0.25 * random::normal(seed, kNoise, c);
      double unit = std::clamp(skill + noise, 0.0, 1.0);
      if (metric.max == 1.0) unit = unit < 0.33 ? 0.0 : unit < 0.66 ? 0.5 : 1.0;  // win/tie/loss
      r.gold[c] = metric.min + unit * (metric.max - metric.min);
      r.output_tokens[c] = 50 + static_cast<std::uint32_t>(random::below(seed, kTokens, n + c, 400));
      r.dollars[c] = q.input_tokens[i] * 0.1 / 1e6 + r.output_tokens[c] * 0.2 / 1e6;
      for (std::size_t k = 0; k < o.reward_models; ++k) {
        r.rewards[k][c] = unit + (0.2 + 0.2 * static_cast<double>(k)) *
                                     random::normal(seed, kReward + 16 * k, c);
      }
    }
  });
  return b;
}

}  // namespace zooter::suites
