// A trained Zooter router: featuriser settings, network weights and the record of how it was
// trained. Immutable once built; route() and probabilities() are const and thread-safe.
//
// What `zooter route ROUTER "text"` needs is load_router() (router_file.h) plus route(); what
// `zooter train` needs is train_router() below plus save_router().
#pragma once

#include <cstdint>
#include <iosfwd>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "adapters/router/featuriser.h"
#include "adapters/router/linear_model.h"
#include "adapters/router/router_options.h"
#include "adapters/router/trainer.h"

namespace zooter {
struct Bundle;
class RunContext;
}  // namespace zooter

namespace zooter::adapters::router {

// How a router came to be: stored in the router file, shown in notes.
struct RouterInfo {
  std::vector<std::string> candidates;  // output c routes to candidates[c]
  std::string reward;                   // the resolved reward source: a reward model or "gold"
  RouterOptions options;                // as trained (options.reward = the resolved source)
  TrainingSummary summary;
  std::string suite;  // the bundle trained on
  std::string bundle_hash;
  std::string trained_on;  // e.g. "split train (47986 queries)"
  std::size_t tagged_queries = 0;
  std::size_t tag_count = 0;
  double mean_nonzeros = 0.0;  // mean features per training query
};

class Router {
 public:
  // Throws InputError when the pieces disagree (outputs != candidates, dimensions differ).
  Router(FeaturiserConfig featuriser, LinearModel model, RouterInfo info);

  [[nodiscard]] const Featuriser& featuriser() const { return featuriser_; }
  [[nodiscard]] const LinearModel& model() const { return model_; }
  [[nodiscard]] const RouterInfo& info() const { return info_; }
  [[nodiscard]] const std::vector<std::string>& candidates() const { return info_.candidates; }

  // One worker's scratch for routing many texts without allocating (fastText's Model::State).
  struct State {
    Featuriser::Scratch scratch;
    SparseVector features;
    Activations activations;
  };

  // The index (into candidates()) of the candidate the router sends `text` to.
  [[nodiscard]] std::size_t route(std::string_view text) const;
  [[nodiscard]] std::size_t route(std::string_view text, State& state) const;
  // Cost-aware routing: argmax over candidates of p_c - lambda x cost[c] (ties: the lowest
  // index), p the router's distribution; `cost` has one entry per candidate.
  [[nodiscard]] std::size_t route(std::string_view text, std::span<const double> cost,
                                  double lambda, State& state) const;
  // The router's distribution over candidates for `text`.
  [[nodiscard]] std::vector<double> probabilities(std::string_view text) const;

 private:
  // Fills state.features for `text`, prefetching the weight rows it will need.
  void featurise(std::string_view text, State& state) const;

  Featuriser featuriser_;
  LinearModel model_;
  RouterInfo info_;
};

// What to train on: `queries` of `bundle` (indices), described for the record. `gold_usable`
// says whether their gold may be learned from (reward=gold needs it).
struct TrainingData {
  const Bundle& bundle;
  std::span<const std::uint32_t> queries;
  bool gold_usable = false;
  std::string description;
};

// Resolves the reward source, builds labels and features, trains. Throws UsageError for bad
// options and InputError for what the bundle lacks (see resolve_reward_source). Progress of
// training goes to `progress` (progress_bar.h; the default is silent).
[[nodiscard]] Router train_router(const TrainingData& data, const RouterOptions& options,
                                  const RunContext& run, ProgressSink progress = {});

}  // namespace zooter::adapters::router
