// rmr@REWARD_MODEL: reward-model ranking, the paper's expensive baseline. Every candidate
// generates, the reward model scores every answer, the highest reward wins. Ties go to the
// candidate listed first in the manifest, a fixed rule so results never depend on order of
// evaluation.
#include "adapters/adapter_factories.h"
#include "harness/bundle.h"
#include "harness/error.h"

namespace zooter::adapters {
namespace {

class RewardRanking final : public Adapter {
 public:
  RewardRanking(const Bundle& bundle, std::size_t reward_model)
      : bundle_(bundle), reward_model_(reward_model) {}

  std::string name() const override {
    return "rmr@" + bundle_.manifest.reward_models[reward_model_].name;
  }
  std::string kind() const override { return "ranker"; }
  std::vector<Decision> decide(std::span<const std::uint32_t> queries,
                               const RunContext& run) const override {
    const std::size_t n = bundle_.model_count();
    const std::uint64_t all = n == 64 ? ~std::uint64_t{0} : (std::uint64_t{1} << n) - 1;
    const std::vector<double>& rewards = bundle_.responses.rewards[reward_model_];
    return decide_each(queries, run, [&](std::uint32_t q) {
      const double* row = rewards.data() + bundle_.responses.cell(q, 0);
      std::size_t best = 0;
      for (std::size_t m = 1; m < n; ++m) {
        if (row[m] > row[best]) best = m;
      }
      Decision d = Decision::single(static_cast<int>(best));
      d.generated = all;
      d.scored = all;
      d.reward_model = static_cast<std::int16_t>(reward_model_);
      return d;
    });
  }

 private:
  const Bundle& bundle_;
  std::size_t reward_model_;
};

}  // namespace

std::unique_ptr<Adapter> make_reward_ranking(const AdapterSpec& spec, const AdapterContext& context) {
  spec.allow_only({"", "reward"});
  const auto name = spec.positional("reward");
  const Manifest& m = context.bundle.manifest;
  if (!name) throw UsageError("adapter \"rmr\" needs a reward model: rmr@REWARD_MODEL");
  if (auto r = m.find_reward_model(*name)) return std::make_unique<RewardRanking>(context.bundle, *r);
  std::string known;
  for (const RewardModel& rm : m.reward_models) known += (known.empty() ? "" : ", ") + rm.name;
  throw InputError("unknown reward model \"" + *name + "\" (bundle has: " +
                   (known.empty() ? "none" : known) + ")");
}

}  // namespace zooter::adapters
