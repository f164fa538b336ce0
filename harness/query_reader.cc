// Reads queries.jsonl (docs/bundle-format.md) into Bundle::queries.
//
// Lines are parsed on the run's threads (jsonl_batches.h), each with RapidJSON's SAX reader in
// situ: a handler notes each field's kind and value, then the checks run on those notes in a
// fixed order, so the problems are the ones a DOM would give (same parser, same flags, so the
// same parse errors and columns) without building a tree per line. Ids are indexed in the
// merge, in file order, so the second of two equal ids is the duplicate.
#include <rapidjson/error/en.h>
#include <rapidjson/reader.h>

#include <limits>
#include <optional>
#include <vector>

#include "harness/bundle.h"
#include "harness/bundle_readers.h"
#include "harness/jsonl_batches.h"

namespace zooter {
namespace {

enum class Field { kId, kSubset, kSplit, kText, kTags, kInputTokens, kMeta, kUnknown };
constexpr std::size_t kFields = 6;  // the ones kept: kId .. kInputTokens

Field field_of(std::string_view key) {
  if (key == "id") return Field::kId;
  if (key == "subset") return Field::kSubset;
  if (key == "split") return Field::kSplit;
  if (key == "text") return Field::kText;
  if (key == "tags") return Field::kTags;
  if (key == "input_tokens") return Field::kInputTokens;
  if (key == "meta") return Field::kMeta;  // free-form, ignored by design (docs/bundle-format.md)
  return Field::kUnknown;
}

// What a field's value was. kUnsigned is RapidJSON's IsUint64(): an integer in [0, 2^64),
// "-0" included (the DOM stores it as the int 0).
enum class Kind { kAbsent, kString, kUnsigned, kArray, kOther };

struct FieldValue {
  Kind kind = Kind::kAbsent;
  std::string_view text;     // kString
  std::uint64_t number = 0;  // kUnsigned
};

// The fields of one query line, as the SAX handler found them.
struct QueryLine {
  FieldValue fields[kFields];
  bool root_is_object = true;
  bool tags_are_nonempty_strings = true;  // every element of the tags array
  std::vector<std::string_view> tags;
  std::vector<std::string> problems;  // unknown and repeated fields, in member order

  void clear() {
    for (FieldValue& f : fields) f = {};
    root_is_object = true;
    tags_are_nonempty_strings = true;
    tags.clear();
    problems.clear();
  }
  [[nodiscard]] const FieldValue& operator[](Field f) const {
    return fields[static_cast<std::size_t>(f)];
  }
};

class QueryHandler : public rapidjson::BaseReaderHandler<rapidjson::UTF8<>, QueryHandler> {
 public:
  explicit QueryHandler(QueryLine& line) : line_(line) {}

  // Never stops the parse: a root that is not an object is reported only when the line is
  // valid JSON, as the DOM reader did.
  bool StartObject() {
    if (depth_ == 0) return ++depth_, true;
    return start_nested(Kind::kOther);
  }
  bool EndObject(rapidjson::SizeType) { return end_nested(); }
  bool StartArray() {
    if (depth_ == 0) line_.root_is_object = false;
    return start_nested(Kind::kArray);
  }
  bool EndArray(rapidjson::SizeType) { return end_nested(); }

  bool Key(const char* s, rapidjson::SizeType length, bool) {
    if (depth_ != 1) return true;
    const std::string_view key(s, length);
    const Field field = field_of(key);
    slot_ = nullptr;
    in_tags_ = false;
    if (field == Field::kUnknown) {
      line_.problems.push_back("unknown field \"" + std::string(key) +
                               "\" (known: id, subset, split, text, tags, input_tokens, meta)");
    } else if (field != Field::kMeta) {
      FieldValue& slot = line_.fields[static_cast<std::size_t>(field)];
      if (slot.kind != Kind::kAbsent) {
        line_.problems.push_back("field \"" + std::string(key) + "\" appears twice");
      } else {
        slot_ = &slot;
        in_tags_ = field == Field::kTags;
      }
    }
    return true;
  }

