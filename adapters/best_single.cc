// best-single: the one candidate that is best on average, chosen before looking at the
// evaluated answers when possible.
//
// "Best on average" = highest mean over subsets of the candidate's subset score mapped onto
// [0, 1] by the subset's metric scale (flipped when lower is better), so a 1-10 MT-Bench
// subset and a 0/1 benchmark weigh the same, as every subset weighs the same in MTR. It is
// chosen on the train split when the bundle has one whose gold may be learned from, otherwise
// on the evaluated queries (then it is an oracle-selected model, and the notes say so).
#include <fmt/format.h>

#include "adapters/adapter_factories.h"
#include "harness/bundle.h"
#include "harness/error.h"

namespace zooter::adapters {
namespace {

class BestSingle final : public Adapter {
 public:
  BestSingle(const Bundle& bundle, std::size_t model, std::string note)
      : bundle_(bundle), model_(model), note_(std::move(note)) {}

  std::string name() const override { return "best-single"; }
  std::string kind() const override { return "baseline"; }
  std::vector<std::string> notes() const override { return {note_}; }
  std::vector<Decision> decide(std::span<const std::uint32_t> queries,
                               const RunContext&) const override {
    return std::vector<Decision>(queries.size(), Decision::single(static_cast<int>(model_)));
  }

 private:
  const Bundle& bundle_;
  std::size_t model_;
  std::string note_;
};

// Mean normalised subset score of every candidate on `queries`.
std::vector<double> average_quality(const Bundle& b, std::span<const std::uint32_t> queries) {
  const Manifest& manifest = b.manifest;
  const std::size_t n_models = b.model_count();
  std::vector<std::vector<double>> sum(manifest.subsets.size(), std::vector<double>(n_models, 0.0));
  std::vector<std::size_t> count(manifest.subsets.size(), 0);
  for (std::uint32_t q : queries) {
    const std::size_t s = b.queries.subset[q];
    ++count[s];
    for (std::size_t m = 0; m < n_models; ++m) sum[s][m] += b.gold(q, m);
  }
  std::vector<double> quality(n_models, 0.0);
  std::size_t subsets = 0;
  for (std::size_t s = 0; s < manifest.subsets.size(); ++s) {
    if (count[s] == 0) continue;
    ++subsets;
    const Metric& metric = manifest.subsets[s].metric;
    for (std::size_t m = 0; m < n_models; ++m) {
      const double mean = sum[s][m] / static_cast<double>(count[s]);
      double normalised = (mean - metric.min) / (metric.max - metric.min);
      if (!metric.higher_is_better) normalised = 1.0 - normalised;
      quality[m] += normalised;
    }
  }
  for (double& q : quality) q /= static_cast<double>(subsets);
  return quality;
}

}  // namespace

std::unique_ptr<Adapter> make_best_single(const AdapterSpec& spec, const AdapterContext& context) {
  spec.allow_only({"on"});
  const std::string on = spec.get("on").value_or("auto");
  if (on != "auto" && on != "train" && on != "evaluated") {
    throw UsageError("adapter \"best-single\": on must be auto, train or evaluated, got \"" + on + "\"");
  }
  const bool train_available = !context.train.empty() && context.train_gold_usable;
  if (on == "train" && !train_available) {
    throw InputError("best-single@on=train: the bundle has no train split whose gold may be used");
  }
  const bool use_train = on == "train" || (on == "auto" && train_available);
  const auto queries = use_train ? context.train : context.evaluated;
  if (queries.empty()) throw InputError("best-single: no queries to choose on");
  const std::vector<double> quality = average_quality(context.bundle, queries);
  std::size_t best = 0;
  for (std::size_t m = 1; m < quality.size(); ++m) {
    if (quality[m] > quality[best]) best = m;  // ties: first in manifest order
  }
  const std::string& model = context.bundle.manifest.models[best].name;
  std::string note =
      use_train ? fmt::format("best-single = {}, chosen on the \"{}\" split ({} queries)", model,
                              context.train_split, queries.size())
                : fmt::format("best-single = {}, chosen on the evaluated \"{}\" queries themselves "
                              "(no train split with usable gold), so it is an optimistic baseline",
                              model, context.evaluated_split);
  return std::make_unique<BestSingle>(context.bundle, best, std::move(note));
}

}  // namespace zooter::adapters
