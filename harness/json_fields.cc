#include "harness/json_fields.h"

#include <fmt/format.h>

#include <limits>
#include <utility>

#include "harness/error.h"
#include "harness/problem_list.h"

namespace zooter {

using rapidjson::Value;

JsonFields::JsonFields(const Value& object, std::string where, ProblemList& problems)
    : object_(object), where_(std::move(where)), problems_(&problems) {}

JsonFields::JsonFields(const Value& object, std::string where, const std::string& file, std::size_t line)
    : object_(object), where_(std::move(where)), file_(&file), line_(line) {}

JsonFields::JsonFields(const Value& object, std::string where, const JsonFields& policy)
    : object_(object), where_(std::move(where)), problems_(policy.problems_), file_(policy.file_), line_(policy.line_) {}

std::string JsonFields::at(const char* name) const { return where_.empty() ? name : where_ + "." + name; }

void JsonFields::problem(const char* name, const std::string& what) const {
  if (problems_ != nullptr) {
    problems_->add(0, at(name) + ": " + what);
    return;
  }
  throw InputError(*file_, line_, "field \"" + at(name) + "\": " + what);
}

const Value* JsonFields::get(const char* name, bool required) const {
  const auto it = object_.FindMember(name);
  if (it == object_.MemberEnd()) {
    if (required) problem(name, "missing");
    return nullptr;
  }
  return &it->value;
}

std::string JsonFields::text(const char* name, bool required, std::string fallback) const {
  const Value* v = get(name, required);
  if (v == nullptr) return fallback;
  if (!v->IsString()) {
    problem(name, "expected a string");
    return fallback;
  }
  return {v->GetString(), v->GetStringLength()};
}

double JsonFields::number(const char* name, bool required, double fallback) const {
  const Value* v = get(name, required);
  if (v == nullptr) return fallback;
  if (!v->IsNumber()) {
    problem(name, "expected a number");
    return fallback;
  }
  return v->GetDouble();
}

double JsonFields::number_or_nan(const char* name) const {
  const Value* v = get(name);
  if (v == nullptr || v->IsNull()) return std::numeric_limits<double>::quiet_NaN();
  return number(name);
}

std::uint64_t JsonFields::count(const char* name, std::uint64_t max) const {
  const Value* v = get(name);
  if (v == nullptr) return 0;
  if (!v->IsUint64() || v->GetUint64() > max) {
    problem(name, fmt::format("expected an integer in 0..{}", max));
    return 0;
  }
  return v->GetUint64();
}

bool JsonFields::boolean(const char* name, bool required, bool fallback) const {
  const Value* v = get(name, required);
  if (v == nullptr) return fallback;
  if (!v->IsBool()) {
    problem(name, "expected true or false");
    return fallback;
  }
  return v->GetBool();
}

const Value* JsonFields::array(const char* name, bool required) const {
  const Value* v = get(name, required);
  if (v == nullptr) return nullptr;
  if (!v->IsArray()) {
    problem(name, "expected an array");
    return nullptr;
  }
  return v;
}

JsonFields JsonFields::object(const char* name) const {
  static const Value kEmpty(rapidjson::kObjectType);
  const Value* v = get(name);
  const bool ok = v != nullptr && v->IsObject();
  if (v != nullptr && !ok) problem(name, "expected an object");
  return JsonFields(ok ? *v : kEmpty, at(name), *this);
}

}  // namespace zooter
