// decisions.csv: every evaluated query's answer from every adapter, one row per query in bundle
// order: query, subset, then one column per adapter (evaluation order) naming the candidate
// whose answer the user receives, or "uniform" for the random baseline's expectation. It is
// the whole per-query record, of which report.html's drill-down shows a sample; the bundle
// holds every candidate's scores. Without a decision table in the report, only the header.
#include <ostream>

#include "harness/decision.h"
#include "reports/csv_field.h"
#include "reports/report.h"
#include "reports/writer_factories.h"

namespace zooter::reports {
namespace {

class DecisionsWriter final : public Writer {
 public:
  std::string file_name() const override { return "decisions.csv"; }

  void write(const Report& report, std::ostream& out) const override {
    const std::vector<AdapterResult>& adapters = report.evaluation.adapters;
    out << "query,subset";
    for (const AdapterResult& a : adapters) out << ',' << csv_field(a.name);
    out << '\n';
    if (!report.decisions) return;
    const DecisionTable& t = *report.decisions;
    std::vector<std::string> names;
    for (const std::string& model : report.models) names.push_back(csv_field(model));
    for (std::size_t i = 0; i < t.query_ids.size(); ++i) {
      out << csv_field(t.query_ids[i]) << ',' << csv_field(report.subsets[t.subsets[i]].id);
      for (std::size_t a = 0; a < adapters.size(); ++a) {
        const std::int16_t answer = t.answers[i * adapters.size() + a];
        out << ',' << (answer == Decision::kUniform ? "uniform" : names[static_cast<std::size_t>(answer)]);
      }
      out << '\n';
    }
  }
};

}  // namespace

std::unique_ptr<Writer> make_decisions_writer() { return std::make_unique<DecisionsWriter>(); }

}  // namespace zooter::reports
