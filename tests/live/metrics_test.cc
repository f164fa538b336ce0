// The /metrics registry: exact exposition text for a known sequence of events.
#include "harness/live/metrics.h"

#include <gtest/gtest.h>

#include <thread>
#include <vector>

namespace zooter::live {
namespace {

TEST(MetricsTest, CountersAndGaugesWithLabels) {
  MetricsRegistry registry;
  MetricFamily& requests = registry.counter("zooter_requests_total", "Requests by code.", {"path", "code"});
  MetricFamily& open = registry.gauge("zooter_open_connections", "Open client connections.");
  requests.increment({"/v1/chat/completions", "200"});
  requests.increment({"/v1/chat/completions", "200"});
  requests.increment({"/healthz", "200"});
  requests.increment({"/v1/chat/completions", "502"}, 3);
  open.set({}, 4);
  open.increment({}, -1);
  EXPECT_EQ(registry.exposition(),
            "# HELP zooter_requests_total Requests by code.\n"
            "# TYPE zooter_requests_total counter\n"
            "zooter_requests_total{path=\"/healthz\",code=\"200\"} 1\n"
            "zooter_requests_total{path=\"/v1/chat/completions\",code=\"200\"} 2\n"
            "zooter_requests_total{path=\"/v1/chat/completions\",code=\"502\"} 3\n"
            "# HELP zooter_open_connections Open client connections.\n"
            "# TYPE zooter_open_connections gauge\n"
            "zooter_open_connections 3\n");
  EXPECT_EQ(requests.value({"/v1/chat/completions", "200"}), 2.0);
  EXPECT_EQ(requests.value({"/nowhere", "200"}), 0.0);
}

TEST(MetricsTest, HistogramBucketsAreCumulativeAndInclusive) {
  MetricsRegistry registry;
  MetricFamily& latency = registry.histogram("lat_seconds", "Latency.", {"model"}, {0.001, 0.5, 2});
  latency.observe({"a"}, 0.001);  // on a bound: counts in that bucket (le is inclusive)
  latency.observe({"a"}, 0.25);
  latency.observe({"a"}, 3);
  EXPECT_EQ(registry.exposition(),
            "# HELP lat_seconds Latency.\n"
            "# TYPE lat_seconds histogram\n"
            "lat_seconds_bucket{model=\"a\",le=\"0.001\"} 1\n"
            "lat_seconds_bucket{model=\"a\",le=\"0.5\"} 2\n"
            "lat_seconds_bucket{model=\"a\",le=\"2\"} 2\n"
            "lat_seconds_bucket{model=\"a\",le=\"+Inf\"} 3\n"
            "lat_seconds_sum{model=\"a\"} 3.251\n"
            "lat_seconds_count{model=\"a\"} 3\n");
  EXPECT_EQ(latency.value({"a"}), 3.0);
}

TEST(MetricsTest, HistogramWithoutLabels) {
  MetricsRegistry registry;
  registry.histogram("h", "H.", {}, {1}).observe({}, 0.5);
  EXPECT_EQ(registry.exposition(),
            "# HELP h H.\n# TYPE h histogram\nh_bucket{le=\"1\"} 1\nh_bucket{le=\"+Inf\"} 1\nh_sum 0.5\nh_count 1\n");
}

TEST(MetricsTest, EscapesLabelValuesAndHelp) {
  MetricsRegistry registry;
  registry.counter("c_total", "line one\nback\\slash \"quoted\"", {"model"}).increment({"a\"b\\c\nd"});
  EXPECT_EQ(registry.exposition(),
            "# HELP c_total line one\\nback\\\\slash \"quoted\"\n"
            "# TYPE c_total counter\n"
            "c_total{model=\"a\\\"b\\\\c\\nd\"} 1\n");
}

TEST(MetricsTest, FormatsNumbers) {
  EXPECT_EQ(format_metric_value(0), "0");
  EXPECT_EQ(format_metric_value(12), "12");
  EXPECT_EQ(format_metric_value(0.0005), "0.0005");
  EXPECT_EQ(format_metric_value(2.5), "2.5");
  EXPECT_EQ(format_metric_value(1.0 / 0.0), "+Inf");
  EXPECT_EQ(latency_buckets().front(), 0.0005);
  EXPECT_EQ(latency_buckets().back(), 30.0);
}

TEST(MetricsTest, CountsFromManyThreads) {
  MetricsRegistry registry;
  MetricFamily& c = registry.counter("c_total", "C.", {"t"});
  MetricFamily& h = registry.histogram("h", "H.", {}, latency_buckets());
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 1000; ++i) {
        c.increment({"x"});
        h.observe({}, 0.002);
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(c.value({"x"}), 4000.0);
  EXPECT_EQ(h.value({}), 4000.0);
}

}  // namespace
}  // namespace zooter::live
