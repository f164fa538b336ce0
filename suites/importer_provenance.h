// The provenance object an importer writes into the manifest: where the data came from, its
// licence, the options used and every exclusion count, so a report can say what it rests on.
//
// Keys keep the order they are added in, and nothing depends on the clock or the host, so
// importing the same source twice gives byte-identical bundles.
#pragma once

#include <rapidjson/document.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace zooter::suites {

class ImportBuilder;
struct ImportOptions;

class Provenance {
 public:
  Provenance();
  Provenance(const Provenance&) = delete;
  Provenance& operator=(const Provenance&) = delete;

  void add(std::string_view key, std::string_view value);
  void add(std::string_view key, const char* value) { add(key, std::string_view(value)); }
  void add(std::string_view key, std::uint64_t value);
  void add(std::string_view key, double value);
  void add(std::string_view key, const std::vector<std::string>& values);
  void add(std::string_view key, const Provenance& object);

  // The serialised object, for Manifest::provenance_json.
  [[nodiscard]] std::string json() const;

 private:
  rapidjson::Document document_;
};

// An "options" object holding the settings every importer reads (suite, models, parameters,
// null-policy, reward); the importer adds its own after them.
void add_common_options(Provenance& options, const ImportOptions& import);

// queries_read, queries_kept, queries_dropped and an "exclusions" object (reason: queries).
void add_counts(Provenance& provenance, const ImportBuilder& builder);

}  // namespace zooter::suites
