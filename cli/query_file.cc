#include "cli/query_file.h"

#include <rapidjson/document.h>
#include <rapidjson/error/en.h>

#include <fmt/format.h>

#include <string_view>
#include <unordered_map>

#include "harness/content_hash.h"
#include "harness/json_checks.h"
#include "harness/jsonl_lines.h"
#include "harness/problem_list.h"

namespace zooter::cli {

std::vector<QueryText> read_query_file(const std::string& path) {
  ProblemList problems(path);
  ContentHash hash;
  std::vector<QueryText> out;
  std::unordered_map<std::string, std::size_t> line_of;
  for_each_jsonl_line(path, LoadOptions(), problems, hash, [&](const JsonlLine& jl) {
    rapidjson::Document d;
    d.Parse<kJsonParseFlags>(jl.text.data(), jl.text.size());
    if (d.HasParseError()) {
      return problems.add(jl.number, fmt::format("column {}: invalid JSON: {}", d.GetErrorOffset() + 1,
                                                 rapidjson::GetParseError_En(d.GetParseError())),
                          jl.excerpt);
    }
    if (!d.IsObject()) return problems.add(jl.number, "expected a JSON object");
    QueryText q;
    for (const char* key : {"id", "text"}) {
      const auto it = d.FindMember(key);
      if (it == d.MemberEnd() || !it->value.IsString()) {
        return problems.add(jl.number, fmt::format("\"{}\": missing or not a string", key));
      }
      (key[0] == 'i' ? q.id : q.text).assign(it->value.GetString(), it->value.GetStringLength());
    }
    if (const auto [it, fresh] = line_of.emplace(q.id, jl.number); !fresh) {
      return problems.add(jl.number, fmt::format("query \"{}\" given twice (first at line {})", q.id, it->second));
    }
    out.push_back(std::move(q));
  });
  problems.throw_if_any();
  return out;
}

}  // namespace zooter::cli
