#include "pipeline/cross_validation.h"

#include <fmt/format.h>

#include <optional>
#include <vector>

#include "adapters/adapter.h"
#include "adapters/router/kfold.h"
#include "adapters/training_diverged.h"
#include "harness/bundle.h"
#include "harness/error.h"
#include "harness/run_context.h"

namespace zooter::pipeline {
namespace {

bool is_separator(char c) { return c == ',' || c == '=' || c == '@'; }

// Mean over subsets of the normalised mean gold of the picked answers on `queries`.
double fold_score(const Bundle& b, std::span<const std::uint32_t> queries, std::span<const Decision> decisions) {
  const Manifest& manifest = b.manifest;
  std::vector<double> sum(manifest.subsets.size(), 0.0);
  std::vector<std::size_t> count(manifest.subsets.size(), 0);
  for (std::size_t i = 0; i < queries.size(); ++i) {
    const std::uint32_t q = queries[i];
    double gold = 0.0;
    if (decisions[i].answer == Decision::kUniform) {
      for (std::size_t m = 0; m < b.model_count(); ++m) gold += b.gold(q, m);
      gold /= static_cast<double>(b.model_count());
    } else {
      gold = b.gold(q, static_cast<std::size_t>(decisions[i].answer));
    }
    sum[b.queries.subset[q]] += gold;
    ++count[b.queries.subset[q]];
  }
  double total = 0.0;
  std::size_t subsets = 0;
  for (std::size_t s = 0; s < sum.size(); ++s) {
    if (count[s] == 0) continue;
    const Metric& metric = manifest.subsets[s].metric;
    double normalised = (sum[s] / static_cast<double>(count[s]) - metric.min) / (metric.max - metric.min);
    if (!metric.higher_is_better) normalised = 1.0 - normalised;
    total += normalised;
    ++subsets;
  }
  return subsets == 0 ? 0.0 : total / static_cast<double>(subsets);
}

}  // namespace

std::vector<std::string> expand_grid(const std::string& text) {
  std::vector<std::string> grid{""};
  std::size_t begin = 0;
  while (begin <= text.size()) {
    std::size_t end = begin;
    while (end < text.size() && !is_separator(text[end])) ++end;
    const std::string token = text.substr(begin, end - begin);
    std::vector<std::string> alternatives;
    for (std::size_t from = 0;;) {
      const std::size_t bar = token.find('|', from);
      alternatives.push_back(token.substr(from, bar == std::string::npos ? std::string::npos : bar - from));
      if (bar == std::string::npos) break;
      from = bar + 1;
    }
    if (alternatives.size() > 1) {
      for (const std::string& a : alternatives) {
        if (a.empty()) throw UsageError("grid \"" + text + "\": an empty alternative in \"" + token + "\"");
      }
    }
    const std::string separator = end < text.size() ? std::string(1, text[end]) : "";
    std::vector<std::string> next;
    for (const std::string& prefix : grid) {
      for (const std::string& a : alternatives) next.push_back(prefix + a + separator);
    }
    grid = std::move(next);
    begin = end + 1;
  }
  return grid;
}

std::vector<CvScore> cross_validate(const Bundle& bundle, std::span<const std::uint32_t> train,
                                    std::span<const std::string> specs, const CvSettings& settings,
                                    const RunContext& ctx) {
  std::vector<adapters::AdapterSpec> parsed;
  for (const std::string& text : specs) {
    parsed.push_back(adapters::AdapterSpec::parse(text));
    // Training seeds are a run's business (pipeline/seed_runs.h): here every setting is scored
    // on one seed, the same folds for all, so that scores stay paired.
    if (parsed.back().get("seeds")) {
      throw UsageError("adapter \"" + parsed.back().canonical() +
                       "\": seeds= applies to zooter run, not to tune (tune scores every setting on --seed)");
    }
  }
  const adapters::router::FoldPlan plan(train, bundle.queries.subset, settings.folds, ctx.seed());
  std::vector<CvScore> out;
  for (const adapters::AdapterSpec& spec : parsed) {
    CvScore score;
    score.spec = spec.canonical();
    for (std::uint32_t f = 0; f < plan.folds() && score.failure.empty(); ++f) {
      const std::vector<std::uint32_t> held_out = plan.held_out(f);
      const std::vector<std::uint32_t> training = plan.training(f);
      const adapters::AdapterContext context{bundle, held_out, training, settings.train_split,
                                             settings.train_split, true, ctx};
      try {
        const auto adapter = adapters::make_adapter(spec, context);
        const std::vector<Decision> decisions = adapter->decide(held_out, ctx);
        score.fold_scores.push_back(fold_score(bundle, held_out, decisions));
      } catch (const adapters::TrainingDiverged& e) {
        score.failure = fmt::format("fold {}: {}", f + 1, e.what());
        score.fold_scores.clear();
      }
    }
    if (score.failure.empty()) {
      double sum = 0.0;
      for (const double s : score.fold_scores) sum += s;
      score.mean = sum / static_cast<double>(score.fold_scores.size());
    }
    out.push_back(std::move(score));
  }
  return out;
}

std::size_t best_score(std::span<const CvScore> scores) {
  std::optional<std::size_t> best;
  for (std::size_t i = 0; i < scores.size(); ++i) {
    if (!scores[i].failure.empty()) continue;
    if (!best || scores[i].mean > scores[*best].mean) best = i;
  }
  if (!best && !scores.empty()) {
    throw UsageError("every setting failed, so none can be chosen; the first: " + scores.front().spec + ": " +
                     scores.front().failure);
  }
  return best.value_or(0);
}

}  // namespace zooter::pipeline
