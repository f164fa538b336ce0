#include "suites/importer_provenance.h"

#include <fmt/format.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "suites/importer.h"
#include "suites/importer_builder.h"

namespace zooter::suites {
namespace {

rapidjson::Value text(std::string_view s, rapidjson::Document::AllocatorType& allocator) {
  return rapidjson::Value(s.data(), static_cast<rapidjson::SizeType>(s.size()), allocator);
}

}  // namespace

Provenance::Provenance() { document_.SetObject(); }

void Provenance::add(std::string_view key, std::string_view value) {
  auto& a = document_.GetAllocator();
  document_.AddMember(text(key, a), text(value, a), a);
}

void Provenance::add(std::string_view key, std::uint64_t value) {
  auto& a = document_.GetAllocator();
  document_.AddMember(text(key, a), rapidjson::Value(value), a);
}

void Provenance::add(std::string_view key, double value) {
  auto& a = document_.GetAllocator();
  document_.AddMember(text(key, a), rapidjson::Value(value), a);
}

void Provenance::add(std::string_view key, const std::vector<std::string>& values) {
  auto& a = document_.GetAllocator();
  rapidjson::Value array(rapidjson::kArrayType);
  for (const std::string& v : values) array.PushBack(text(v, a), a);
  document_.AddMember(text(key, a), array, a);
}

void Provenance::add(std::string_view key, const Provenance& object) {
  auto& a = document_.GetAllocator();
  document_.AddMember(text(key, a), rapidjson::Value(object.document_, a), a);
}

std::string Provenance::json() const {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  document_.Accept(writer);
  return std::string(buffer.GetString(), buffer.GetSize());
}

void add_common_options(Provenance& options, const ImportOptions& import) {
  options.add("suite", import.suite);
  options.add("models", import.models);
  std::vector<std::string> parameters;
  for (const auto& [name, count] : import.parameters) {
    parameters.push_back(fmt::format("{}={}", name, count));
  }
  options.add("parameters", parameters);
  options.add("null-policy", import.null_policy == GapPolicy::kDrop ? "drop" : "fail");
  options.add("reward", import.derived_rewards);
}

void add_counts(Provenance& provenance, const ImportBuilder& builder) {
  const std::size_t read = builder.queries_read();
  const std::size_t dropped = builder.queries_dropped();
  provenance.add("queries_read", static_cast<std::uint64_t>(read));
  provenance.add("queries_kept", static_cast<std::uint64_t>(read - dropped));
  provenance.add("queries_dropped", static_cast<std::uint64_t>(dropped));
  Provenance exclusions;
  for (const auto& [reason, count] : builder.exclusions()) {
    exclusions.add(reason, static_cast<std::uint64_t>(count));
  }
  provenance.add("exclusions", exclusions);
}

}  // namespace zooter::suites
