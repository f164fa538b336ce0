// oracle: per query, the candidate with the best gold score. The upper bound of any strategy
// that returns one candidate's answer. It counts every candidate's generation (it must see all
// answers to know the best) and no ranker call (the gold judge is not a deployable cost).
#include "adapters/adapter_factories.h"
#include "harness/bundle.h"

namespace zooter::adapters {
namespace {

class Oracle final : public Adapter {
 public:
  explicit Oracle(const Bundle& bundle) : bundle_(bundle) {}

  std::string name() const override { return "oracle"; }
  std::string kind() const override { return "baseline"; }
  bool reads_evaluated_gold() const override { return true; }
  std::vector<std::string> notes() const override {
    return {"oracle: best gold score per query (ties: first candidate in manifest order); "
            "counts every candidate's generation"};
  }
  std::vector<Decision> decide(std::span<const std::uint32_t> queries,
                               const RunContext& run) const override {
    const std::size_t n = bundle_.model_count();
    const std::uint64_t all = n == 64 ? ~std::uint64_t{0} : (std::uint64_t{1} << n) - 1;
    return decide_each(queries, run, [&](std::uint32_t q) {
      const bool higher =
          bundle_.manifest.subsets[bundle_.queries.subset[q]].metric.higher_is_better;
      std::size_t best = 0;
      for (std::size_t m = 1; m < n; ++m) {
        const double g = bundle_.gold(q, m), b = bundle_.gold(q, best);
        if (higher ? g > b : g < b) best = m;
      }
      Decision d = Decision::single(static_cast<int>(best));
      d.generated = all;
      return d;
    });
  }

 private:
  const Bundle& bundle_;
};

}  // namespace

std::unique_ptr<Adapter> make_oracle(const AdapterSpec& spec, const AdapterContext& context) {
  spec.allow_only({});
  return std::make_unique<Oracle>(context.bundle);
}

}  // namespace zooter::adapters
