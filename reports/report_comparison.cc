#include "reports/report_comparison.h"

#include <fmt/format.h>
#include <rapidjson/document.h>
#include <rapidjson/error/en.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <map>
#include <ostream>
#include <sstream>

#include "harness/error.h"
#include "harness/input_file.h"
#include "harness/json_position.h"

namespace zooter::reports {
namespace {

using rapidjson::Value;

struct Loaded {
  std::string path;
  rapidjson::Document doc;
  const Value* results = nullptr;
};

void load(Loaded& out, const std::string& path) {
  const std::string bytes = read_input_file(path, "(expected a report.json)");
  out.path = path;
  out.doc.Parse<rapidjson::kParseFullPrecisionFlag>(bytes.c_str(), bytes.size());
  if (out.doc.HasParseError()) {
    const TextPosition p = position_of(bytes, out.doc.GetErrorOffset());
    throw InputError(path, p.line, fmt::format("column {}: invalid JSON: {}", p.column,
                                               rapidjson::GetParseError_En(out.doc.GetParseError())));
  }
  if (!out.doc.IsObject() || !out.doc.HasMember("format") || !out.doc["format"].IsString() ||
      std::string(out.doc["format"].GetString()) != "zooter-report") {
    throw InputError(path, 0, "not a zooter report.json (no \"format\": \"zooter-report\")");
  }
  if (!out.doc.HasMember("results") || !out.doc["results"].IsObject()) {
    throw InputError(path, 0, "missing \"results\" object");
  }
  out.results = &out.doc["results"];
}

const Value& member(const Loaded& r, const Value& object, const char* name, const std::string& where) {
  if (!object.IsObject() || !object.HasMember(name)) {
    throw InputError(r.path, 0, fmt::format("{}: missing \"{}\"", where, name));
  }
  return object[name];
}

double number(const Loaded& r, const Value& object, const char* name, const std::string& where) {
  const Value& v = member(r, object, name, where);
  if (!v.IsNumber()) throw InputError(r.path, 0, fmt::format("{}.{}: expected a number", where, name));
  return v.GetDouble();
}

std::optional<std::pair<double, double>> interval(const Value& object, const char* name) {
  if (!object.IsObject() || !object.HasMember(name)) return std::nullopt;
  const Value& v = object[name];
  if (!v.IsArray() || v.Size() != 2 || !v[0].IsNumber() || !v[1].IsNumber()) return std::nullopt;
  return std::make_pair(v[0].GetDouble(), v[1].GetDouble());
}

std::optional<double> standard_error(const Value& object, const std::string& name) {
  if (!object.IsObject() || !object.HasMember(name.c_str())) return std::nullopt;
  const Value& v = object[name.c_str()];
  if (!v.IsNumber()) return std::nullopt;
  return v.GetDouble();
}

// Base and new bootstrap standard errors of one metric, when both reports have them.
struct Errors {
  std::optional<double> base, current;
};

std::string text_of(const Value& v) {
  if (v.IsString()) return v.GetString();
  return "";
}

std::vector<std::string> names(const Value& array, const char* key) {
  std::vector<std::string> out;
  if (!array.IsArray()) return out;
  for (const Value& v : array.GetArray()) {
    out.push_back(key == nullptr ? text_of(v) : (v.HasMember(key) ? text_of(v[key]) : ""));
  }
  return out;
}

// A field of a subset's metric definition, as text for a message ("(none)" when absent).
std::string definition_text(const Value& subset, const char* key) {
  if (!subset.IsObject() || !subset.HasMember(key)) return "(none)";
  const Value& v = subset[key];
  if (v.IsString()) return fmt::format("\"{}\"", v.GetString());
  if (v.IsBool()) return v.GetBool() ? "true" : "false";
  if (v.IsNumber()) return fmt::format("{}", v.GetDouble());
  return "(not a value)";
}

// Scores are compared subset by subset and scaled by each metric's range, in the direction
// it says is better: a subset whose metric changed (another name, scale or direction) makes
// the two scores incomparable numbers. Names each such subset and what differs; "" when none.
// Both lists hold the same ids in the same order (checked before).
std::string different_metrics(const Value& base, const Value& now) {
  std::string out;
  for (rapidjson::SizeType i = 0; i < base.Size(); ++i) {
    std::string fields;
    for (const char* key : {"metric", "min", "max", "higher_is_better", "group"}) {
      const std::string was = definition_text(base[i], key), is = definition_text(now[i], key);
      if (was != is) fields += fmt::format("{}{} {} vs {}", fields.empty() ? "" : ", ", key, was, is);
    }
    if (fields.empty()) continue;
    out += fmt::format("{}subset \"{}\": {}", out.empty() ? "" : "; ", text_of(base[i]["id"]), fields);
  }
  return out.empty() ? "" : "different metric definitions: " + out;
}

// Why the two reports cannot be compared, or "" when they can.
std::string incomparable(const Loaded& base, const Loaded& now) {
  const Value& a = *base.results;
  const Value& b = *now.results;
  auto field = [](const Value& v, const char* k) { return v.HasMember(k) ? text_of(v[k]) : ""; };
  if (field(a, "suite") != field(b, "suite")) {
    return fmt::format("different suites: \"{}\" vs \"{}\"", field(a, "suite"), field(b, "suite"));
  }
  if (field(a, "split") != field(b, "split")) {
    return fmt::format("different evaluated splits: \"{}\" vs \"{}\"", field(a, "split"), field(b, "split"));
  }
  if (!a.HasMember("models") || !b.HasMember("models") || names(a["models"], nullptr) != names(b["models"], nullptr)) {
    return "different candidate pools (models differ)";
  }
  if (!a.HasMember("subsets") || !b.HasMember("subsets") || names(a["subsets"], "id") != names(b["subsets"], "id")) {
    return "different subsets";
  }
  return different_metrics(a["subsets"], b["subsets"]);
}

struct Scale {
  double range = 1.0;
  bool higher_is_better = true;
};

}  // namespace

bool Comparison::has_regression() const {
  return !missing.empty() ||
         std::any_of(changes.begin(), changes.end(), [](const MetricChange& c) { return c.regression; });
}

Comparison compare_reports(const std::string& base_path, const std::string& new_path,
                           const ComparisonOptions& options) {
  Loaded base, now;
  load(base, base_path);
  load(now, new_path);
  Comparison out;
  out.reason = incomparable(base, now);
  if (!out.reason.empty()) {
    out.comparable = false;
    return out;
  }
  std::map<std::string, Scale> subset_scale;
  for (const Value& s : member(base, *base.results, "subsets", "results").GetArray()) {
    const std::string id = text_of(member(base, s, "id", "subsets[]"));
    subset_scale[id] = {number(base, s, "max", id) - number(base, s, "min", id),
                        member(base, s, "higher_is_better", id).IsTrue()};
  }
  std::map<std::string, Scale> group_scale;
  for (const Value& g : member(base, *base.results, "groups", "results").GetArray()) {
    const Value& subsets = member(base, g, "subsets", "groups[]");
    if (subsets.IsArray() && !subsets.Empty()) group_scale[text_of(g["name"])] = subset_scale[text_of(subsets[0])];
  }

  auto find_adapter = [](const Loaded& r, const std::string& name) -> const Value* {
    for (const Value& a : (*r.results)["adapters"].GetArray()) {
      if (text_of(a["name"]) == name) return &a;
    }
    return nullptr;
  };
  // Records one metric; `worse_by` is the signed amount by which it got worse, in the
  // threshold's units, and `worse_raw` the same in the metric's own units (for the z test).
  auto record = [&](const std::string& adapter, const std::string& scope, const char* metric,
                    double b, double n, double worse_by, double worse_raw, double threshold,
                    const Value& base_object, const Value& new_object, const std::string& prefix,
                    bool higher_is_better) {
    MetricChange c{adapter, scope, metric, b, n, worse_by > 0, false, std::nullopt};
    bool significant = true;
    const std::optional<double> se_base = standard_error(base_object, prefix + "_se");
    const std::optional<double> se_new = standard_error(new_object, prefix + "_se");
    if (options.alpha && se_base && se_new) {
      const double se = std::sqrt(*se_base * *se_base + *se_new * *se_new);
      // A change with no sampling error at all is certain; otherwise the upper tail of N(0, 1).
      c.p_value = se > 0.0 ? 0.5 * std::erfc(worse_raw / se / std::sqrt(2.0))
                           : (worse_raw > 0.0 ? 0.0 : 1.0);
      significant = *c.p_value < *options.alpha;
    } else if (const auto base_interval = interval(base_object, (prefix + "_interval").c_str())) {
      significant = higher_is_better ? n < base_interval->first : n > base_interval->second;
    }
    c.regression = worse_by > threshold && significant;
    out.changes.push_back(std::move(c));
  };

  for (const Value& a : member(base, *base.results, "adapters", "results").GetArray()) {
    const std::string name = text_of(member(base, a, "name", "adapters[]"));
    const Value* other = find_adapter(now, name);
    if (other == nullptr) {
      out.missing.push_back(name);
      continue;
    }
    const Value& base_subsets = member(base, a, "subsets", name);
    const Value& new_subsets = member(now, *other, "subsets", name);
    for (const auto& [id, scale] : subset_scale) {
      const Value& bs = member(base, base_subsets, id.c_str(), name + ".subsets");
      const Value& ns = member(now, new_subsets, id.c_str(), name + ".subsets");
      const double b = number(base, bs, "score", id), n = number(now, ns, "score", id);
      const double worse = scale.higher_is_better ? b - n : n - b;
      record(name, id, "score", b, n, worse / scale.range, worse, options.max_drop, bs, ns, "score",
             scale.higher_is_better);
    }
    const Value& base_groups = member(base, a, "groups", name);
    const Value& new_groups = member(now, *other, "groups", name);
    for (const auto& [group, scale] : group_scale) {
      const Value& bg = member(base, base_groups, group.c_str(), name + ".groups");
      const Value& ng = member(now, new_groups, group.c_str(), name + ".groups");
      const double b = number(base, bg, "average", group), n = number(now, ng, "average", group);
      const double worse = scale.higher_is_better ? b - n : n - b;
      record(name, group, "average", b, n, worse / scale.range, worse, options.max_drop, bg, ng,
             "average", scale.higher_is_better);
      const double bm = number(base, bg, "mtr", group), nm = number(now, ng, "mtr", group);
      record(name, group, "mtr", bm, nm, nm - bm, nm - bm, options.max_rank_rise, bg, ng, "mtr", false);
    }
    const double bm = number(base, a, "mtr", name), nm = number(now, *other, "mtr", name);
    record(name, "overall", "mtr", bm, nm, nm - bm, nm - bm, options.max_rank_rise, a, *other, "mtr",
           false);
    const double bu = number(base, a, "uplift", name), nu = number(now, *other, "uplift", name);
    record(name, "overall", "uplift", bu, nu, bu - nu, bu - nu, options.max_uplift_drop, a, *other,
           "uplift", true);
  }
  for (const Value& a : member(now, *now.results, "adapters", "results").GetArray()) {
    const std::string name = text_of(a["name"]);
    if (find_adapter(base, name) == nullptr) out.added.push_back(name);
  }
  return out;
}

void write_comparison_markdown(const Comparison& c, const std::string& base_path,
                               const std::string& new_path, std::ostream& out) {
  out << "## zooter compare\n\n`" << base_path << "` (base) vs `" << new_path << "` (new)\n\n";
  if (!c.comparable) {
    out << "**Not comparable**: " << c.reason << ".\n";
    return;
  }
  std::vector<const MetricChange*> regressions, changed;
  for (const MetricChange& m : c.changes) {
    if (m.regression) regressions.push_back(&m);
    if (m.base != m.current) changed.push_back(&m);
  }
  out << (c.has_regression() ? "**Regression**" : "**No regression**") << ": " << c.changes.size()
      << " metrics compared, " << changed.size() << " changed, " << regressions.size()
      << " regressed beyond the thresholds";
  if (!c.missing.empty()) out << ", " << c.missing.size() << " adapter(s) missing from the new report";
  out << ".\n\n";
  for (const std::string& m : c.missing) out << "- missing adapter: `" << m << "`\n";
  for (const std::string& a : c.added) out << "- new adapter (not gated): `" << a << "`\n";
  if (!c.missing.empty() || !c.added.empty()) out << '\n';
  auto table = [&](const std::vector<const MetricChange*>& rows, const char* title) {
    if (rows.empty()) return;
    out << "### " << title
        << "\n\n| adapter | scope | metric | base | new | change | p |\n|---|---|---|---:|---:|---:|---:|\n";
    for (const MetricChange* m : rows) {
      out << fmt::format("| {} | {} | {} | {:.4f} | {:.4f} | {:+.4f} | {} |\n", m->adapter, m->scope,
                         m->metric, m->base, m->current, m->current - m->base,
                         m->p_value ? fmt::format("{:.3g}", *m->p_value) : "-");
    }
    out << '\n';
  };
  table(regressions, "Regressions");
  std::vector<const MetricChange*> others;
  for (const MetricChange* m : changed) {
    if (!m->regression) others.push_back(m);
  }
  if (others.size() > 20) others.resize(20);
  table(others, "Other changes (first 20)");
}

}  // namespace zooter::reports
