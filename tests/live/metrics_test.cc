// The /metrics registry: exact exposition text for a known sequence of events.
#include "live/metrics.h"

#include <gtest/gtest.h>

#include <atomic>
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

// Series made by several threads at once (each thread its own, and one they share), updated
// while another thread scrapes: every count is exact at the end, and no scrape shows a _count
// that differs from the +Inf bucket.
TEST(MetricsTest, SeriesMadeAndScrapedWhileThreadsUpdate) {
  MetricsRegistry registry;
  MetricFamily& c = registry.counter("c_total", "C.", {"t"});
  MetricFamily& g = registry.gauge("g", "G.", {"t"});
  MetricFamily& h = registry.histogram("h", "H.", {"t"}, {0.001, 0.01});
  constexpr int kThreads = 4, kRounds = 2000;
  std::atomic<bool> done{false};
  std::atomic<int> mismatches{0}, scrapes{0};
  std::thread scraper([&] {
    while (!done.load()) {
      const std::string text = registry.exposition();
      for (std::size_t at = text.find("h_bucket{t=\""); at != std::string::npos; at = text.find("h_bucket{t=\"", at + 1)) {
        const std::size_t label_end = text.find('"', at + 12);
        const std::string label = text.substr(at + 12, label_end - at - 12);
        const std::string inf_key = "h_bucket{t=\"" + label + "\",le=\"+Inf\"} ";
        const std::string count_key = "h_count{t=\"" + label + "\"} ";
        const std::size_t inf = text.find(inf_key), count = text.find(count_key);
        if (inf == std::string::npos || count == std::string::npos) continue;
        const std::string inf_value = text.substr(inf + inf_key.size(), text.find('\n', inf) - inf - inf_key.size());
        const std::string count_value =
            text.substr(count + count_key.size(), text.find('\n', count) - count - count_key.size());
        if (inf_value != count_value) ++mismatches;
      }
      ++scrapes;
    }
  });
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      const std::string own = "own" + std::to_string(t);
      // The updates start once the scraper has scraped: on a loaded machine the writers could
      // otherwise all finish before the scraper thread first runs, and nothing would be tested.
      while (scrapes.load() == 0) std::this_thread::yield();
      for (int i = 0; i < kRounds; ++i) {
        c.increment({own});
        c.increment({"shared"}, 0.5);
        g.increment({"shared"}, i % 2 == 0 ? 1.0 : -1.0);
        h.observe({own}, 0.005);
        h.observe({"shared"}, i % 2 == 0 ? 0.0009765625 : 0.5);  // 2^-10 and 2^-1: exact sums
      }
    });
  }
  for (auto& t : threads) t.join();
  done = true;
  scraper.join();
  for (int t = 0; t < kThreads; ++t) {
    EXPECT_EQ(c.value({"own" + std::to_string(t)}), kRounds);
    EXPECT_EQ(h.value({"own" + std::to_string(t)}), kRounds);
  }
  EXPECT_EQ(c.value({"shared"}), 0.5 * kThreads * kRounds);  // halves add up exactly in binary
  EXPECT_EQ(g.value({"shared"}), 0.0);
  EXPECT_EQ(h.value({"shared"}), kThreads * kRounds);
  const std::string text = registry.exposition();
  // 4 x 1000 observations of 2^-10 fall in the first bucket; the other 4 x 1000 (0.5) past all.
  EXPECT_NE(text.find("h_bucket{t=\"shared\",le=\"0.001\"} 4000\n"), std::string::npos) << text;
  EXPECT_NE(text.find("h_bucket{t=\"shared\",le=\"0.01\"} 4000\n"), std::string::npos) << text;
  EXPECT_NE(text.find("h_bucket{t=\"shared\",le=\"+Inf\"} 8000\n"), std::string::npos) << text;
  // 4000 x 2^-10 + 4000 x 0.5, in any order: every partial sum is exact in a double.
  EXPECT_NE(text.find("h_sum{t=\"shared\"} 2003.90625\n"), std::string::npos) << text;
  EXPECT_GT(scrapes.load(), 0);
  EXPECT_EQ(mismatches.load(), 0);
}

}  // namespace
}  // namespace zooter::live
