#include "adapters/decision_file.h"

#include <rapidjson/document.h>
#include <rapidjson/error/en.h>

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <memory>
#include <string_view>
#include <unordered_map>
#include <utility>

#include "harness/bundle.h"
#include "harness/content_hash.h"
#include "harness/csv_reader.h"
#include "harness/error.h"
#include "harness/json_checks.h"
#include "harness/json_quote.h"
#include "harness/jsonl_lines.h"
#include "harness/problem_list.h"
#include "harness/row_index.h"

namespace zooter::adapters {
namespace {

// The optional fields whose presence must be the same on every line.
enum Optional : std::size_t { kScores, kRouterFlops, kRouterSeconds, kRouterDollars, kOptionalCount };
constexpr std::array<const char*, kOptionalCount> kOptionalNames = {"scores", "router_flops", "router_seconds",
                                                                     "router_dollars"};

// One line as written, before it is checked against the bundle. Its texts point into the parsed
// line, which outlives the collector's add().
struct RawDecision {
  std::size_t line = 0;
  std::string_view query;
  std::string query_storage;  // a numeric id's text
  std::string_view model;     // empty when uniform
  bool uniform = false;
  bool has_scores = false;
  std::vector<std::pair<std::string_view, double>> scores;
  std::array<std::optional<double>, kOptionalCount> cost;  // kRouter* entries only
  std::optional<std::vector<std::string_view>> generated;
  std::optional<std::vector<std::string_view>> scored;
  std::optional<std::string_view> reward_model;
};

std::string number_text(double x) { return std::isnan(x) ? "NaN" : fmt::format("{}", x); }

// Checks raw decisions against the bundle and gathers them in evaluated order.
class DecisionCollector {
 public:
  DecisionCollector(const Bundle& bundle, std::span<const std::uint32_t> evaluated, std::string split,
                    ProblemList& problems)
      : bundle_(bundle), evaluated_(evaluated), split_(std::move(split)), problems_(problems) {
    const std::vector<std::string>& ids = bundle.queries.id;
    for (std::size_t q = 0; q < ids.size(); ++q) (void)row_of_.find_or_add(ids[q], {ids.data(), q});
    for (std::size_t m = 0; m < bundle.model_count(); ++m) model_of_[bundle.manifest.models[m].name] = m;
    position_of_.assign(bundle.query_count(), kNotEvaluated);
    for (std::size_t i = 0; i < evaluated.size(); ++i) position_of_[evaluated[i]] = i;
    out_.decisions.resize(evaluated.size());
    seen_at_.assign(evaluated.size(), 0);
  }

