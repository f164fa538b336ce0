// Speed of the Zooter router: training at the paper's scale (47,986 DivInstruct queries x 6
// candidates, 5 epochs; target under 20 s on 2 cores) and routing throughput (target at least
// 100,000 queries/s per core). The data is synthetic, generated here: texts of ~40 words drawn
// from 24 topics over a Zipf-like shared vocabulary, rewards favouring a topic's strong models.
#include <benchmark/benchmark.h>

#include <string>
#include <vector>

#include "adapters/router/router.h"
#include "harness/bundle.h"
#include "harness/parallel.h"
#include "harness/random.h"
#include "harness/run_context.h"
#include "suites/paper_sim.h"

namespace {

using namespace zooter;
using namespace zooter::adapters::router;

constexpr std::size_t kQueries = 47986;
constexpr std::size_t kCandidates = 6;
constexpr std::size_t kTopics = 24;
constexpr std::size_t kWordsPerQuery = 40;
constexpr std::uint64_t kSeed = 2311;

std::string word(std::size_t id) {
  // Pseudo-words of 3 to 9 letters, distinct per id.
  std::string w;
  std::uint64_t x = random::mix64(id);
  const std::size_t length = 3 + x % 7;
  for (std::size_t i = 0; i < length; ++i, x = random::mix64(x))
    w.push_back(static_cast<char>('a' + x % 26));
  return w + std::to_string(id % 97);
}

std::string query_text(std::size_t q, std::size_t topic, std::size_t words = kWordsPerQuery) {
  std::string text;
  for (std::size_t w = 0; w < words; ++w) {
    const double u = random::uniform01(kSeed, q, w);
    std::size_t id;
    if (u < 0.3) {
      id = 100000 + topic * 200 + random::below(kSeed, q, 1000 + w, 200);  // topic words
    } else {
      // Shared vocabulary, Zipf-like: squaring a uniform favours the low (frequent) ids.
      const double v = random::uniform01(kSeed, q, 2000 + w);
      id = static_cast<std::size_t>(v * v * 20000);
    }
    text += (w == 0 ? "" : " ") + word(id);
  }
  return text;
}

Bundle make_bundle() {
  Bundle b;
  Manifest& m = b.manifest;
  m.suite = "router-bench";
  m.splits.push_back({"train", true});
  m.subsets.push_back({"all", "all", 0, Metric{"score", 0.0, 1.0, true}});
  m.groups.push_back({"all", GroupDisplay::kRaw, {0}});
  for (std::size_t c = 0; c < kCandidates; ++c)
    m.models.push_back({"model-" + std::to_string(c), 7e9, {}, {}});
  m.reward_models.push_back({"qwen-rm", 7e9});
  Responses& r = b.responses;
  r.models = kCandidates;
  r.rewards.resize(1);
  Queries& q = b.queries;
  q.tag_offset.push_back(0);
  for (std::size_t i = 0; i < kQueries; ++i) {
    const std::size_t topic = random::below(kSeed, 7, i, kTopics);
    q.id.push_back("q" + std::to_string(i));
    q.text.push_back(query_text(i, topic));
    q.subset.push_back(0);
    q.split.push_back(0);
    q.input_tokens.push_back(60);
    q.tag_ids.push_back(static_cast<std::uint32_t>(topic));
    q.tag_offset.push_back(static_cast<std::uint32_t>(q.tag_ids.size()));
    for (std::size_t c = 0; c < kCandidates; ++c) {
      const double skill =
          (topic * 7 + c * 3) % kCandidates == 0 ? 2.0 : 0.3 * static_cast<double>(c % 3);
      r.gold.push_back(0.5);
      r.output_tokens.push_back(200);
      r.dollars.push_back(0.0);
      r.rewards[0].push_back(skill + random::normal(kSeed, 11, i * kCandidates + c));
    }
  }
  for (std::size_t t = 0; t < kTopics; ++t) b.tag_names.push_back("topic-" + std::to_string(t));
  return b;
}

const Bundle& bundle() {
  static const Bundle kBundle = make_bundle();  // built once, read-only afterwards
  return kBundle;
}

std::vector<std::uint32_t> all_queries() {
  std::vector<std::uint32_t> out(kQueries);
  for (std::size_t i = 0; i < kQueries; ++i) out[i] = static_cast<std::uint32_t>(i);
  return out;
}

RouterOptions paper_scale_options(std::uint32_t hidden) {
  RouterOptions o;
  o.hidden = hidden;
  o.trainer.epochs = 5;
  o.trainer.patience = 0;  // time all 5 epochs
  return o;
}

// Arguments: threads, hidden units.
void BM_TrainRouter(benchmark::State& state) {
  const Bundle& b = bundle();
  const std::vector<std::uint32_t> queries = all_queries();
  const RunContext run(static_cast<int>(state.range(0)), kSeed);
  const RouterOptions options = paper_scale_options(static_cast<std::uint32_t>(state.range(1)));
  for (auto _ : state) {
    Router r = train_router({b, queries, true, "bench"}, options, run);
    benchmark::DoNotOptimize(r.model().parameters().data());
    state.counters["validation_kl"] = r.info().summary.validation_loss;
    state.counters["features_per_query"] = r.info().mean_nonzeros;
  }
  state.counters["queries"] = static_cast<double>(kQueries);
}
BENCHMARK(BM_TrainRouter)
    ->Args({1, 0})
    ->Args({2, 0})
    ->Args({2, 32})
    ->ArgNames({"threads", "hidden"})
    ->Unit(benchmark::kSecond)
    ->Iterations(1)
    ->UseRealTime();

// Routing from raw text (featurise + forward + arg-max) on one thread: queries/s per core.
// Arguments: words per query (the training texts have 40) and log2 of the featuriser's
// dimension (18 is the default): the weight rows a query touches are scattered over
// dimension x candidates floats, so the dimension decides how far they sit in the caches.
void BM_RouteQueries(benchmark::State& state) {
  const Bundle& b = bundle();
  RouterOptions options = paper_scale_options(0);
  options.featuriser.dimension = std::uint32_t{1} << state.range(1);
  options.trainer.epochs = 1;  // the weights' values do not matter for speed
  const std::vector<std::uint32_t> train = all_queries();
  const Router router =
      train_router({b, std::span(train).first(5000), true, "bench"}, options, RunContext(2, kSeed));
  constexpr std::size_t kTexts = 20000;
  std::vector<std::string> texts;
  for (std::size_t q = 0; q < kTexts; ++q) {
    texts.push_back(
        query_text(kQueries + q, q % kTopics, static_cast<std::size_t>(state.range(0))));
  }
  Router::State scratch;
  std::size_t i = 0, sum = 0, features = 0;
  for (auto _ : state) {
    sum += router.route(texts[i], scratch);
    features += scratch.features.size();
    i = i + 1 == kTexts ? 0 : i + 1;
  }
  benchmark::DoNotOptimize(sum);
  state.counters["queries_per_second"] =
      benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
  state.counters["features_per_query"] =
      static_cast<double>(features) / static_cast<double>(state.iterations());
}
BENCHMARK(BM_RouteQueries)
    ->ArgNames({"words", "log2dim"})
    ->Args({10, 18})
    ->Args({40, 18})
    ->Args({40, 16})
    ->Args({40, 14});

// Routing the paper simulation's own query texts (train and test, about 38 words and 220
// features each with the default featuriser) with a router trained on its train split: the
// speed the paper experiment sees, with real text lengths instead of the fixed 40 words above.
// Argument: log2 of the featuriser's dimension, as above.
void BM_RoutePaperQueries(benchmark::State& state) {
  const RunContext run(2, kSeed);
  const Bundle paper = suites::synthesize_paper_bundle({}, run);
  std::vector<std::uint32_t> train;
  for (std::size_t q = 0; q < paper.query_count() && train.size() < 5000; ++q) {
    if (paper.queries.split[q] == 0) train.push_back(static_cast<std::uint32_t>(q));
  }
  RouterOptions options = paper_scale_options(0);
  options.featuriser.dimension = std::uint32_t{1} << state.range(0);
  options.trainer.epochs = 1;  // the weights' values do not matter for speed
  const Router router = train_router({paper, train, true, "qwen-rm"}, options, run);
  Router::State scratch;
  const std::size_t n = paper.query_count();
  std::size_t i = 0, sum = 0, features = 0;
  for (auto _ : state) {
    sum += router.route(paper.queries.text[i], scratch);
    features += scratch.features.size();
    i = i + 1 == n ? 0 : i + 1;
  }
  benchmark::DoNotOptimize(sum);
  state.counters["queries_per_second"] =
      benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
  state.counters["features_per_query"] =
      static_cast<double>(features) / static_cast<double>(state.iterations());
}
BENCHMARK(BM_RoutePaperQueries)->ArgName("log2dim")->Arg(18)->Arg(14);

}  // namespace

BENCHMARK_MAIN();
