// Reads queries.jsonl (docs/bundle-format.md) into Bundle::queries. Queries are a small
// share of a bundle's bytes, so they are parsed into a DOM, which keeps the checks simple.
#include <rapidjson/document.h>
#include <rapidjson/error/en.h>

#include <limits>
#include <optional>

#include "harness/bundle.h"
#include "harness/bundle_readers.h"
#include "harness/jsonl_lines.h"

namespace zooter {
namespace {

using rapidjson::Value;
using Document = rapidjson::GenericDocument<rapidjson::UTF8<>, rapidjson::MemoryPoolAllocator<>,
                                            rapidjson::MemoryPoolAllocator<>>;

// Calls on_object(object, problem) for every line that parses as a JSON object; every other
// line becomes a problem. problem(message) records one for the current line.
template <typename OnObject>
void for_each_object(const std::string& path, const LoadOptions& options, ProblemList& problems,
                     ContentHash& hash, OnObject on_object) {
  char value_buffer[16384];
  char parse_buffer[4096];
  for_each_jsonl_line(path, options, problems, hash, [&](const JsonlLine& line) {
    rapidjson::MemoryPoolAllocator<> value_alloc(value_buffer, sizeof value_buffer);
    rapidjson::MemoryPoolAllocator<> parse_alloc(parse_buffer, sizeof parse_buffer);
    Document doc(&value_alloc, sizeof parse_buffer, &parse_alloc);
    doc.ParseInsitu(line.data);
    if (doc.HasParseError()) {
      problems.add(line.number,
                   "column " + std::to_string(doc.GetErrorOffset() + 1) + ": invalid JSON: " +
                       rapidjson::GetParseError_En(doc.GetParseError()),
                   line.excerpt);
      return;
    }
    if (!doc.IsObject()) {
      problems.add(line.number, "expected a JSON object", line.excerpt);
      return;
    }
    auto problem = [&](const std::string& message) {
      problems.add(line.number, message, line.excerpt);
    };
    on_object(static_cast<const Value&>(doc), problem);
  });
}

std::string_view view(const Value& v) { return {v.GetString(), v.GetStringLength()}; }

// A non-negative integer that fits 32 bits, or a problem.
template <typename Problem>
bool read_count(const Value& v, const char* field, std::uint32_t& out, Problem& problem) {
  if (!v.IsUint64() || v.GetUint64() > std::numeric_limits<std::uint32_t>::max()) {
    problem(std::string(field) + ": expected a non-negative integer");
    return false;
  }
  out = static_cast<std::uint32_t>(v.GetUint64());
  return true;
}

}  // namespace

void read_queries(const std::string& path, const LoadOptions& options, Bundle& bundle,
                  QueryIndex& index, ContentHash& hash) {
  ProblemList problems(path, options.max_problems_per_file);
  const Manifest& m = bundle.manifest;
  Queries& q = bundle.queries;
  QueryIndex tag_ids;  // tag name -> index into bundle.tag_names
  q.tag_offset.push_back(0);
  for_each_object(path, options, problems, hash, [&](const Value& o, auto& problem) {
    const Value* id = nullptr;
    const Value* subset = nullptr;
    const Value* split = nullptr;
    const Value* text = nullptr;
    const Value* tags = nullptr;
    const Value* input_tokens = nullptr;
    bool ok = true;
    for (auto it = o.MemberBegin(); it != o.MemberEnd(); ++it) {
      const std::string_view k = view(it->name);
      if (k == "meta") continue;  // free-form, ignored by design (docs/bundle-format.md)
      const Value** slot = k == "id"             ? &id
                           : k == "subset"       ? &subset
                           : k == "split"        ? &split
                           : k == "text"         ? &text
                           : k == "tags"         ? &tags
                           : k == "input_tokens" ? &input_tokens
                                                 : nullptr;
      if (slot == nullptr) {
        problem("unknown field \"" + std::string(k) +
                "\" (known: id, subset, split, text, tags, input_tokens, meta)");
        ok = false;
      } else if (*slot != nullptr) {
        problem("field \"" + std::string(k) + "\" appears twice");
        ok = false;
      } else {
        *slot = &it->value;
      }
    }
    for (auto [field, value] : {std::pair{"id", id}, {"subset", subset}, {"split", split},
                                {"input_tokens", input_tokens}}) {
      if (value == nullptr) {
        problem(std::string("missing field \"") + field + "\"");
        ok = false;
      }
    }
    if (!ok) return;
    std::optional<std::size_t> subset_index, split_index;
    if (!id->IsString() || id->GetStringLength() == 0) {
      problem("id: expected a non-empty string");
      ok = false;
    }
    if (!subset->IsString()) {
      problem("subset: expected a string");
      ok = false;
    } else if (!(subset_index = m.find_subset(view(*subset)))) {
      problem("unknown subset \"" + std::string(view(*subset)) + "\" (not in manifest.json)");
      ok = false;
    }
    if (!split->IsString()) {
      problem("split: expected a string");
      ok = false;
    } else if (!(split_index = m.find_split(view(*split)))) {
      problem("unknown split \"" + std::string(view(*split)) + "\" (not in manifest.json)");
      ok = false;
    }
    if (text != nullptr && !text->IsString()) {
      problem("text: expected a string");
      ok = false;
    }
    std::uint32_t tokens = 0;
    ok = read_count(*input_tokens, "input_tokens", tokens, problem) && ok;
    if (tags != nullptr) {
      if (!tags->IsArray()) {
        problem("tags: expected an array of strings");
        ok = false;
      } else {
        for (const Value& t : tags->GetArray()) {
          if (!t.IsString() || t.GetStringLength() == 0) {
            problem("tags: expected non-empty strings");
            ok = false;
            break;
          }
        }
      }
    }
    if (!ok) return;
    const std::uint32_t next = static_cast<std::uint32_t>(q.id.size());
    auto [where, inserted] = index.try_emplace(std::string(view(*id)), next);
    if (!inserted) {
      problem("duplicate query id \"" + std::string(view(*id)) + "\"");
      return;
    }
    q.id.emplace_back(view(*id));
    q.text.emplace_back(text != nullptr ? view(*text) : std::string_view{});
    q.subset.push_back(static_cast<std::uint32_t>(*subset_index));
    q.split.push_back(static_cast<std::uint32_t>(*split_index));
    q.input_tokens.push_back(tokens);
    if (tags != nullptr) {
      for (const Value& t : tags->GetArray()) {
        auto tag = tag_ids.find(view(t));
        if (tag == tag_ids.end()) {
          tag = tag_ids.emplace(std::string(view(t)), static_cast<std::uint32_t>(bundle.tag_names.size())).first;
          bundle.tag_names.emplace_back(view(t));
        }
        q.tag_ids.push_back(tag->second);
      }
    }
    q.tag_offset.push_back(static_cast<std::uint32_t>(q.tag_ids.size()));
  });
  problems.throw_if_any();
}

}  // namespace zooter
