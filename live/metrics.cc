#include "live/metrics.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "harness/error.h"

namespace zooter::live {
namespace {

bool valid_name(std::string_view name) {
  if (name.empty()) return false;
  for (std::size_t i = 0; i < name.size(); ++i) {
    const char c = name[i];
    const bool letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':';
    if (!letter && !(i > 0 && c >= '0' && c <= '9')) return false;
  }
  return true;
}

// HELP text escapes backslash and newline; label values also escape the double quote.
std::string escape(std::string_view text, bool quote) {
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '"' && quote) {
      out += "\\\"";
    } else {
      out += c;
    }
  }
  return out;
}

const char* type_word(MetricFamily::Type type) {
  switch (type) {
    case MetricFamily::Type::kCounter: return "counter";
    case MetricFamily::Type::kGauge: return "gauge";
    case MetricFamily::Type::kHistogram: return "histogram";
  }
  return "untyped";
}

// `{a="x",b="y"}` with an optional extra label (histogram's le) last; "" when there are none.
std::string label_text(const std::vector<std::string>& names, const std::vector<std::string>& values,
                       std::string_view extra_name = {}, std::string_view extra_value = {}) {
  if (names.empty() && extra_name.empty()) return {};
  std::string out = "{";
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (i > 0) out += ',';
    out += fmt::format("{}=\"{}\"", names[i], escape(values[i], true));
  }
  if (!extra_name.empty()) {
    if (!names.empty()) out += ',';
    out += fmt::format("{}=\"{}\"", extra_name, extra_value);
  }
  out += '}';
  return out;
}

}  // namespace

std::string format_metric_value(double value) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "+Inf" : "-Inf";
  if (value == std::floor(value) && std::fabs(value) < 1e15) return fmt::format("{}", static_cast<long long>(value));
  return fmt::format("{}", value);
}

std::vector<double> latency_buckets() {
  return {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30};
}

MetricFamily::MetricFamily(std::string name, std::string help, Type type, std::vector<std::string> label_names,
                           std::vector<double> bucket_bounds)
    : name_(std::move(name)),
      help_(std::move(help)),
      type_(type),
      label_names_(std::move(label_names)),
      bounds_(std::move(bucket_bounds)) {
  ZOOTER_CHECK(valid_name(name_));
  for (const std::string& label : label_names_) ZOOTER_CHECK(valid_name(label) && label != "le");
  ZOOTER_CHECK(std::is_sorted(bounds_.begin(), bounds_.end()));
  ZOOTER_CHECK(type_ == Type::kHistogram || bounds_.empty());
}

MetricFamily::Series& MetricFamily::series(const std::vector<std::string>& label_values) {
  ZOOTER_CHECK(label_values.size() == label_names_.size());
  {
    const std::shared_lock lock(mutex_);
    if (const auto it = series_.find(label_values); it != series_.end()) return it->second;
  }
  const std::unique_lock lock(mutex_);
  auto [it, inserted] = series_.try_emplace(label_values);
  if (inserted && type_ == Type::kHistogram) {
    it->second.counts = std::make_unique<std::atomic<std::uint64_t>[]>(bounds_.size() + 1);  // zeros
  }
  return it->second;
}

void MetricFamily::increment(const std::vector<std::string>& label_values, double amount) {
  ZOOTER_CHECK(type_ != Type::kHistogram);
  ZOOTER_CHECK(type_ == Type::kGauge || amount >= 0.0);
  series(label_values).value.fetch_add(amount, std::memory_order_relaxed);
}

void MetricFamily::set(const std::vector<std::string>& label_values, double value) {
  ZOOTER_CHECK(type_ == Type::kGauge);
  series(label_values).value.store(value, std::memory_order_relaxed);
}

void MetricFamily::observe(const std::vector<std::string>& label_values, double value) {
  ZOOTER_CHECK(type_ == Type::kHistogram);
  // The first bucket whose upper bound is >= value (le is inclusive); past all: +Inf.
  const auto bucket = static_cast<std::size_t>(std::lower_bound(bounds_.begin(), bounds_.end(), value) - bounds_.begin());
  Series& s = series(label_values);
  s.counts[bucket].fetch_add(1, std::memory_order_relaxed);
  s.value.fetch_add(value, std::memory_order_relaxed);
}

double MetricFamily::value(const std::vector<std::string>& label_values) const {
  const std::shared_lock lock(mutex_);
  const auto it = series_.find(label_values);
  if (it == series_.end()) return 0.0;
  if (type_ != Type::kHistogram) return it->second.value.load(std::memory_order_relaxed);
  std::uint64_t count = 0;
  for (std::size_t b = 0; b <= bounds_.size(); ++b) count += it->second.counts[b].load(std::memory_order_relaxed);
  return static_cast<double>(count);
}

void MetricFamily::write(std::string& out) const {
  out += fmt::format("# HELP {} {}\n# TYPE {} {}\n", name_, escape(help_, false), name_, type_word(type_));
  const std::shared_lock lock(mutex_);
  for (const auto& [values, s] : series_) {
    const double value = s.value.load(std::memory_order_relaxed);
    if (type_ != Type::kHistogram) {
      out += fmt::format("{}{} {}\n", name_, label_text(label_names_, values), format_metric_value(value));
      continue;
    }
    std::uint64_t cumulative = 0;
    for (std::size_t b = 0; b <= bounds_.size(); ++b) {
      cumulative += s.counts[b].load(std::memory_order_relaxed);
      const std::string le = b < bounds_.size() ? format_metric_value(bounds_[b]) : "+Inf";
      out += fmt::format("{}_bucket{} {}\n", name_, label_text(label_names_, values, "le", le), cumulative);
    }
    out += fmt::format("{}_sum{} {}\n", name_, label_text(label_names_, values), format_metric_value(value));
    out += fmt::format("{}_count{} {}\n", name_, label_text(label_names_, values), cumulative);
  }
}

MetricFamily& MetricsRegistry::add(std::unique_ptr<MetricFamily> family) {
  const std::lock_guard lock(mutex_);
  for (const auto& f : families_) ZOOTER_CHECK(f->name() != family->name());
  families_.push_back(std::move(family));
  return *families_.back();
}

MetricFamily& MetricsRegistry::counter(std::string name, std::string help, std::vector<std::string> label_names) {
  return add(std::make_unique<MetricFamily>(std::move(name), std::move(help), MetricFamily::Type::kCounter,
                                            std::move(label_names), std::vector<double>{}));
}

MetricFamily& MetricsRegistry::gauge(std::string name, std::string help, std::vector<std::string> label_names) {
  return add(std::make_unique<MetricFamily>(std::move(name), std::move(help), MetricFamily::Type::kGauge,
                                            std::move(label_names), std::vector<double>{}));
}

MetricFamily& MetricsRegistry::histogram(std::string name, std::string help, std::vector<std::string> label_names,
                                         std::vector<double> bucket_bounds) {
  return add(std::make_unique<MetricFamily>(std::move(name), std::move(help), MetricFamily::Type::kHistogram,
                                            std::move(label_names), std::move(bucket_bounds)));
}

std::string MetricsRegistry::exposition() const {
  const std::lock_guard lock(mutex_);
  std::string out;
  for (const auto& family : families_) family->write(out);
  return out;
}

}  // namespace zooter::live