  bool String(const char* s, rapidjson::SizeType length, bool) {
    if (in_tags_array()) {
      if (length == 0) line_.tags_are_nonempty_strings = false;
      line_.tags.emplace_back(s, length);
      return true;
    }
    if (FieldValue* v = value_slot()) {
      v->kind = Kind::kString;
      v->text = std::string_view(s, length);
    }
    return true;
  }
  bool Uint(unsigned u) { return unsigned_number(u); }
  bool Uint64(std::uint64_t u) { return unsigned_number(u); }
  bool Int(int i) { return i >= 0 ? unsigned_number(static_cast<std::uint64_t>(i)) : other(); }
  bool Int64(std::int64_t i) {
    return i >= 0 ? unsigned_number(static_cast<std::uint64_t>(i)) : other();
  }
  bool Double(double) { return other(); }
  bool Bool(bool) { return other(); }
  bool Null() { return other(); }

 private:
  // The field slot a value at the current position fills, or nullptr (nested, ignored field).
  FieldValue* value_slot() {
    if (depth_ == 0) {
      line_.root_is_object = false;
      return nullptr;
    }
    if (depth_ != 1 || slot_ == nullptr) return nullptr;
    FieldValue* v = slot_;
    slot_ = nullptr;  // a field has one value
    return v;
  }
  [[nodiscard]] bool in_tags_array() const { return tags_depth_ != 0 && depth_ == tags_depth_; }

  bool unsigned_number(std::uint64_t u) {
    if (in_tags_array()) return other();
    if (FieldValue* v = value_slot()) {
      v->kind = Kind::kUnsigned;
      v->number = u;
    }
    return true;
  }
  bool other() {
    if (in_tags_array()) {
      line_.tags_are_nonempty_strings = false;
      return true;
    }
    if (FieldValue* v = value_slot()) v->kind = Kind::kOther;
    return true;
  }
  bool start_nested(Kind kind) {
    if (in_tags_array()) {
      line_.tags_are_nonempty_strings = false;
    } else if (FieldValue* v = value_slot()) {
      v->kind = kind;
      if (kind == Kind::kArray && in_tags_) tags_depth_ = depth_ + 1;
    }
    return ++depth_, true;
  }
  bool end_nested() {
    --depth_;
    if (depth_ < tags_depth_) tags_depth_ = 0;  // the tags array has ended
    return true;
  }

  QueryLine& line_;
  int depth_ = 0;
  FieldValue* slot_ = nullptr;  // the field whose value comes next, if any
  bool in_tags_ = false;        // slot_ is the tags field
  int tags_depth_ = 0;          // depth of the tags array's elements; 0 when not inside it
};

// One query line, parsed and checked (all but the duplicate id, which needs the lines before).
// The id and text are copied out of the batch here, on the parsing threads, and moved into the
// bundle by the merge: the merge runs on one thread, and at a million queries allocating and
// copying them there was most of its time. The tags point into the batch's bytes, valid until
// the merge.
struct QueryOutcome : LineOutcome {
  std::string id, text;
  std::uint32_t id_hash = 0;  // RowIndex::hash_of(id)
  std::uint32_t subset = 0, split = 0, input_tokens = 0;
  std::vector<std::string_view> tags;
  std::vector<std::uint32_t> tag_hashes;  // RowIndex::hash_of(tags[i])
};

// Parses and checks one line of queries.jsonl at a time; one per block of lines.
class QueryLineChecker {
 public:
  explicit QueryLineChecker(const Manifest& manifest) : manifest_(manifest) {}

