// Speed of kNN routing (issue target: 100,000 queries against 48,000 training queries at
// 20,000 queries/s per core or better). Synthetic texts of ~35 words over a Zipf-like shared
// vocabulary plus topic words, featurised as the knn adapter does.
//
// BM_KnnRoute times what the adapter does per query: featurise, search the inverted index.
// BM_KnnSearch times the search alone, on texts featurised beforehand. The *Scatter variants
// use the search before blocking (one scatter into a similarity per training row, a list of
// the rows touched, a partial sort of them), kept here so that one run measures the ratio.
// Arguments: character n-gram length (0 = words only, the adapter's default) and k.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cmath>
#include <map>
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

// The search before blocking, for comparison: one similarity per training row, filled by
// scattering every posting of the query's buckets, the touched rows listed as they turn
// non-zero, then partially sorted with the tie grid computed in every comparison.
class ScatterSearch {
 public:
  ScatterSearch(const SparseRows& rows, std::uint32_t dimension)
      : rows_(rows.rows()), start_(std::size_t{dimension} + 1, 0), row_(rows.index.size()),
        value_(rows.index.size()), similarity_(rows_, 0.0f) {
    for (const std::uint32_t b : rows.index) ++start_[b + 1];
    for (std::size_t b = 0; b < dimension; ++b) start_[b + 1] += start_[b];
    std::vector<std::uint64_t> next(start_.begin(), start_.end() - 1);
    for (std::size_t r = 0; r < rows_; ++r) {
      const SparseView v = rows.row(r);
      for (std::size_t i = 0; i < v.size(); ++i) {
        const std::uint64_t at = next[v.index[i]]++;
        row_[at] = static_cast<std::uint32_t>(r);
        value_[at] = v.value[i];
      }
    }
  }

  void nearest(SparseView query, std::size_t k, std::vector<std::uint32_t>& out) {
    out.clear();
    touched_.clear();
    for (std::size_t i = 0; i < query.size(); ++i) {
      const float q = query.value[i];
      const std::uint32_t b = query.index[i];
      for (std::uint64_t p = start_[b]; p < start_[b + 1]; ++p) {
        float& sim = similarity_[row_[p]];
        if (sim == 0.0f) touched_.push_back(row_[p]);
        sim += q * value_[p];
      }
    }
    auto level = [&](std::uint32_t r) { return std::lround(similarity_[r] * 1048576.0f); };
    auto nearer = [&](std::uint32_t a, std::uint32_t b) {
      const long la = level(a), lb = level(b);
      return la != lb ? la > lb : a < b;
    };
    const std::size_t keep = std::min(k, touched_.size());
    std::partial_sort(touched_.begin(), touched_.begin() + static_cast<std::ptrdiff_t>(keep),
                      touched_.end(), nearer);
    out.assign(touched_.begin(), touched_.begin() + static_cast<std::ptrdiff_t>(keep));
    for (const std::uint32_t r : touched_) similarity_[r] = 0.0f;
  }

 private:
  std::size_t rows_;
  std::vector<std::uint64_t> start_;
  std::vector<std::uint32_t> row_;
  std::vector<float> value_;
  std::vector<float> similarity_;
  std::vector<std::uint32_t> touched_;
};

// The training rows and routed texts of one featuriser setting, built once per setting for
// all benchmarks of this program.
struct Data {
  Featuriser featuriser;
  SparseRows train;
  std::vector<std::string> texts;
  std::vector<SparseVector> features;  // of texts
};

const Data& data(std::uint32_t char_ngram) {
  static std::map<std::uint32_t, Data> built;  // this program's cache, not library state
  auto it = built.find(char_ngram);
  if (it != built.end()) return it->second;
  FeaturiserConfig config;
  config.char_ngram = char_ngram;
  Data d{Featuriser(config), {}, {}, {}};
  std::vector<std::string> train_texts;
  for (std::size_t q = 0; q < kTrain; ++q) train_texts.push_back(text(q));
  const std::vector<std::string_view> views(train_texts.begin(), train_texts.end());
  d.train = d.featuriser.rows(views, RunContext(2));
  for (std::size_t q = 0; q < kTexts; ++q) {
    d.texts.push_back(text(kTrain + q));
    d.features.push_back(d.featuriser(d.texts.back()));
  }
  return built.emplace(char_ngram, std::move(d)).first->second;
}

