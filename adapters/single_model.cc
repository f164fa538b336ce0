// single@MODEL: every query goes to one candidate. The rows of the paper's Table 1 that name
// a model.
#include "adapters/adapter_factories.h"
#include "harness/bundle.h"
#include "harness/error.h"

namespace zooter::adapters {
namespace {

class SingleModel final : public Adapter {
 public:
  SingleModel(const Bundle& bundle, std::size_t model) : bundle_(bundle), model_(model) {}

  std::string name() const override { return "single@" + bundle_.manifest.models[model_].name; }
  std::string kind() const override { return "candidate"; }
  std::vector<Decision> decide(std::span<const std::uint32_t> queries,
                               const RunContext&) const override {
    return std::vector<Decision>(queries.size(), Decision::single(static_cast<int>(model_)));
  }

 private:
  const Bundle& bundle_;
  std::size_t model_;
};

}  // namespace

std::size_t find_candidate(const Bundle& bundle, const std::string& name) {
  if (auto m = bundle.manifest.find_model(name)) return *m;
  std::string known;
  for (const Model& model : bundle.manifest.models) known += (known.empty() ? "" : ", ") + model.name;
  throw InputError("unknown candidate model \"" + name + "\" (bundle has: " + known + ")");
}

std::unique_ptr<Adapter> make_single_model(const AdapterSpec& spec, const AdapterContext& context) {
  spec.allow_only({"", "model"});
  const auto model = spec.positional("model");
  if (!model) throw UsageError("adapter \"single\" needs a model: single@MODEL");
  return std::make_unique<SingleModel>(context.bundle, find_candidate(context.bundle, *model));
}

}  // namespace zooter::adapters