  void operator()(const JsonlLine& jl, QueryOutcome& out) {
    line_.clear();
    QueryHandler handler(line_);
    rapidjson::InsituStringStream stream(jl.data);
    reader_.Parse<rapidjson::kParseInsituFlag | rapidjson::kParseValidateEncodingFlag>(stream, handler);
    if (reader_.HasParseError()) {
      out.problems.push_back("column " + std::to_string(reader_.GetErrorOffset() + 1) +
                             ": invalid JSON: " + rapidjson::GetParseError_En(reader_.GetParseErrorCode()));
      return;
    }
    if (!line_.root_is_object) {
      out.problems.emplace_back("expected a JSON object");
      return;
    }
    auto problem = [&](std::string message) { out.problems.push_back(std::move(message)); };
    for (const std::string& p : line_.problems) problem(p);
    bool ok = line_.problems.empty();
    for (auto [field, name] : {std::pair{Field::kId, "id"}, {Field::kSubset, "subset"},
                               {Field::kSplit, "split"}, {Field::kInputTokens, "input_tokens"}}) {
      if (line_[field].kind == Kind::kAbsent) {
        problem(std::string("missing field \"") + name + "\"");
        ok = false;
      }
    }
    if (!ok) return;
    const Manifest& m = manifest_;
    const FieldValue& id = line_[Field::kId];
    const FieldValue& subset = line_[Field::kSubset];
    const FieldValue& split = line_[Field::kSplit];
    const FieldValue& text = line_[Field::kText];
    const FieldValue& tags = line_[Field::kTags];
    const FieldValue& input_tokens = line_[Field::kInputTokens];
    std::optional<std::size_t> subset_index, split_index;
    if (id.kind != Kind::kString || id.text.empty()) {
      problem("id: expected a non-empty string");
      ok = false;
    }
    if (subset.kind != Kind::kString) {
      problem("subset: expected a string");
      ok = false;
    } else if (!(subset_index = m.find_subset(subset.text))) {
      problem("unknown subset \"" + std::string(subset.text) + "\" (not in manifest.json)");
      ok = false;
    }
    if (split.kind != Kind::kString) {
      problem("split: expected a string");
      ok = false;
    } else if (!(split_index = m.find_split(split.text))) {
      problem("unknown split \"" + std::string(split.text) + "\" (not in manifest.json)");
      ok = false;
    }
    if (text.kind != Kind::kAbsent && text.kind != Kind::kString) {
      problem("text: expected a string");
      ok = false;
    }
    if (input_tokens.kind != Kind::kUnsigned ||
        input_tokens.number > std::numeric_limits<std::uint32_t>::max()) {
      problem("input_tokens: expected a non-negative integer");
      ok = false;
    }
    if (tags.kind != Kind::kAbsent) {
      if (tags.kind != Kind::kArray) {
        problem("tags: expected an array of strings");
        ok = false;
      } else if (!line_.tags_are_nonempty_strings) {
        problem("tags: expected non-empty strings");
        ok = false;
      }
    }
    if (!ok) return;
    out.ok = true;
    out.id.assign(id.text);
    out.text.assign(text.text);
    out.id_hash = RowIndex::hash_of(out.id);
    out.subset = static_cast<std::uint32_t>(*subset_index);
    out.split = static_cast<std::uint32_t>(*split_index);
    out.input_tokens = static_cast<std::uint32_t>(input_tokens.number);
    out.tags.assign(line_.tags.begin(), line_.tags.end());
    out.tag_hashes.clear();
    for (const std::string_view tag : out.tags) out.tag_hashes.push_back(RowIndex::hash_of(tag));
  }

 private:
  const Manifest& manifest_;
  QueryLine line_;
  rapidjson::Reader reader_;
};

}  // namespace

void read_queries(const std::string& path, const LoadOptions& options, const RunContext& ctx,
                  Bundle& bundle, QueryIndex& index, ContentHash& hash) {
  ProblemList problems(path, options.max_problems_per_file);
  Queries& q = bundle.queries;
  RowIndex tag_index;  // over bundle.tag_names
  q.tag_offset.push_back(0);
  read_jsonl_in_parallel<QueryOutcome>(
      path, options, ctx, problems, hash,
      [&] { return QueryLineChecker(bundle.manifest); },
      [&](std::size_t number, QueryOutcome& line) {
        if (!index.find_or_add(line.id, line.id_hash, q.id).added) {
          problems.add(number, "duplicate query id \"" + line.id + "\"", line.excerpt());
          return;
        }
        q.id.push_back(std::move(line.id));
        q.text.push_back(std::move(line.text));
        q.subset.push_back(line.subset);
        q.split.push_back(line.split);
        q.input_tokens.push_back(line.input_tokens);
        for (std::size_t t = 0; t < line.tags.size(); ++t) {
          const std::string_view tag = line.tags[t];
          const RowIndex::Found found =
              tag_index.find_or_add(tag, line.tag_hashes[t], bundle.tag_names);
          if (found.added) bundle.tag_names.emplace_back(tag);
          q.tag_ids.push_back(found.row);
        }
        q.tag_offset.push_back(static_cast<std::uint32_t>(q.tag_ids.size()));
      },
      [&](const QueryOutcome& ahead) { index.prefetch(ahead.id_hash); });
  problems.throw_if_any();
}

}  // namespace zooter
