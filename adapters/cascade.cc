// cascade: FrugalGPT's LLM cascade (Chen, Zaharia and Zou 2023, "FrugalGPT: How to Use Large
// Language Models While Reducing Cost and Improving Performance", arXiv:2305.05176, section 3).
// Candidates are called one after another; each answer but the last is scored by a reward
// model, and the first whose score reaches the threshold is returned. When none does, the last
// candidate's answer is returned unscored (the cascade has nothing left to try).
//
//   cascade@threshold=T[,scorer=REWARD_MODEL][,order=a,b,c]
//
// Default order: ascending mean cost per query (candidate_costs.h) on the training queries
// (the evaluated ones when there is no train split), ties in manifest order. Default scorer:
// the bundle's only reward model. Cost counts every generation and every scorer call made.
// Unlike FrugalGPT, the order and threshold are given, not learned, and the scorer is one of
// the bundle's reward models rather than a trained DistilBERT answer scorer.
#include <fmt/format.h>

#include <algorithm>
#include <numeric>

#include "adapters/adapter_factories.h"
#include "adapters/candidate_costs.h"
#include "harness/bundle.h"
#include "harness/error.h"

namespace zooter::adapters {
namespace {

class Cascade final : public Adapter {
 public:
  Cascade(const Bundle& bundle, std::string name, std::vector<std::size_t> order,
          std::size_t scorer, double threshold, std::vector<std::string> notes)
      : bundle_(bundle),
        name_(std::move(name)),
        order_(std::move(order)),
        scorer_(scorer),
        threshold_(threshold),
        notes_(std::move(notes)) {}

  std::string name() const override { return name_; }
  std::string kind() const override { return "ranker"; }
  std::vector<std::string> notes() const override { return notes_; }

  std::vector<Decision> decide(std::span<const std::uint32_t> queries,
                               const RunContext& run) const override {
    const std::vector<double>& scores = bundle_.responses.rewards[scorer_];
    return decide_each(queries, run, [&](std::uint32_t q) {
      Decision d;
      d.reward_model = static_cast<std::int16_t>(scorer_);
      for (std::size_t i = 0; i < order_.size(); ++i) {
        const std::size_t m = order_[i];
        d.generated |= std::uint64_t{1} << m;
        d.answer = static_cast<std::int16_t>(m);
        if (i + 1 == order_.size()) break;  // the last answer is returned as it is
        d.scored |= std::uint64_t{1} << m;
        if (scores[bundle_.responses.cell(q, m)] >= threshold_) break;
      }
      if (d.scored == 0) d.reward_model = -1;
      return d;
    });
  }

 private:
  const Bundle& bundle_;
  std::string name_;
  std::vector<std::size_t> order_;
  std::size_t scorer_;
  double threshold_;
  std::vector<std::string> notes_;
};

std::vector<std::string> split_commas(const std::string& text) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (true) {
    const std::size_t comma = text.find(',', start);
    out.push_back(text.substr(start, comma - start));
    if (comma == std::string::npos) return out;
    start = comma + 1;
  }
}

std::size_t resolve_scorer(const AdapterSpec& spec, const Manifest& m) {
  if (const auto name = spec.get("scorer")) {
    if (auto r = m.find_reward_model(*name)) return *r;
    throw InputError(fmt::format("adapter \"{}\": unknown reward model \"{}\"", spec.canonical(), *name));
  }
  if (m.reward_models.size() == 1) return 0;
  throw UsageError(fmt::format("adapter \"{}\": scorer=REWARD_MODEL is needed ({})", spec.canonical(),
                               m.reward_models.empty() ? "the bundle has no reward model"
                                                       : "the bundle has several"));
}

}  // namespace

std::unique_ptr<Adapter> make_cascade(const AdapterSpec& spec, const AdapterContext& context) {
  spec.allow_only({"threshold", "scorer", "order"});
  const Bundle& bundle = context.bundle;
  const Manifest& m = bundle.manifest;
  if (!spec.get("threshold")) {
    throw UsageError("adapter \"cascade\" needs threshold=T (the score an answer must reach)");
  }
  const double threshold = number_argument(spec, "threshold", 0.0);
  const std::size_t scorer = resolve_scorer(spec, m);
  std::vector<std::size_t> order;
  std::vector<std::string> notes;
  if (const auto text = spec.get("order")) {
    for (const std::string& name : split_commas(*text)) {
      const std::size_t model = find_candidate(bundle, name);
      if (std::find(order.begin(), order.end(), model) != order.end()) {
        throw UsageError(fmt::format("adapter \"{}\": \"{}\" is in the order twice", spec.canonical(), name));
      }
      order.push_back(model);
    }
  } else {
    const std::span<const std::uint32_t> known = context.train.empty() ? context.evaluated : context.train;
    const CandidateCosts costs = estimate_candidate_costs(bundle, known);
    order.resize(bundle.model_count());
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::stable_sort(order.begin(), order.end(),
                     [&](std::size_t a, std::size_t b) { return costs.mean[a] < costs.mean[b]; });
    notes.push_back(fmt::format("cascade: order by ascending mean {} per query on the {} queries",
                                costs.unit, context.train.empty() ? "evaluated" : "training"));
  }
  std::string chain;
  for (const std::size_t model : order) chain += (chain.empty() ? "" : " -> ") + m.models[model].name;
  notes.push_back(fmt::format("cascade: {}; stop at the first answer {} scores >= {:g}", chain,
                              m.reward_models[scorer].name, threshold));
  return std::make_unique<Cascade>(bundle, spec.canonical(), std::move(order), scorer, threshold,
                                   std::move(notes));
}

}  // namespace zooter::adapters