  void add(const RawDecision& raw) {
    auto problem = [&](const std::string& message) { problems_.add(raw.line, message); };
    bool ok = check_presence(raw);
    const std::uint32_t row = row_of_.find(raw.query, bundle_.queries.id);
    if (row == RowIndex::kAbsent) {
      problem(fmt::format("unknown query \"{}\" (not in the bundle)", raw.query));
      ok = false;
    }
    Decision d;
    if (raw.uniform) {
      d.answer = Decision::kUniform;
    } else if (const auto m = model(raw.model, "model", raw.line)) {
      d = Decision::single(static_cast<int>(*m));
    } else {
      ok = false;
    }
    if (raw.generated && !raw.uniform) {
      d.generated = 0;
      for (const std::string_view name : *raw.generated) {
        if (const auto m = model(name, "generated", raw.line)) d.generated |= std::uint64_t{1} << *m; else ok = false;
      }
      if (ok && ((d.generated >> d.answer) & 1U) == 0) {
        problem(fmt::format("\"generated\" does not list \"{}\", the model whose answer is given", raw.model));
        ok = false;
      }
    }
    if (raw.scored) {
      for (const std::string_view name : *raw.scored) {
        if (const auto m = model(name, "scored", raw.line)) d.scored |= std::uint64_t{1} << *m; else ok = false;
      }
      const auto rm = raw.reward_model ? bundle_.manifest.find_reward_model(*raw.reward_model) : std::nullopt;
      if (!raw.reward_model) {
        problem("\"scored\" needs \"reward_model\", the scorer");
        ok = false;
      } else if (!rm) {
        problem(fmt::format("unknown reward model \"{}\" (not in the bundle's manifest.json)", *raw.reward_model));
        ok = false;
      } else {
        d.reward_model = static_cast<std::int16_t>(*rm);
      }
    } else if (raw.reward_model) {
      problem("\"reward_model\" is given without \"scored\"");
      ok = false;
    }
    std::vector<double> scores;
    if (raw.has_scores) {
      scores.assign(bundle_.model_count(), std::nan(""));
      for (const auto& [name, value] : raw.scores) {
        const auto m = model_of_.find(name);
        if (m == model_of_.end()) {
          problem(fmt::format("scores: unknown model \"{}\" ({})", name, candidates()));
          ok = false;
        } else if (!std::isnan(scores[m->second])) {
          problem(fmt::format("scores: \"{}\" is given twice", name));
          ok = false;
        } else if (!std::isfinite(value)) {
          problem(fmt::format("scores: \"{}\" is {}, not a finite number", name, number_text(value)));
          ok = false;
        } else {
          scores[m->second] = value;
        }
      }
      for (std::size_t m = 0; m < scores.size() && ok; ++m) {
        if (std::isnan(scores[m])) {
          problem(fmt::format("scores: no score for model \"{}\" (every candidate needs one)",
                              bundle_.manifest.models[m].name));
          ok = false;
        }
      }
    }
    for (std::size_t f = kRouterFlops; f < kOptionalCount; ++f) {
      const auto& value = raw.cost[f];
      if (value && !(std::isfinite(*value) && *value >= 0.0)) {
        problem(fmt::format("\"{}\": {} is not a finite number >= 0", kOptionalNames[f], number_text(*value)));
        ok = false;
      }
    }
    if (!ok) return;
    if (position_of_[row] == kNotEvaluated) {
      // One file may decide every query of the bundle (`zooter route --queries` over a whole
      // queries.jsonl) and serve each split in turn: the others' lines are checked, counted, unused.
      ++out_.outside_split;
      return;
    }
    const std::size_t i = position_of_[row];
    if (seen_at_[i] != 0) {
      return problem(fmt::format("duplicate decision for query \"{}\" (first at line {})", raw.query, seen_at_[i]));
    }
    seen_at_[i] = raw.line;
    d.router_calls = raw.cost[kRouterFlops] || raw.cost[kRouterSeconds] || raw.cost[kRouterDollars] ? 1 : 0;
    out_.decisions[i] = d;
    if (raw.has_scores) {
      if (out_.scores.empty()) out_.scores.assign(evaluated_.size() * bundle_.model_count(), 0.0);
      std::copy(scores.begin(), scores.end(), out_.scores.begin() + static_cast<std::ptrdiff_t>(i * scores.size()));
    }
    std::optional<double>* totals[] = {nullptr, &out_.router.flops, &out_.router.seconds, &out_.router.dollars};
    for (std::size_t f = kRouterFlops; f < kOptionalCount; ++f) {
      if (raw.cost[f]) *totals[f] = totals[f]->value_or(0.0) + *raw.cost[f];
    }
  }

  // Every evaluated query without a decision is a problem (line 0: the file as a whole).
  DecisionFile finish(std::size_t lines) {
    if (problems_.empty()) {
      for (std::size_t i = 0; i < evaluated_.size(); ++i) {
        if (seen_at_[i] == 0) {
          problems_.add(0, fmt::format("no decision for query \"{}\" of the evaluated split \"{}\"",
                                       bundle_.queries.id[evaluated_[i]], split_));
        }
      }
    }
    problems_.throw_if_any();
    out_.lines = lines;
    return std::move(out_);
  }

 private:
  static constexpr std::size_t kNotEvaluated = ~std::size_t{0};

  std::string candidates() const {
    std::string out = "candidates: ";
    for (std::size_t m = 0; m < bundle_.model_count(); ++m) out += (m ? ", " : "") + bundle_.manifest.models[m].name;
    return out;
  }

  std::optional<std::size_t> model(std::string_view name, const char* field, std::size_t line) {
    const auto m = model_of_.find(name);
    if (m != model_of_.end()) return m->second;
    problems_.add(line, fmt::format("{}: unknown model \"{}\" ({})", field, name, candidates()));
    return std::nullopt;
  }

  // The first line fixes which optional fields every line has.
  bool check_presence(const RawDecision& raw) {
    std::array<bool, kOptionalCount> present{raw.has_scores, raw.cost[kRouterFlops].has_value(),
                                             raw.cost[kRouterSeconds].has_value(),
                                             raw.cost[kRouterDollars].has_value()};
    if (first_line_ == 0) {
      first_line_ = raw.line;
      present_ = present;
      return true;
    }
    bool ok = true;
    for (std::size_t f = 0; f < kOptionalCount; ++f) {
      if (present[f] == present_[f]) continue;
      problems_.add(raw.line, fmt::format("\"{}\" is {} here but {} on line {} (give it on every line or on none)",
                                          kOptionalNames[f], present[f] ? "given" : "missing",
                                          present[f] ? "not" : "given", first_line_));
      ok = false;
    }
    return ok;
  }

