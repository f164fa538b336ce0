#include "harness/manifest_loader.h"

#include <rapidjson/document.h>
#include <rapidjson/error/en.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <fmt/format.h>

#include <cmath>
#include <fstream>
#include <optional>
#include <set>
#include <sstream>
#include <string_view>

#include "harness/bundle.h"
#include "harness/error.h"
#include "harness/input_file.h"
#include "harness/json_checks.h"
#include "harness/json_fields.h"
#include "harness/json_position.h"
#include "harness/problem_list.h"

namespace zooter {
namespace {

using rapidjson::Value;

// Checks a name field's value (`kind`: "model", "split", ...); a missing or mistyped field was
// already reported.
void check_name_field(const JsonFields& f, const char* field, const std::string& value, const char* kind,
                      ProblemList& problems) {
  const Value* v = f.get(field, false);
  if (v == nullptr || !v->IsString()) return;
  try {
    check_name(kind, value);
  } catch (const InputError& e) {
    // Parsed in place, the string's bytes lie in the file's text: their line is the name's.
    problems.add(problems.line_of(v->GetString()), f.at(field) + ": " + e.message());
  }
}

std::string item(const std::string& list, std::size_t i) {
  return list + "[" + std::to_string(i) + "]";
}

template <typename Each>
void for_objects(const Value* list, const std::string& where, ProblemList& problems, Each each) {
  if (list == nullptr) return;
  for (rapidjson::SizeType i = 0; i < list->Size(); ++i) {
    const Value& v = (*list)[i];
    if (!v.IsObject()) {
      problems.add(0, item(where, i) + ": expected an object");
      continue;
    }
    each(v, item(where, i));
  }
}

void check_unique(const std::vector<std::string>& names, const char* what, ProblemList& problems) {
  std::set<std::string> seen;
  for (const std::string& n : names) {
    if (!seen.insert(n).second) problems.add(0, std::string("duplicate ") + what + " \"" + n + "\"");
  }
}

void parse_groups(const Value& root, Manifest& m, ProblemList& problems) {
  JsonFields top(root, "", problems);
  const Value* groups = top.array("groups");
  if (groups != nullptr && groups->Empty()) problems.add(0, "groups: must not be empty");
  for_objects(groups, "groups", problems, [&](const Value& g, const std::string& where) {
    JsonFields f(g, where, problems);
    Group group;
    group.name = f.text("name");
    check_name_field(f, "name", group.name, "group", problems);
    const std::string display = f.text("display", false, "raw");
    if (display == "percent") {
      group.display = GroupDisplay::kPercent;
    } else if (display != "raw") {
      problems.add(0, f.at("display") + ": expected \"raw\" or \"percent\", got \"" + display + "\"");
    }
    const Value* subsets = f.array("subsets");
    if (subsets != nullptr && subsets->Empty()) problems.add(0, f.at("subsets") + ": must not be empty");
    for_objects(subsets, f.at("subsets"), problems, [&](const Value& s, const std::string& sw) {
      JsonFields sf(s, sw, problems);
      Subset subset;
      subset.id = sf.text("id");
      check_name_field(sf, "id", subset.id, "subset", problems);
      subset.name = sf.text("name", false, subset.id);
      subset.group = m.groups.size();
      // A gold-pending bundle may leave the metric to `zooter gold`, which adds it with the scores.
      const Value* metric = sf.get("metric", !m.gold_pending);
      subset.has_metric = metric != nullptr;
      if (metric != nullptr && !metric->IsObject()) {
        problems.add(0, sf.at("metric") + ": expected an object");
      } else if (metric != nullptr) {
        JsonFields mf(*metric, sf.at("metric"), problems);
        subset.metric.name = mf.text("name");
        subset.metric.min = mf.number("min");
        subset.metric.max = mf.number("max");
        subset.metric.higher_is_better = mf.boolean("higher_is_better", false, true);
        const Value* min = mf.get("min", false);
        const Value* max = mf.get("max", false);
        const bool both = min != nullptr && max != nullptr && min->IsNumber() && max->IsNumber();
        if (both && !(subset.metric.min < subset.metric.max)) {
          problems.add(0, mf.at("min") + ": must be below max");
        }
      }
      group.subsets.push_back(m.subsets.size());
      m.subsets.push_back(std::move(subset));
    });
    m.groups.push_back(std::move(group));
  });
}

void parse_models(const Value& root, Manifest& m, ProblemList& problems) {
  JsonFields top(root, "", problems);
  const Value* models = top.array("models");
  if (models != nullptr && models->Empty()) problems.add(0, "models: must not be empty");
  if (models != nullptr && models->Size() > kMaxModels) {
    problems.add(0, "models: at most " + std::to_string(kMaxModels) + " candidates are supported");
  }
  for_objects(models, "models", problems, [&](const Value& v, const std::string& where) {
    JsonFields f(v, where, problems);
    Model model;
    model.name = f.text("name");
    check_name_field(f, "name", model.name, "model", problems);
    model.parameters = f.number("parameters");
    if (!(model.parameters > 0)) problems.add(0, f.at("parameters") + ": must be > 0");
    const bool has_in = f.get("price_per_million_input", false) != nullptr;
    const bool has_out = f.get("price_per_million_output", false) != nullptr;
    if (has_in != has_out) {
      problems.add(0, where + ": give both price_per_million_input and price_per_million_output, or neither");
    } else if (has_in) {
      model.price_per_million_input = f.number("price_per_million_input");
      model.price_per_million_output = f.number("price_per_million_output");
      if (*model.price_per_million_input < 0 || *model.price_per_million_output < 0) {
        problems.add(0, where + ": prices must be >= 0");
      }
    }
    m.models.push_back(std::move(model));
  });
  const Value* rms = top.array("reward_models", false);
  for_objects(rms, "reward_models", problems, [&](const Value& v, const std::string& where) {
    JsonFields f(v, where, problems);
    RewardModel rm;
    rm.name = f.text("name");
    check_name_field(f, "name", rm.name, "reward model", problems);
    rm.parameters = f.number("parameters");
    if (!(rm.parameters > 0)) problems.add(0, f.at("parameters") + ": must be > 0");
    m.reward_models.push_back(std::move(rm));
  });
}

}  // namespace

Manifest parse_manifest(const std::string& text, const std::string& path) {
  ProblemList problems(path);
  if (text.size() >= 3 && text.compare(0, 3, "\xEF\xBB\xBF") == 0) {
    problems.add(1, "starts with a UTF-8 byte-order mark; save the file without it");
    problems.throw_if_any();
  }
  // Parsed in place (in a copy): a string value's bytes stay where the file has them, so a
  // problem with a name can give its line.
  std::string buffer = text;
  rapidjson::Document doc;
  doc.ParseInsitu<kJsonParseFlags>(buffer.data());
  problems.set_source(text, buffer.data());
  if (doc.HasParseError()) {
    const TextPosition p = position_of(text, doc.GetErrorOffset());
    throw InputError(path, p.line,
                     "column " + std::to_string(p.column) + ": invalid JSON: " +
                         rapidjson::GetParseError_En(doc.GetParseError()));
  }
  if (const std::optional<DuplicateKey> duplicate = find_duplicate_key(text)) {
    const TextPosition p = position_of(text, duplicate->offset);
    throw InputError(path, p.line, duplicate_key_message(*duplicate));
  }
  if (!doc.IsObject()) throw InputError(path, 1, "expected a JSON object");

  Manifest m;
  JsonFields top(doc, "", problems);
  const std::string format = top.text("format");
  if (format != "zooter-bundle" && top.get("format", false) != nullptr) {
    problems.add(0, "format: expected \"zooter-bundle\", got \"" + format + "\"");
  }
  const Value* version_value = top.get("version", false);
  const double version = top.number("version");
  if (version_value != nullptr && version_value->IsNumber() && version != 1) {
    problems.add(0, "version: this zooter reads version 1, the file says " + fmt::format("{}", version));
  }
  m.suite = top.text("suite");
  check_name_field(top, "suite", m.suite, "suite", problems);
  m.description = top.text("description", false);
  m.simulated = top.boolean("simulated", false, false);
  if (const Value* gold = top.get("gold", false)) {
    if (gold->IsString() && std::string_view(gold->GetString(), gold->GetStringLength()) == "pending") {
      m.gold_pending = true;
    } else {
      problems.add(0, "gold: expected \"pending\" (leave the field out when every response has its gold)");
    }
  }

  const Value* splits = top.array("splits");
  if (splits != nullptr && splits->Empty()) problems.add(0, "splits: must not be empty");
  for_objects(splits, "splits", problems, [&](const Value& v, const std::string& where) {
    JsonFields f(v, where, problems);
    Split split;
    split.name = f.text("name");
    check_name_field(f, "name", split.name, "split", problems);
    split.gold_for_training = f.boolean("gold_for_training", false, true);
    m.splits.push_back(std::move(split));
  });
  parse_groups(doc, m, problems);
  parse_models(doc, m, problems);

  if (const Value* provenance = top.get("provenance", false)) {
    if (!provenance->IsObject()) {
      problems.add(0, "provenance: expected an object");
    } else {
      rapidjson::StringBuffer buffer;
      rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
      provenance->Accept(writer);
      m.provenance_json.assign(buffer.GetString(), buffer.GetSize());
    }
  }

  std::vector<std::string> names;
  for (const Split& s : m.splits) names.push_back(s.name);
  check_unique(names, "split", problems);
  names.clear();
  for (const Group& g : m.groups) names.push_back(g.name);
  check_unique(names, "group", problems);
  names.clear();
  for (const Subset& s : m.subsets) names.push_back(s.id);
  check_unique(names, "subset id", problems);
  names.clear();
  for (const Model& x : m.models) names.push_back(x.name);
  for (const RewardModel& x : m.reward_models) names.push_back(x.name);
  check_unique(names, "model or reward model name", problems);

  problems.throw_if_any();
  return m;
}

Manifest load_manifest(const std::string& path, std::string* text_out) {
  const std::string bytes = read_input_file(path, "(is this a bundle directory?)");
  if (bytes.empty()) throw InputError(path, 0, "file is empty");
  if (text_out != nullptr) *text_out = bytes;
  return parse_manifest(bytes, path);
}

}  // namespace zooter
