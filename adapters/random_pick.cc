// random: a uniform choice among the candidates. Reported as the exact expectation (every
// candidate's answer weighted 1/n, expected cost of one generation), not as one sampled run,
// so it has no seed and no sampling noise.
#include "adapters/adapter_factories.h"
#include "harness/bundle.h"

namespace zooter::adapters {
namespace {

class RandomPick final : public Adapter {
 public:
  std::string name() const override { return "random"; }
  std::string kind() const override { return "baseline"; }
  std::vector<std::string> notes() const override {
    return {"random: exact expected score and cost of a uniform choice among the candidates"};
  }
  std::vector<Decision> decide(std::span<const std::uint32_t> queries,
                               const RunContext&) const override {
    Decision d;
    d.answer = Decision::kUniform;
    return std::vector<Decision>(queries.size(), d);
  }
};

}  // namespace

std::unique_ptr<Adapter> make_random_pick(const AdapterSpec& spec, const AdapterContext&) {
  spec.allow_only({});
  return std::make_unique<RandomPick>();
}

}  // namespace zooter::adapters