  const Bundle& bundle_;
  std::span<const std::uint32_t> evaluated_;
  std::string split_;
  ProblemList& problems_;
  RowIndex row_of_;  // bundle query ids
  std::unordered_map<std::string_view, std::size_t> model_of_;
  std::vector<std::size_t> position_of_;  // per bundle query: position in evaluated_
  std::vector<std::size_t> seen_at_;      // per evaluated query: line of its decision, 0 = none yet
  std::size_t first_line_ = 0;
  std::array<bool, kOptionalCount> present_{};
  DecisionFile out_;
};

// ---- JSONL ------------------------------------------------------------------------------

constexpr const char* kJsonFields =
    "query, model, scores, router_flops, router_seconds, router_dollars, generated, scored, reward_model, uniform";

// What parsing one line needs, kept from line to line: a 100,000-line file then costs no
// allocation per line (the target of bench/byo_router_bench.cc is 0.2 s for such a file).
struct LineScratch {
  using Pool = rapidjson::MemoryPoolAllocator<>;
  char value_buffer[16384];
  char parse_buffer[4096];
  Pool values{value_buffer, sizeof value_buffer};
  Pool parse_stack{parse_buffer, sizeof parse_buffer};
  RawDecision raw;
  std::vector<std::string_view> keys;
};

// Parses one line and hands its fields to the collector (or adds its problems). In place when
// jl.data is writable.
void parse_json_line(const JsonlLine& jl, ProblemList& problems, DecisionCollector& collector, LineScratch& scratch) {
  auto problem = [&](const std::string& message) { problems.add(jl.number, message); };
  scratch.values.Clear();
  scratch.parse_stack.Clear();
  rapidjson::GenericDocument<rapidjson::UTF8<>, LineScratch::Pool, LineScratch::Pool> d(&scratch.values, 1024,
                                                                                        &scratch.parse_stack);
  // NaN and Infinity are parsed (Python's json.dumps writes them) so that they are named as
  // what they are, not as a syntax error.
  constexpr unsigned kFlags = kJsonParseFlags | rapidjson::kParseNanAndInfFlag;
  if (jl.data != nullptr) {
    d.ParseInsitu<kFlags>(jl.data);
  } else {
    d.Parse<kFlags>(jl.text.data(), jl.text.size());
  }
  if (d.HasParseError()) {
    return problems.add(jl.number, fmt::format("column {}: invalid JSON: {}", d.GetErrorOffset() + 1,
                                               rapidjson::GetParseError_En(d.GetParseError())),
                        jl.excerpt);
  }
  if (!d.IsObject()) return problem("expected a JSON object");
  RawDecision& raw = scratch.raw;
  raw.query = raw.model = {};
  raw.uniform = raw.has_scores = false;
  raw.scores.clear();
  raw.cost = {};
  raw.generated.reset();
  raw.scored.reset();
  raw.reward_model.reset();
  raw.line = jl.number;
  bool ok = true;
  auto fail = [&](const std::string& message) {
    problem(message);
    ok = false;
  };
  auto names = [&](const rapidjson::Value& v, const char* field) {
    std::vector<std::string_view> out;
    if (!v.IsArray()) {
      fail(fmt::format("\"{}\": expected a list of model names", field));
      return out;
    }
    for (const auto& item : v.GetArray()) {
      if (!item.IsString()) {
        fail(fmt::format("\"{}\": expected a list of model names", field));
        return out;
      }
      out.emplace_back(item.GetString(), item.GetStringLength());
    }
    return out;
  };
  bool has_query = false, has_model = false;
  std::vector<std::string_view>& keys = scratch.keys;  // a DOM keeps a repeated key twice: which value is meant?
  keys.clear();
  for (const auto& member : d.GetObject()) {
    const std::string_view key(member.name.GetString(), member.name.GetStringLength());
    if (std::find(keys.begin(), keys.end(), key) != keys.end()) {
      return problem(duplicate_key_message(DuplicateKey{0, std::string(key)}));
    }
    keys.push_back(key);
    const rapidjson::Value& v = member.value;
    if (key == "query") {
      has_query = true;
      if (v.IsString()) {
        raw.query = std::string_view(v.GetString(), v.GetStringLength());
      } else if (v.IsInt64()) {
        raw.query_storage = std::to_string(v.GetInt64());
        raw.query = raw.query_storage;
      }
      if (!v.IsString() && !v.IsInt64()) fail("\"query\": expected a string (or an integer id)");
    } else if (key == "model") {
      has_model = true;
      if (v.IsString()) raw.model = std::string_view(v.GetString(), v.GetStringLength());
      else fail("\"model\": expected a string");
    } else if (key == "scores") {
      raw.has_scores = true;
      if (!v.IsObject()) {
        fail("\"scores\": expected an object {\"model\": score, ...}");
        continue;
      }
      for (const auto& score : v.GetObject()) {
        const std::string_view name(score.name.GetString(), score.name.GetStringLength());
        if (!score.value.IsNumber()) fail(fmt::format("scores: \"{}\" is not a number", name));
        else raw.scores.emplace_back(name, score.value.GetDouble());
      }
    } else if (key == "router_flops" || key == "router_seconds" || key == "router_dollars") {
      const std::size_t f = key == "router_flops" ? kRouterFlops : key == "router_seconds" ? kRouterSeconds : kRouterDollars;
      if (v.IsNumber()) raw.cost[f] = v.GetDouble();
      else fail(fmt::format("\"{}\": expected a number", key));
    } else if (key == "generated") {
      raw.generated = names(v, "generated");
    } else if (key == "scored") {
      raw.scored = names(v, "scored");
    } else if (key == "reward_model") {
      if (v.IsString()) raw.reward_model = std::string_view(v.GetString(), v.GetStringLength());
      else fail("\"reward_model\": expected a string");
    } else if (key == "uniform") {
      if (v.IsBool()) raw.uniform = v.GetBool();
      else fail("\"uniform\": expected true or false");
    } else {
      fail(fmt::format("unknown field \"{}\" (known: {})", key, kJsonFields));
    }
  }
  if (!has_query) fail("\"query\" is missing");
  if (raw.uniform && has_model) fail("\"model\" and \"uniform\": true exclude each other");
  if (!raw.uniform && !has_model) fail("\"model\" is missing");
  if (raw.uniform && (raw.generated || raw.scored)) fail("\"uniform\": true takes no \"generated\" or \"scored\"");
  if (ok) collector.add(raw);
}

// ---- CSV --------------------------------------------------------------------------------

std::optional<double> csv_number(const std::string& text) {
  if (text.empty()) return std::nullopt;
  std::size_t used = 0;
  try {
    const double x = std::stod(text, &used);
    if (used == text.size()) return x;
  } catch (const std::exception&) {
  }
  return std::nullopt;
}

// Reads a decisions CSV with the CSV reader every importer uses (RFC 4180: quoted fields may
// hold commas, quotes and line breaks); `records` counts the header and every record.
void read_csv(const std::string& path, ProblemList& problems, DecisionCollector& collector, std::size_t& records) {
  CsvReader reader(path, problems);
  enum class Column { kQuery, kModel, kScore, kCost, kRepeated };
  struct ColumnInfo {
    Column kind;
    std::string model;  // kScore
    std::size_t cost = 0;  // kCost: kRouter*
  };
  CsvRecord header;
  if (!reader.next_header(header)) {  // next_header names every repeated column
    problems.add(0, "file is empty");
    return;
  }
  ++records;
  std::vector<ColumnInfo> columns;
  bool has_query = false, has_model = false;
  for (std::size_t c = 0; c < header.fields.size(); ++c) {
    const std::string& name = header.fields[c];
    const auto before = header.fields.begin() + static_cast<std::ptrdiff_t>(c);
    if (std::find(header.fields.begin(), before, name) != before) columns.push_back({Column::kRepeated, {}, 0});
    else if (name == "query") has_query = true, columns.push_back({Column::kQuery, {}, 0});
    else if (name == "model") has_model = true, columns.push_back({Column::kModel, {}, 0});
    else if (name.starts_with("score:")) columns.push_back({Column::kScore, name.substr(6), 0});
    else if (name == "router_flops") columns.push_back({Column::kCost, {}, kRouterFlops});
    else if (name == "router_seconds") columns.push_back({Column::kCost, {}, kRouterSeconds});
    else if (name == "router_dollars") columns.push_back({Column::kCost, {}, kRouterDollars});
    else problems.add(header.line, fmt::format("unknown column \"{}\" (known: query, model, router_flops, "
                                               "router_seconds, router_dollars, score:MODEL)", name));
  }
  if (!has_query || !has_model) problems.add(header.line, "the header must name the columns \"query\" and \"model\"");
  problems.throw_if_any();
  CsvRecord record;
  for (std::size_t problems_before = problems.count(); reader.next(record); problems_before = problems.count()) {
    ++records;
    if (problems.count() != problems_before) continue;  // the reader named what is wrong with it
    if (record.fields.size() != columns.size()) {
      problems.add(record.line, fmt::format("{} fields, but the header has {}", record.fields.size(), columns.size()));
      continue;
    }
    RawDecision raw;
    raw.line = record.line;
    bool ok = true;
    for (std::size_t c = 0; c < columns.size(); ++c) {
      const std::string& text = record.fields[c];
      switch (columns[c].kind) {
        case Column::kQuery: raw.query = text; break;
        case Column::kModel: raw.model = text; break;
        case Column::kRepeated: break;  // refused with the header
        case Column::kScore:
          raw.has_scores = true;
          if (const auto x = csv_number(text)) {
            raw.scores.emplace_back(columns[c].model, *x);
          } else {
            problems.add(record.line, fmt::format("score:{}: \"{}\" is not a number", columns[c].model, text));
            ok = false;
          }
          break;
        case Column::kCost:
          if (const auto x = csv_number(text)) {
            raw.cost[columns[c].cost] = *x;
          } else {
            problems.add(record.line,
                         fmt::format("{}: \"{}\" is not a number", kOptionalNames[columns[c].cost], text));
            ok = false;
          }
          break;
      }
    }
    if (ok) collector.add(raw);
  }
  if (records == 1) problems.add(0, "no decisions after the header");
}

}  // namespace

DecisionFile read_decision_file(const std::string& path, const Bundle& bundle, std::span<const std::uint32_t> evaluated,
                                const std::string& split) {
  ProblemList problems(path);
  DecisionCollector collector(bundle, evaluated, split, problems);
  std::size_t lines = 0;
  if (path.ends_with(".csv")) {
    read_csv(path, problems, collector, lines);
  } else {
    ContentHash hash;
    auto scratch = std::make_unique<LineScratch>();
    for_each_jsonl_line(path, LoadOptions(), problems, hash, [&](const JsonlLine& jl) {
      ++lines;
      parse_json_line(jl, problems, collector, *scratch);
    });
  }
  return collector.finish(lines);
}

DecisionFile read_decision_text(std::string_view text, const std::string& source, const Bundle& bundle,
                                std::span<const std::uint32_t> evaluated, const std::string& split) {
  ProblemList problems(source);
  DecisionCollector collector(bundle, evaluated, split, problems);
  std::size_t lines = 0;
  auto scratch = std::make_unique<LineScratch>();
  for (std::size_t begin = 0; begin < text.size();) {
    std::size_t end = text.find('\n', begin);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(begin, end - begin);
    begin = end + 1;
    ++lines;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.find('\0') != std::string_view::npos) {
      problems.add(lines, fmt::format("column {}: NUL byte in line", line.find('\0') + 1), line);
    } else if (line.find_first_not_of(" \t") == std::string_view::npos) {
      problems.add(lines, "empty line");
    } else {
      parse_json_line(JsonlLine{lines, nullptr, line, line.substr(0, 96)}, problems, collector, *scratch);
    }
  }
  if (lines < evaluated.size()) {
    problems.add(0, fmt::format("{} lines for {} queries: too few (every query needs one decision line)", lines,
                                evaluated.size()));
  }
  return collector.finish(lines);
}

