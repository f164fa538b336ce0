// Typed reads of one JSON object's fields, every problem named by the field's dotted path
// ("groups[1].subsets[0].metric.min"). The one field reader of zooter's JSON files; what a
// problem does is chosen where the reader is made, and is the same for the whole file:
//
//   - collect (a ProblemList): the problem is recorded as "PATH: what" and the read returns
//     its fallback, so validation goes on and the user gets every problem of the file at once.
//     For files people and importers write (the bundle manifest).
//   - throw: InputError(file, line, "field \"PATH\": what") at the first problem. For files a
//     zooter command wrote (a router file's metadata): one wrong field means the file is not
//     what it claims to be, and what follows from it is not worth reading.
#pragma once

#include <rapidjson/document.h>

#include <cstddef>
#include <cstdint>
#include <string>

namespace zooter {

class ProblemList;

class JsonFields {
 public:
  // Collects: every problem goes to `problems` (line 0: the file as a whole).
  JsonFields(const rapidjson::Value& object, std::string where, ProblemList& problems);
  // Throws at the first problem, naming `file` and `line` (both must outlive the reader).
  JsonFields(const rapidjson::Value& object, std::string where, const std::string& file, std::size_t line);

  // The field, or nullptr when it is missing (a problem when required).
  [[nodiscard]] const rapidjson::Value* get(const char* name, bool required = true) const;
  [[nodiscard]] std::string text(const char* name, bool required = true, std::string fallback = "") const;
  [[nodiscard]] double number(const char* name, bool required = true, double fallback = 0.0) const;
  // A number, or NaN for null (or when missing, a problem).
  [[nodiscard]] double number_or_nan(const char* name) const;
  // An integer in 0..max (0 after a problem).
  [[nodiscard]] std::uint64_t count(const char* name, std::uint64_t max) const;
  [[nodiscard]] bool boolean(const char* name, bool required = true, bool fallback = false) const;
  // The field's array, or nullptr when it is missing or not an array.
  [[nodiscard]] const rapidjson::Value* array(const char* name, bool required = true) const;
  // A reader of the field's object (of an empty object after a problem), with the same policy.
  [[nodiscard]] JsonFields object(const char* name) const;

  // A problem with field `name` (which may be valid JSON but a wrong value).
  void problem(const char* name, const std::string& what) const;
  // The field's dotted path.
  [[nodiscard]] std::string at(const char* name) const;

 private:
  // A reader of a nested object, with the policy of `policy`.
  JsonFields(const rapidjson::Value& object, std::string where, const JsonFields& policy);

  const rapidjson::Value& object_;
  std::string where_;
  ProblemList* problems_ = nullptr;  // collect; else throw
  const std::string* file_ = nullptr;
  std::size_t line_ = 0;
};

}  // namespace zooter