void report(benchmark::State& state, const Data& d, std::size_t found) {
  benchmark::DoNotOptimize(found);
  state.counters["queries_per_second"] =
      benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
  state.counters["postings"] = static_cast<double>(d.train.index.size());
}

void BM_KnnRoute(benchmark::State& state) {
  const Data& d = data(static_cast<std::uint32_t>(state.range(0)));
  const NeighbourIndex index(d.train, d.featuriser.config().dimension);
  const auto k = static_cast<std::size_t>(state.range(1));
  Featuriser::Scratch scratch;
  SparseVector x;
  NeighbourIndex::Scratch search;
  std::vector<std::uint32_t> nearest;
  std::size_t i = 0, found = 0;
  for (auto _ : state) {
    d.featuriser.featurise(d.texts[i], scratch, x);
    index.nearest(view(x), k, search, nearest);
    found += nearest.size();
    i = i + 1 == kTexts ? 0 : i + 1;
  }
  report(state, d, found);
}

void BM_KnnRouteScatter(benchmark::State& state) {
  const Data& d = data(static_cast<std::uint32_t>(state.range(0)));
  ScatterSearch index(d.train, d.featuriser.config().dimension);
  const auto k = static_cast<std::size_t>(state.range(1));
  Featuriser::Scratch scratch;
  SparseVector x;
  std::vector<std::uint32_t> nearest;
  std::size_t i = 0, found = 0;
  for (auto _ : state) {
    d.featuriser.featurise(d.texts[i], scratch, x);
    index.nearest(view(x), k, nearest);
    found += nearest.size();
    i = i + 1 == kTexts ? 0 : i + 1;
  }
  report(state, d, found);
}

void BM_KnnSearch(benchmark::State& state) {
  const Data& d = data(static_cast<std::uint32_t>(state.range(0)));
  const NeighbourIndex index(d.train, d.featuriser.config().dimension);
  const auto k = static_cast<std::size_t>(state.range(1));
  NeighbourIndex::Scratch search;
  std::vector<std::uint32_t> nearest;
  std::size_t i = 0, found = 0;
  for (auto _ : state) {
    index.nearest(view(d.features[i]), k, search, nearest);
    found += nearest.size();
    i = i + 1 == kTexts ? 0 : i + 1;
  }
  report(state, d, found);
  // The figures behind knn's router FLOPs (docs/cost-model.md).
  state.counters["features"] = index.mean_features();
  state.counters["visited"] = index.mean_postings_visited();
}

void BM_KnnSearchScatter(benchmark::State& state) {
  const Data& d = data(static_cast<std::uint32_t>(state.range(0)));
  ScatterSearch index(d.train, d.featuriser.config().dimension);
  const auto k = static_cast<std::size_t>(state.range(1));
  std::vector<std::uint32_t> nearest;
  std::size_t i = 0, found = 0;
  for (auto _ : state) {
    index.nearest(view(d.features[i]), k, nearest);
    found += nearest.size();
    i = i + 1 == kTexts ? 0 : i + 1;
  }
  report(state, d, found);
}

BENCHMARK(BM_KnnRoute)->ArgNames({"char_ngram", "k"})->Args({0, 10})->Args({3, 10});
BENCHMARK(BM_KnnRouteScatter)->ArgNames({"char_ngram", "k"})->Args({0, 10})->Args({3, 10});
BENCHMARK(BM_KnnSearch)->ArgNames({"char_ngram", "k"})->Args({0, 10})->Args({3, 10})->Args({0, 200});
BENCHMARK(BM_KnnSearchScatter)->ArgNames({"char_ngram", "k"})->Args({0, 10})->Args({3, 10})->Args({0, 200});

}  // namespace

BENCHMARK_MAIN();