std::string decision_json_line(const Bundle& bundle, std::uint32_t q, const Decision& d,
                               std::optional<double> router_flops, std::span<const double> scores) {
  const auto& models = bundle.manifest.models;
  std::string out = "{\"query\": " + json_quote(bundle.queries.id[q]);
  auto list = [&](std::uint64_t bits) {
    std::string text = "[";
    for (std::size_t m = 0; m < models.size(); ++m) {
      if ((bits >> m) & 1U) text += (text.size() > 1 ? ", " : "") + json_quote(models[m].name);
    }
    return text + "]";
  };
  if (d.answer == Decision::kUniform) {
    out += ", \"uniform\": true";
  } else {
    out += ", \"model\": " + json_quote(models[static_cast<std::size_t>(d.answer)].name);
    if (d.generated != (std::uint64_t{1} << d.answer)) out += ", \"generated\": " + list(d.generated);
  }
  if (d.scored != 0) {
    out += ", \"scored\": " + list(d.scored);
    out += ", \"reward_model\": " +
           json_quote(bundle.manifest.reward_models[static_cast<std::size_t>(d.reward_model)].name);
  }
  if (!scores.empty()) {
    out += ", \"scores\": {";
    for (std::size_t m = 0; m < models.size(); ++m) {
      out += fmt::format("{}{}: {}", m ? ", " : "", json_quote(models[m].name), scores[m]);
    }
    out += '}';
  }
  if (router_flops) out += fmt::format(", \"router_flops\": {}", *router_flops);
  return out + "}";
}

}  // namespace zooter::adapters
