// The HTML report: a structural golden file of examples/tiny with its drill-down (regenerate
// with ZOOTER_UPDATE_GOLDEN=1 build/zooter_tests --gtest_filter='Golden*' and review it by eye,
// or in a browser with scripts/check-html.sh), plus the properties a golden file cannot show
// by itself: every section is there, nothing is fetched from the network, texts cannot break
// out of their element, unknown numbers read "n/a", and the drill-down data holds each query
// exactly once.
#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <cmath>
#include <cstdlib>
#include <limits>
#include <regex>
#include <sstream>

#include "tests/support/test_paths.h"
#include "harness/bundle.h"
#include "harness/bundle_loader.h"
#include "pipeline/run_pipeline.h"
#include "harness/run_context.h"
#include "harness/stats/frontier.h"
#include "reports/writer.h"
#include "tests/helpers.h"

namespace zooter::reports {
namespace {

constexpr std::string_view kDataOpen = "<script type=\"application/json\" id=\"drilldown-data\">";

// examples/tiny evaluated as `zooter run --format html` does (drill-down kept), provenance left
// at its defaults so the page holds only deterministic content.
Report tiny_report() {
  const Bundle bundle = load_bundle(test::tiny_bundle_dir());
  const RunContext ctx(1);
  pipeline::RunSettings settings;
  settings.drilldown = true;
  Report report = pipeline::run_evaluation(bundle, settings, ctx);
  report.provenance = Provenance{};
  return report;
}

std::string html_of(const Report& report) {
  std::ostringstream out;
  make_writer("html")->write(report, out);
  return out.str();
}

std::size_t count(const std::string& text, const std::string& needle) {
  std::size_t n = 0;
  for (std::size_t at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) ++n;
  return n;
}

// The text inside <script type="application/json" id="drilldown-data">; "" when absent.
std::string embedded_json(const std::string& page) {
  const std::size_t open = page.find(kDataOpen);
  if (open == std::string::npos) return "";
  const std::size_t start = open + kDataOpen.size();
  return page.substr(start, page.find("</script>", start) - start);
}

rapidjson::Document parsed_drilldown(const std::string& page) {
  rapidjson::Document doc;
  const std::string json = embedded_json(page);
  doc.Parse(json.c_str(), json.size());
  EXPECT_FALSE(doc.HasParseError()) << "drill-down data is not valid JSON, offset " << doc.GetErrorOffset();
  return doc;
}

TEST(GoldenHtml, Tiny) {
  const std::string page = html_of(tiny_report());
  const std::string path = zooter::test::test_data("/golden/tiny.report.html");
  if (std::getenv("ZOOTER_UPDATE_GOLDEN") != nullptr) {
    test::write_file(path, page);
    GTEST_SKIP() << "rewrote " << path;
  }
  const std::string expected = test::read_file(path);
  EXPECT_EQ(page, expected) << "differs from " << path;
}

TEST(HtmlWriter, WritesReportHtml) { EXPECT_EQ(make_writer("html")->file_name(), "report.html"); }

TEST(HtmlWriter, HasEverySection) {
  const std::string page = html_of(tiny_report());
  for (const char* id : {"overview", "table1", "frontier", "heatmap", "routing", "drilldown", "provenance"}) {
    SCOPED_TRACE(id);
    EXPECT_EQ(count(page, std::string("<section id=\"") + id + "\""), 1u);
    EXPECT_EQ(count(page, std::string("href=\"#") + id + "\""), 1u);  // in the navigation bar
  }
  EXPECT_EQ(page.rfind("</html>\n"), page.size() - 8);
}

TEST(HtmlWriter, FetchesNothingFromTheNetwork) {
  const std::string page = html_of(tiny_report());
  // Any src, href, action or CSS url() that names a scheme other than data: or a
  // protocol-relative "//host".
  const std::regex remote(R"re((src|href|action|srcset)\s*=\s*["']?\s*(https?:|//|ftp:|ws:))re",
                          std::regex::icase);
  EXPECT_FALSE(std::regex_search(page, remote));
  EXPECT_FALSE(std::regex_search(page, std::regex(R"(url\(\s*["']?\s*(https?:|//))", std::regex::icase)));
  EXPECT_FALSE(std::regex_search(page, std::regex("@import", std::regex::icase)));
  EXPECT_EQ(page.find("http://"), std::string::npos);
  EXPECT_EQ(page.find("https://"), std::string::npos);
  // The browser enforces it too: the policy allows inline style and script and nothing else.
  EXPECT_NE(page.find("content=\"default-src 'none'; style-src 'unsafe-inline'; "
                      "script-src 'unsafe-inline'; img-src data:\""),
            std::string::npos);
}

TEST(HtmlWriter, EscapesTextInHtmlAndInTheEmbeddedJson) {
  const std::string hostile = "</script><b>&\"'";
  Report report = tiny_report();
  report.suite = hostile;
  report.notes.push_back(hostile);
  report.evaluation.adapters[0].notes.push_back(hostile);
  report.drilldown->queries[0].text = hostile;
  report.drilldown->queries[1].id = "<!--" + hostile;
  const std::string page = html_of(report);

  // Only the page's own two script elements close.
  EXPECT_EQ(count(page, "<script"), 2u);
  EXPECT_EQ(count(page, "</script>"), 2u);
  EXPECT_EQ(page.find("<!--"), std::string::npos);
  std::string outside_data = page;
  const std::string data_text = embedded_json(page);
  outside_data.erase(outside_data.find(data_text), data_text.size());
  EXPECT_EQ(outside_data.find("<b>"), std::string::npos);  // inert inside the JSON, nowhere else
  const std::string escaped = "&lt;/script&gt;&lt;b&gt;&amp;&quot;&#39;";
  EXPECT_EQ(count(page, escaped), 4u);  // title, heading, run note, adapter note
  EXPECT_NE(page.find("\"<\\/script><b>&\\\"'\""), std::string::npos);

  const rapidjson::Document data = parsed_drilldown(page);
  ASSERT_TRUE(data.IsObject());
  EXPECT_EQ(std::string(data["queries"][0][2].GetString()), hostile);
  EXPECT_EQ(std::string(data["queries"][1][0].GetString()), "<!--" + hostile);
}

TEST(HtmlWriter, EscapesLineSeparatorsAndMalformedUtf8) {
  Report report = tiny_report();
  report.drilldown->queries[0].text = "a\u2028b\u2029c";
  report.drilldown->queries[1].text = std::string("bad \xC3 byte, \xED\xA0\x80 surrogate, \x01 control");
  report.notes.push_back(std::string("note \xFF end"));
  const std::string page = html_of(report);
  EXPECT_EQ(page.find("\u2028"), std::string::npos);
  EXPECT_EQ(page.find("\u2029"), std::string::npos);
  EXPECT_NE(page.find("a\\u2028b\\u2029c"), std::string::npos);
  EXPECT_NE(page.find("note \uFFFD end"), std::string::npos);

  const rapidjson::Document data = parsed_drilldown(page);
  ASSERT_TRUE(data.IsObject());
  EXPECT_EQ(std::string(data["queries"][0][2].GetString()), "a\u2028b\u2029c");
  EXPECT_EQ(std::string(data["queries"][1][2].GetString()),
            "bad \uFFFD byte, \uFFFD\uFFFD\uFFFD surrogate, \x01 control");
}

TEST(HtmlWriter, UnknownNumbersReadNotAvailable) {
  Report report = tiny_report();
  const std::regex nan_or_inf(R"(\b(nan|-?inf)\b)", std::regex::icase);
  {
    SCOPED_TRACE("scores known, one adapter's dollars missing");
    report.evaluation.adapters[2].cost.dollars.reset();
    const std::string page = html_of(report);
    EXPECT_FALSE(std::regex_search(page, nan_or_inf));
    EXPECT_NE(page.find("<td class=\"num\">1.00x</td><td class=\"num\">n/a</td>"), std::string::npos);
  }
  {
    SCOPED_TRACE("scores known, every adapter's dollars missing: no dollar column");
    for (AdapterResult& a : report.evaluation.adapters) a.cost.dollars.reset();
    const std::string page = html_of(report);
    EXPECT_FALSE(std::regex_search(page, nan_or_inf));
    EXPECT_EQ(page.find("<th>dollars</th>"), std::string::npos);
    EXPECT_NE(page.find("No dollar column: no adapter has a known dollar cost."), std::string::npos);
  }
  {
    SCOPED_TRACE("a NaN score, rank and interval");
    report.evaluation.adapters[1].subset_score[0] = std::nan("");
    report.evaluation.adapters[1].uplift = std::nan("");
    report.uncertainty->adapters[1].mtr.lo = std::numeric_limits<double>::infinity();
    report.drilldown->queries[0].gold[0] = std::nan("");
    const std::string page = html_of(report);
    EXPECT_FALSE(std::regex_search(page, nan_or_inf));
    EXPECT_NE(page.find("[n/a, "), std::string::npos);
    const rapidjson::Document data = parsed_drilldown(page);
    ASSERT_TRUE(data.IsObject());
    EXPECT_TRUE(data["queries"][0][3][0].IsNull());
  }
}

TEST(HtmlWriter, EmbedsEveryDrilldownQueryOnce) {
  const Report report = tiny_report();
  const std::string page = html_of(report);
  EXPECT_EQ(count(page, std::string(kDataOpen)), 1u);
  const rapidjson::Document data = parsed_drilldown(page);
  ASSERT_TRUE(data.IsObject());
  const auto& queries = data["queries"];
  ASSERT_EQ(queries.Size(), report.evaluation.queries);
  ASSERT_EQ(queries.Size(), 7u);
  EXPECT_EQ(data["adapters"].Size(), report.evaluation.adapters.size());
  EXPECT_EQ(data["models"].Size(), 3u);
  EXPECT_EQ(data["reward_models"].Size(), 1u);
  EXPECT_EQ(std::string(queries[0][0].GetString()), "h1");
  EXPECT_EQ(std::string(queries[0][2].GetString()), "how should i store fresh herbs");
  const std::size_t random = 4;  // the uniform expectation
  ASSERT_EQ(report.evaluation.adapters[random].name, "random");
  for (const auto& q : queries.GetArray()) {
    ASSERT_EQ(q.Size(), 6u);
    EXPECT_EQ(q[3].Size(), 3u);                   // gold per candidate
    EXPECT_EQ(q[4].Size(), 1u);                   // one reward model
    EXPECT_EQ(q[4][0].Size(), 3u);                // its reward per candidate
    EXPECT_EQ(q[5].Size(), report.evaluation.adapters.size());
    EXPECT_EQ(q[5][random].GetInt(), -1);
  }
}

// The page embeds a large drill-down as data once and leaves paging to the script: 50,000
// queries cost one JSON line each, not 50,000 table rows.
TEST(HtmlWriter, LargeDrilldownIsDataNotRows) {
  Report report = tiny_report();
  const std::vector<QueryDetail> seven = report.drilldown->queries;
  report.drilldown->queries.clear();
  for (std::size_t i = 0; i < 50000; ++i) {
    QueryDetail q = seven[i % seven.size()];
    q.id = "q" + std::to_string(i);
    report.drilldown->queries.push_back(std::move(q));
  }
  const std::string page = html_of(report);
  const rapidjson::Document data = parsed_drilldown(page);
  ASSERT_TRUE(data.IsObject());
  EXPECT_EQ(data["queries"].Size(), 50000u);
  EXPECT_EQ(std::string(data["queries"][49999][0].GetString()), "q49999");
  EXPECT_EQ(count(page, "<tr"), count(html_of(tiny_report()), "<tr"));
  EXPECT_LT(page.size(), 120u * 50000u);  // ~100 bytes per tiny query
}

// A sampled drill-down says how many queries it shows, how they were picked and how many it
// left out; a complete one keeps the short sentence.
TEST(HtmlWriter, SampledDrilldownSaysWhatItShows) {
  Report report = tiny_report();
  EXPECT_NE(html_of(report).find("<p class=\"muted\">7 evaluated queries; texts are cut at 600 bytes."),
            std::string::npos);
  report.drilldown->evaluated_queries = 1000;
  report.drilldown->most_disagreeing = 3;
  report.drilldown->per_subset = 2;
  EXPECT_NE(html_of(report).find(
                "<p class=\"muted\">A sample of 7 of the 1000 evaluated queries (993 left out to keep "
                "this page small; every figure above is computed on all of them): the 3 on which the "
                "routing adapters chose the most distinct candidates (ties: the widest gold spread "
                "among their answers, then bundle order), and up to 2 per subset, evenly spaced in "
                "bundle order. Every query's decision from every adapter is written by zooter run "
                "--decisions DIR (DIR/decisions.csv), its responses are in the bundle. Texts are cut "
                "at 600 bytes."),
            std::string::npos);
}

TEST(HtmlWriter, SaysWhatIsAbsent) {
  Report report = tiny_report();
  report.drilldown.reset();
  report.frontier.reset();
  const std::string page = html_of(report);
  EXPECT_NE(page.find("This report has no per-query drill-down."), std::string::npos);
  EXPECT_NE(page.find("No cost-quality frontier was computed for this run."), std::string::npos);
  EXPECT_EQ(page.find(kDataOpen), std::string::npos);
  EXPECT_EQ(page.find("<svg viewBox"), std::string::npos);
}

// A frontier worked out by hand: three points of which two are Pareto-optimal, and one sweep.
TEST(HtmlWriter, DrawsTheFrontier) {
  Report report = tiny_report();
  Frontier f;
  f.cost_unit = "TFLOPs";
  f.points = {{"cheap", 1.0, 0.5, 0.0, true}, {"dear", 4.0, 0.6, 0.0, false}, {"good", 2.0, 0.9, 0.0, true}};
  std::vector<stats::CostQuality> plane;
  for (const FrontierPoint& p : f.points) plane.push_back({p.cost, p.quality});
  f.hull = stats::non_decreasing_hull(plane);
  ASSERT_EQ(f.hull.size(), 3u);  // cheap, good, then flat to cost 4
  f.aiq = stats::aiq(plane);
  Sweep sweep;
  sweep.adapter = "zooter@beta=0.3,reward=judge-rm";
  sweep.lambdas = {0.0, 0.5, 1.0};
  sweep.points = {{"l0", 3.0, 0.8, 0.0, false}, {"l1", 2.0, 0.7, 0.0, false}, {"l2", 1.0, 0.55, 0.0, false}};
  f.sweeps.push_back(sweep);
  report.frontier = f;
  const std::string page = html_of(report);
  EXPECT_EQ(page.find("No cost-quality frontier"), std::string::npos);
  const std::size_t svg_start = page.find("<svg viewBox");
  ASSERT_NE(svg_start, std::string::npos);
  const std::string svg = page.substr(svg_start, page.find("</svg>", svg_start) - svg_start);

  EXPECT_EQ(count(svg, "<circle class=\"point pareto\""), 2u);
  EXPECT_EQ(count(svg, "<circle class=\"point\""), 1u);
  EXPECT_EQ(count(svg, "<polyline class=\"hull\""), 1u);
  EXPECT_EQ(count(svg, "<polyline class=\"sweep\""), 1u);
  EXPECT_NE(svg.find("cost per query (TFLOPs)"), std::string::npos);
  // x runs from 0 to 4 over pixels 70..800; y from 0.5 to 0.9 over pixels 390..16.
  EXPECT_NE(svg.find("<polyline class=\"hull\" points=\"252.5,390.0 435.0,16.0 800.0,16.0 \""),
            std::string::npos);
  EXPECT_NE(svg.find(">good</text>"), std::string::npos);  // Pareto points are labelled
  EXPECT_EQ(svg.find(">dear</text>"), std::string::npos);
  EXPECT_NE(page.find("zooter@beta=0.3,reward=judge-rm"), std::string::npos);
}

TEST(HtmlWriter, ProvenanceIsSetApartAndEscaped) {
  Report report = tiny_report();
  report.provenance.date = "2024-01-02T03:04:05Z";
  report.provenance.configuration = {{"adapter", "rmr@judge-rm"}, {"out", "a<b"}};
  report.provenance.measurements = {{"bootstrap seconds", "0.123"}};
  const std::string page = html_of(report);
  const std::size_t provenance = page.find("<section id=\"provenance\"");
  ASSERT_NE(provenance, std::string::npos);
  EXPECT_GT(provenance, page.find("<section id=\"drilldown\""));
  EXPECT_GT(page.find("2024-01-02T03:04:05Z"), provenance);  // the only date, inside it
  EXPECT_NE(page.find("a&lt;b"), std::string::npos);
  EXPECT_GT(page.find("bootstrap seconds"), provenance);
}

TEST(HtmlWriter, SameReportSameBytes) {
  const Report report = tiny_report();
  EXPECT_EQ(html_of(report), html_of(report));
}

}  // namespace
}  // namespace zooter::reports
