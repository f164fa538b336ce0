// Collects what an importer reads (queries, and one cell per query and pool model) and
// assembles the Bundle. It applies --null-policy in one place: a query with a gap is left out
// for every model and counted under a reason (drop), or each gap is a problem (fail).
//
// It knows nothing of any source layout; the importers in suites/*_importer.cc feed it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "harness/bundle.h"
#include "suites/importer.h"

namespace zooter {
class ProblemList;
}

namespace zooter::suites {

struct ImportQuery {
  std::string id;
  std::string text;
  std::string subset;  // a subset id of the manifest finish() gets
  std::string split;   // a split name of that manifest
  std::uint32_t input_tokens = 0;
};

struct ImportCell {
  double gold = 0.0;
  std::uint32_t output_tokens = 0;
  double cost = std::numeric_limits<double>::quiet_NaN();  // NaN: not given
  std::string text;
};

class ImportBuilder {
 public:
  ImportBuilder(std::vector<std::string> models, std::vector<std::string> rewards,
                GapPolicy policy);

  // Adds a query and returns its index. Ids must be unique: callers check find_query first and
  // report a duplicate with its line.
  std::size_t add_query(ImportQuery query);
  [[nodiscard]] std::optional<std::size_t> find_query(std::string_view id) const;
  [[nodiscard]] std::optional<std::size_t> find_model(std::string_view name) const;
  [[nodiscard]] std::size_t query_count() const { return queries_.size(); }
  [[nodiscard]] const ImportQuery& query(std::size_t q) const { return queries_[q]; }
  [[nodiscard]] const std::vector<std::string>& models() const { return models_; }

  void set_cell(std::size_t q, std::size_t m, ImportCell cell);
  [[nodiscard]] bool has_cell(std::size_t q, std::size_t m) const {
    return present_[index(q, m)] != 0;
  }
  void set_reward(std::size_t r, std::size_t q, std::size_t m, double value);

  // A gap in the data of query q. Under drop, q is left out and counted under `reason` (a
  // query counts once per reason); under fail, `message` becomes a problem at `line`.
  void gap(std::size_t q, std::string_view reason, ProblemList& problems, std::size_t line,
           const std::string& message, std::string_view excerpt = {});
  [[nodiscard]] bool dropped(std::size_t q) const { return dropped_[q] != 0; }

  // Treats every cell or reward of a kept query that was never set as a gap (reasons
  // "missing_result" and "missing_reward", problems at line 0 of `problems`), then builds the
  // bundle from the kept queries in the order they were added. `manifest` must name every
  // subset and split the queries use, and hold the models and reward models in the builder's
  // order; its provenance is left as given. When every query read was left out, that is a
  // problem (line 0, naming the reasons) and the bundle returned is empty.
  [[nodiscard]] Bundle finish(Manifest manifest, ProblemList& problems);

  // Queries added, and those left out: in all and per reason (sorted by reason).
  [[nodiscard]] std::size_t queries_read() const { return queries_.size(); }
  [[nodiscard]] std::size_t queries_dropped() const;
  [[nodiscard]] std::vector<std::pair<std::string, std::size_t>> exclusions() const;

 private:
  [[nodiscard]] std::size_t index(std::size_t q, std::size_t m) const {
    return q * models_.size() + m;
  }

  std::vector<std::string> models_;
  std::vector<std::string> rewards_;
  GapPolicy policy_;
  std::vector<ImportQuery> queries_;
  std::unordered_map<std::string, std::size_t> query_index_;
  std::vector<ImportCell> cells_;
  std::vector<char> present_;
  std::vector<std::vector<double>> reward_values_;  // NaN until set
  std::vector<char> dropped_;
  std::map<std::string, std::set<std::size_t>, std::less<>> reasons_;  // reason -> dropped queries
};

}  // namespace zooter::suites
