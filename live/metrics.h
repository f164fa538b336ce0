// A small Prometheus registry for `zooter serve`'s GET /metrics: counters, gauges and histograms
// with labels, written in the text exposition format 0.0.4.
//
// It is an object the server owns (no process-wide registry), thread-safe, and knows nothing of
// HTTP. Updating a series that exists already takes a shared lock and atomic adds, so serve's
// workers, which update several series per request, never make each other sleep; only a series'
// first update takes the family's lock exclusively. Families print in the order they were added,
// series within a family in label order, so the output of a known sequence of events is exact
// and testable.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <vector>

namespace zooter::live {

// One metric name with its HELP text, label names and series (one per label-value tuple).
class MetricFamily {
 public:
  enum class Type { kCounter, kGauge, kHistogram };

  MetricFamily(std::string name, std::string help, Type type, std::vector<std::string> label_names,
               std::vector<double> bucket_bounds);

  // `label_values` has one value per label name (checked). Counters only go up: increment()
  // with a negative amount is a programmer error. set() is for gauges, observe() for histograms.
  void increment(const std::vector<std::string>& label_values, double amount = 1.0);
  void set(const std::vector<std::string>& label_values, double value);
  void observe(const std::vector<std::string>& label_values, double value);

  // A series' current value (a histogram's: its count); 0 for a series never touched.
  [[nodiscard]] double value(const std::vector<std::string>& label_values) const;

  [[nodiscard]] const std::string& name() const { return name_; }
  void write(std::string& out) const;

 private:
  struct Series {
    std::atomic<double> value{0.0};  // counter/gauge value, or histogram sum
    // Histogram: per bucket (not cumulative), then +Inf; the count is their sum, so a scrape
    // during an update never shows a _count that disagrees with the +Inf bucket.
    std::unique_ptr<std::atomic<std::uint64_t>[]> counts;
  };
  // The series of `label_values`, made on first use. Series are never removed, so the reference
  // stays valid after the lock is gone.
  Series& series(const std::vector<std::string>& label_values);

  std::string name_;
  std::string help_;
  Type type_;
  std::vector<std::string> label_names_;
  std::vector<double> bounds_;  // histogram upper bounds, increasing, without +Inf
  mutable std::shared_mutex mutex_;  // guards series_ (the map, not the values: those are atomic)
  std::map<std::vector<std::string>, Series> series_;
};

class MetricsRegistry {
 public:
  // The returned family lives as long as the registry. Names must be unique and valid
  // Prometheus names (checked).
  MetricFamily& counter(std::string name, std::string help, std::vector<std::string> label_names = {});
  MetricFamily& gauge(std::string name, std::string help, std::vector<std::string> label_names = {});
  MetricFamily& histogram(std::string name, std::string help, std::vector<std::string> label_names,
                          std::vector<double> bucket_bounds);

  // Text exposition format 0.0.4 (Content-Type: text/plain; version=0.0.4).
  [[nodiscard]] std::string exposition() const;

 private:
  MetricFamily& add(std::unique_ptr<MetricFamily> family);

  mutable std::mutex mutex_;
  std::vector<std::unique_ptr<MetricFamily>> families_;
};

// Latency buckets in seconds: 0.5 ms (loopback proxying) up to 30 s (a long generation).
[[nodiscard]] std::vector<double> latency_buckets();

// The exposition text of a number: integers without a fraction, "+Inf", "-Inf", "NaN",
// otherwise the shortest form that reads back as the same double.
[[nodiscard]] std::string format_metric_value(double value);

}  // namespace zooter::live
