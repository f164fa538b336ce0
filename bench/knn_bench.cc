// Speed of kNN routing (issue target: 100,000 queries against 48,000 training queries at
// 20,000 queries/s per core or better). Synthetic texts of ~35 words over a Zipf-like shared
// vocabulary plus topic words, featurised as the knn adapter does; the timed loop is what the
// adapter does per query: featurise, search the inverted index, average the neighbours.
// Arguments: character n-gram length (3 = the default featuriser, 0 = words only) and k.
#include <benchmark/benchmark.h>

#include <string>
#include <vector>

#include "adapters/router/featuriser.h"
#include "adapters/router/neighbour_index.h"
#include "harness/random.h"
#include "harness/run_context.h"

namespace {

using namespace zooter;
using namespace zooter::adapters::router;

constexpr std::size_t kTrain = 48000;
constexpr std::size_t kTexts = 20000;  // distinct routed texts, cycled
constexpr std::size_t kWords = 35;
constexpr std::uint64_t kSeed = 4242;

std::string word(std::size_t id) {
  std::string w;
  std::uint64_t x = random::mix64(id);
  for (std::size_t i = 0, n = 3 + x % 7; i < n; ++i, x = random::mix64(x)) w.push_back(static_cast<char>('a' + x % 26));
  return w;
}

std::string text(std::size_t q) {
  std::string out;
  const std::size_t topic = q % 24;
  for (std::size_t w = 0; w < kWords; ++w) {
    const double u = random::uniform01(kSeed, q, w);
    const double v = random::uniform01(kSeed, q, 1000 + w);
    const std::size_t id = u < 0.3 ? 100000 + topic * 200 + static_cast<std::size_t>(v * 200)
                                   : static_cast<std::size_t>(v * v * 20000);
    out += (w == 0 ? "" : " ") + word(id);
  }
  return out;
}

void BM_KnnRoute(benchmark::State& state) {
  FeaturiserConfig config;
  config.char_ngram = static_cast<std::uint32_t>(state.range(0));
  const Featuriser f(config);
  std::vector<std::string> train_texts, texts;
  for (std::size_t q = 0; q < kTrain; ++q) train_texts.push_back(text(q));
  for (std::size_t q = 0; q < kTexts; ++q) texts.push_back(text(kTrain + q));
  const std::vector<std::string_view> views(train_texts.begin(), train_texts.end());
  const SparseRows rows = f.rows(views, RunContext(2));
  const NeighbourIndex index(rows, config.dimension);
  const auto k = static_cast<std::size_t>(state.range(1));
  Featuriser::Scratch scratch;
  SparseVector x;
  NeighbourIndex::Scratch search;
  std::vector<std::uint32_t> nearest;
  std::size_t i = 0, found = 0;
  for (auto _ : state) {
    f.featurise(texts[i], scratch, x);
    index.nearest(view(x), k, search, nearest);
    found += nearest.size();
    i = i + 1 == kTexts ? 0 : i + 1;
  }
  benchmark::DoNotOptimize(found);
  state.counters["queries_per_second"] =
      benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
  state.counters["postings"] = static_cast<double>(rows.index.size());
}
BENCHMARK(BM_KnnRoute)->ArgNames({"char_ngram", "k"})->Args({3, 10})->Args({0, 10});

}  // namespace

BENCHMARK_MAIN();
