#include "adapters/router/labels.h"

#include <algorithm>
#include <cmath>

#include "harness/error.h"

namespace zooter::adapters::router {
namespace {

struct NamedNormalisation {
  Normalisation value;
  const char* name;
};

constexpr NamedNormalisation kNormalisations[] = {
    {Normalisation::kNone, "none"},
    {Normalisation::kQueryZ, "query-z"},
    {Normalisation::kModelZ, "model-z"},
    {Normalisation::kQueryMinMax, "query-minmax"},
};

// Mean and population standard deviation of n values `stride` apart.
void moments(const double* first, std::size_t n, std::size_t stride, double& mean, double& sd) {
  double sum = 0.0;
  for (std::size_t i = 0; i < n; ++i) sum += first[i * stride];
  mean = sum / static_cast<double>(n);
  double sq = 0.0;
  for (std::size_t i = 0; i < n; ++i) sq += (first[i * stride] - mean) * (first[i * stride] - mean);
  sd = std::sqrt(sq / static_cast<double>(n));
}

void standardise(double* first, std::size_t n, std::size_t stride) {
  if (n == 0) return;
  double mean = 0.0, sd = 0.0;
  moments(first, n, stride, mean, sd);
  for (std::size_t i = 0; i < n; ++i) {
    double& x = first[i * stride];
    x = sd > 0.0 ? (x - mean) / sd : 0.0;
  }
}

}  // namespace

std::string normalisation_name(Normalisation n) {
  for (const auto& e : kNormalisations) {
    if (e.value == n) return e.name;
  }
  return "none";
}

Normalisation parse_normalisation(const std::string& name) {
  std::string known;
  for (const auto& e : kNormalisations) {
    if (name == e.name) return e.value;
    known += (known.empty() ? "" : ", ") + std::string(e.name);
  }
  throw UsageError("unknown reward normalisation \"" + name + "\" (known: " + known + ")");
}

LabelMatrix normalise_rewards(const LabelMatrix& rewards, Normalisation how) {
  LabelMatrix out = rewards;
  const std::size_t rows = out.rows(), cols = out.columns;
  switch (how) {
    case Normalisation::kNone:
      break;
    case Normalisation::kQueryZ:
      for (std::size_t r = 0; r < rows; ++r) standardise(out.row(r).data(), cols, 1);
      break;
    case Normalisation::kModelZ:
      for (std::size_t c = 0; c < cols; ++c) standardise(out.values.data() + c, rows, cols);
      break;
    case Normalisation::kQueryMinMax:
      for (std::size_t r = 0; r < rows; ++r) {
        const auto row = out.row(r);
        const auto [lo, hi] = std::minmax_element(row.begin(), row.end());
        const double min = *lo, spread = *hi - *lo;
        for (double& x : row) x = spread > 0.0 ? (x - min) / spread : 0.0;
      }
      break;
  }
  return out;
}

LabelMatrix silver_labels(const LabelMatrix& rewards, double temperature) {
  ZOOTER_CHECK(temperature > 0.0);
  LabelMatrix out = rewards;
  for (std::size_t r = 0; r < out.rows(); ++r) {
    const auto row = out.row(r);
    // Subtracting the row maximum keeps exp() finite for any reward scale.
    const double max = *std::max_element(row.begin(), row.end());
    double sum = 0.0;
    for (double& x : row) {
      x = std::exp((x - max) / temperature);
      sum += x;
    }
    for (double& x : row) x /= sum;
  }
  return out;
}

LabelMatrix hard_labels(const LabelMatrix& rewards) {
  LabelMatrix out(rewards.rows(), rewards.columns);
  for (std::size_t r = 0; r < rewards.rows(); ++r) {
    const auto row = rewards.row(r);
    const auto best = std::max_element(row.begin(), row.end());  // first of equal maxima
    out.row(r)[static_cast<std::size_t>(best - row.begin())] = 1.0;
  }
  return out;
}

LabelMatrix enhance_with_tags(const LabelMatrix& labels, const TagLists& tags, double beta) {
  ZOOTER_CHECK(tags.rows() == labels.rows());
  ZOOTER_CHECK(beta >= 0.0 && beta <= 1.0);
  const std::size_t cols = labels.columns;
  // s_t: mean label of the rows carrying tag t, summed in row order.
  LabelMatrix tag_mean(tags.count, cols);
  std::vector<std::size_t> carriers(tags.count, 0);
  for (std::size_t r = 0; r < labels.rows(); ++r) {
    for (std::uint32_t t : tags.of(r)) {
      ZOOTER_CHECK(t < tags.count);
      ++carriers[t];
      const auto from = labels.row(r);
      const auto to = tag_mean.row(t);
      for (std::size_t c = 0; c < cols; ++c) to[c] += from[c];
    }
  }
  for (std::size_t t = 0; t < tags.count; ++t) {
    if (carriers[t] == 0) continue;
    for (double& x : tag_mean.row(t)) x /= static_cast<double>(carriers[t]);
  }
  LabelMatrix out = labels;
  std::vector<double> tag_part(cols);
  for (std::size_t r = 0; r < labels.rows(); ++r) {
    const auto row_tags = tags.of(r);
    if (row_tags.empty()) continue;
    std::fill(tag_part.begin(), tag_part.end(), 0.0);
    for (std::uint32_t t : row_tags) {
      const auto mean = tag_mean.row(t);
      for (std::size_t c = 0; c < cols; ++c) tag_part[c] += mean[c];
    }
    const double k = static_cast<double>(row_tags.size());
    const auto own = labels.row(r);
    const auto dst = out.row(r);
    for (std::size_t c = 0; c < cols; ++c) {
      dst[c] = (1.0 - beta) * own[c] + beta * (tag_part[c] / k);
    }
  }
  return out;
}

}  // namespace zooter::adapters::router
