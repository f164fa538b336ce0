#include "adapters/router/router_options.h"

#include <fmt/format.h>

#include <charconv>
#include <cmath>

#include "harness/error.h"

namespace zooter::adapters::router {

std::string tags_name(const LabelOptions& labels) {
  switch (labels.tags) {
    case TagSource::kBundle:
      return "bundle";
    case TagSource::kNone:
      return "none";
    case TagSource::kCluster:
      return fmt::format("cluster:{}", labels.clusters);
  }
  return "bundle";
}

void parse_tags(const std::string& text, LabelOptions& labels) {
  if (text == "bundle" || text == "none") {
    labels.tags = text == "bundle" ? TagSource::kBundle : TagSource::kNone;
    labels.clusters = 0;
    return;
  }
  constexpr std::string_view kPrefix = "cluster:";
  if (text.starts_with(kPrefix)) {
    const char* first = text.data() + kPrefix.size();
    const char* last = text.data() + text.size();
    std::uint32_t k = 0;
    const auto [ptr, ec] = std::from_chars(first, last, k);
    if (ec == std::errc() && ptr == last && first != last && k > 0) {
      labels.tags = TagSource::kCluster;
      labels.clusters = k;
      return;
    }
  }
  throw UsageError("tags must be bundle, none or cluster:K with K > 0, got \"" + text + "\"");
}

void validate(const RouterOptions& options) {
  const LabelOptions& l = options.labels;
  if (!(l.beta >= 0.0 && l.beta <= 1.0)) {
    throw UsageError(fmt::format("zooter router: beta must be in [0, 1], got {}", l.beta));
  }
  if (!(l.temperature > 0.0) || !std::isfinite(l.temperature)) {
    throw UsageError(
        fmt::format("zooter router: temperature must be positive, got {}", l.temperature));
  }
  if (l.tags == TagSource::kCluster && l.clusters == 0) {
    throw UsageError("zooter router: tags=cluster:K needs K > 0");
  }
  if (options.hidden > kMaxHidden) {
    throw UsageError(fmt::format("zooter router: hidden must be at most {}, got {}", kMaxHidden,
                                 options.hidden));
  }
  validate(options.featuriser);
  validate(options.trainer);
}

std::string describe(const RouterOptions& o) {
  const TrainerConfig& t = o.trainer;
  return fmt::format(
      "reward={} beta={} {}temperature={} normalise={} tags={} dim={} char-ngram={} hidden={} "
      "optimiser={} lr={} l2={} batch={} epochs={} validation={} patience={} seed={}",
      o.reward.empty() ? "default" : o.reward, o.labels.beta,
      o.labels.hard_label ? "hard-label=1 " : "", o.labels.temperature,
      o.labels.normalisation ? normalisation_name(*o.labels.normalisation) : "default",
      tags_name(o.labels), o.featuriser.dimension,
      o.featuriser.char_ngram, o.hidden, optimiser_name(t.optimiser.kind),
      t.optimiser.learning_rate, t.optimiser.l2, t.batch_size, t.epochs, t.validation_fraction,
      t.patience, t.seed);
}

}  // namespace zooter::adapters::router
