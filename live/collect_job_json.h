// The settings that define a collection job, written as JSON: each candidate's name, model
// and base URL, then max_tokens and temperature (null when the server's default applies).
// The journal's identity line and the collected bundle's provenance both write them, so the
// two always describe a job the same way.
#pragma once

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <string>
#include <vector>

#include "live/collector.h"
#include "live/endpoints_file.h"

namespace zooter::live {

using JsonWriter = rapidjson::Writer<rapidjson::StringBuffer>;

inline void put_string(JsonWriter& w, const char* key, const std::string& value) {
  w.Key(key);
  w.String(value.data(), static_cast<rapidjson::SizeType>(value.size()));
}

// Writes the keys "candidates", "max_tokens" and "temperature" into the object `w` is in.
inline void write_job_settings(JsonWriter& w, const std::vector<CandidateEndpoint>& candidates,
                               const CollectOptions& options) {
  w.Key("candidates");
  w.StartArray();
  for (const CandidateEndpoint& c : candidates) {
    w.StartObject();
    put_string(w, "name", c.name);
    put_string(w, "model", c.model);
    put_string(w, "base_url", c.base_url.to_string());
    w.EndObject();
  }
  w.EndArray();
  w.Key("max_tokens");
  options.max_tokens ? w.Uint64(*options.max_tokens) : w.Null();
  w.Key("temperature");
  options.temperature ? w.Double(*options.temperature) : w.Null();
}

}  // namespace zooter::live
