// The one list of adapters: a strategy is one grep away and cannot vanish at link time.
#include "adapters/adapter.h"
#include "adapters/adapter_factories.h"
#include "harness/bundle.h"
#include "harness/error.h"

namespace zooter::adapters {
namespace {

using Factory = std::unique_ptr<Adapter> (*)(const AdapterSpec&, const AdapterContext&);

struct Entry {
  AdapterInfo info;
  Factory make;
};

const std::vector<Entry>& entries() {
  static const std::vector<Entry> kEntries = {
      {{"single", "single@MODEL", "every query goes to one candidate model"}, make_single_model},
      {{"best-single", "best-single[@on=auto|train|evaluated]",
        "the candidate best on average (chosen on the train split when it has usable gold)"},
       make_best_single},
      {{"random", "random", "uniform choice among candidates (exact expectation)"}, make_random_pick},
      {{"oracle", "oracle", "best gold score per query: the upper bound"}, make_oracle},
      {{"rmr", "rmr@REWARD_MODEL",
        "reward-model ranking: all candidates generate, the highest reward wins"},
       make_reward_ranking},
      {{"zooter",
        "zooter@beta=B,reward=REWARD_MODEL|gold[,hard-label=1][,lambda=X][,...] or "
        "zooter@file=ROUTER[,lambda=X]",
        "Zooter router: a query-text classifier distilled from rewards picks one candidate"},
       make_zooter_router},
      {{"cascade", "cascade@threshold=T[,scorer=REWARD_MODEL][,order=a,b,c]",
        "FrugalGPT cascade: call candidates in order until a reward model accepts an answer"},
       make_cascade},
      {{"knn", "knn@k=K[,reward=gold|REWARD_MODEL][,lambda=X][,...]",
        "k-nearest-neighbour router: mean score of the K most similar training queries"},
       make_knn_router},
      {{"mf", "mf@dim=D[,reward=gold|REWARD_MODEL][,lambda=X][,...]",
        "matrix-factorisation router (RouteLLM): query projection x model embeddings"},
       make_mf_router},
      {{"sw-ranking", "sw-ranking[@k=200][,gamma=10][,reward=gold|REWARD_MODEL][,lambda=X]",
        "similarity-weighted Bradley-Terry ranking (RouteLLM) over the nearest training queries"},
       make_sw_ranking},
      {{"mlp", "mlp@hidden=H[,reward=gold|REWARD_MODEL][,lambda=X][,...]",
        "small network regressing every candidate's score from the query's n-grams"},
       make_mlp_router},
      {{"decisions", "decisions@file=PATH[,lambda=X][,reference=1]",
        "an outside router's decisions, read from a JSONL or CSV file (docs/byo-router.md)"},
       make_decisions_adapter},
      {{"exec", "exec@cmd=COMMAND[,timeout=600][,lambda=X][,folds=5][,seed=S]",
        "an outside router program driven over the zooter-exec JSONL protocol (docs/byo-router.md)"},
       make_exec_adapter},
  };
  return kEntries;
}

}  // namespace

const std::vector<AdapterInfo>& adapter_catalog() {
  static const std::vector<AdapterInfo> kCatalog = [] {
    std::vector<AdapterInfo> out;
    for (const Entry& e : entries()) out.push_back(e.info);
    return out;
  }();
  return kCatalog;
}

std::vector<Decision> Adapter::decide_at_lambda(std::span<const std::uint32_t>, double,
                                               const RunContext&) const {
  throw UsageError("adapter \"" + name() + "\" is not cost-aware: it takes no lambda");
}

std::vector<double> Adapter::quality_estimates(std::span<const std::uint32_t>, const RunContext&) const {
  return {};
}

std::unique_ptr<Adapter> make_adapter(const AdapterSpec& spec, const AdapterContext& context) {
  for (const Entry& e : entries()) {
    if (e.info.name == spec.name) return e.make(spec, context);
  }
  std::string known;
  for (const Entry& e : entries()) known += (known.empty() ? "" : ", ") + e.info.name;
  throw UsageError("unknown adapter \"" + spec.name + "\" (known: " + known + ")");
}

std::vector<std::string> default_adapter_specs(const Bundle& bundle) {
  std::vector<std::string> specs;
  for (const Model& m : bundle.manifest.models) specs.push_back("single@" + m.name);
  specs.insert(specs.end(), {"best-single", "random", "oracle"});
  for (const RewardModel& r : bundle.manifest.reward_models) specs.push_back("rmr@" + r.name);
  return specs;
}

}  // namespace zooter::adapters
