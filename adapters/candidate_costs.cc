#include "adapters/candidate_costs.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "adapters/adapter_spec.h"
#include "harness/bundle.h"
#include "harness/error.h"

namespace zooter::adapters {

CandidateCosts estimate_candidate_costs(const Bundle& bundle, std::span<const std::uint32_t> queries) {
  if (queries.empty()) throw InputError("cost-aware routing: no queries to estimate costs from");
  const std::size_t models = bundle.model_count();
  const Responses& r = bundle.responses;
  bool dollars_known = true;
  for (const std::uint32_t q : queries) {
    for (std::size_t m = 0; m < models && dollars_known; ++m) {
      dollars_known = std::isfinite(r.dollars[r.cell(q, m)]);
    }
  }
  CandidateCosts out;
  out.unit = dollars_known ? "dollars" : "generation FLOPs";
  out.mean.assign(models, 0.0);
  // Sequential sums in query order: the estimate is the same for any thread count.
  for (std::size_t m = 0; m < models; ++m) {
    const double parameters = bundle.manifest.models[m].parameters;
    double total = 0.0;
    for (const std::uint32_t q : queries) {
      const std::size_t cell = r.cell(q, m);
      total += dollars_known ? r.dollars[cell]
                             : 2.0 * parameters *
                                   (static_cast<double>(bundle.queries.input_tokens[q]) +
                                    static_cast<double>(r.output_tokens[cell]));
    }
    out.mean[m] = total / static_cast<double>(queries.size());
  }
  const double most = *std::max_element(out.mean.begin(), out.mean.end());
  out.relative.assign(models, 0.0);
  if (most > 0.0) {
    for (std::size_t m = 0; m < models; ++m) out.relative[m] = out.mean[m] / most;
  }
  return out;
}

double lambda_argument(const AdapterSpec& spec) {
  const double lambda = number_argument(spec, "lambda", 0.0);
  if (!std::isfinite(lambda) || lambda < 0.0) {
    throw UsageError(fmt::format("adapter \"{}\": lambda must be a finite number >= 0, got {}",
                                 spec.canonical(), *spec.get("lambda")));
  }
  return lambda;
}

}  // namespace zooter::adapters
