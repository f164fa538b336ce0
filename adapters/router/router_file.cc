#include "adapters/router/router_file.h"

#include <fmt/format.h>
#include <rapidjson/document.h>
#include <rapidjson/error/en.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <bit>
#include <cmath>
#include <cstring>
#include <fstream>
#include <iterator>
#include <set>

#include "harness/error.h"
#include "harness/input_file.h"
#include "harness/json_fields.h"

namespace zooter::adapters::router {
namespace {

constexpr std::string_view kMagic = "zooter-router";
constexpr const char* kHashName = "chunk64-mix64-mulshift";  // featuriser.h's feature hash
// The feature hash of router files written before chunk64 replaced it: their weights belong to
// other buckets, so they cannot be read, only retrained.
constexpr const char* kRetiredHashName = "fnv1a64-mix64-mulshift";
constexpr const char* kEncoding = "float32-le";

std::uint64_t fnv1a64(std::string_view bytes) {
  std::uint64_t h = 14695981039346656037ULL;
  for (char c : bytes) {
    h ^= static_cast<unsigned char>(c);
    h *= 1099511628211ULL;
  }
  return h;
}

std::string weight_bytes(std::span<const float> weights) {
  std::string out(weights.size() * 4, '\0');
  for (std::size_t i = 0; i < weights.size(); ++i) {
    std::uint32_t u = std::bit_cast<std::uint32_t>(weights[i]);
    for (int b = 0; b < 4; ++b) out[i * 4 + b] = static_cast<char>((u >> (8 * b)) & 0xff);
  }
  return out;
}

using Writer = rapidjson::Writer<rapidjson::StringBuffer>;

void number_or_null(Writer& w, double x) {
  if (std::isfinite(x)) {
    w.Double(x);
  } else {
    w.Null();
  }
}

std::string metadata_json(const Router& router, const std::string& weights) {
  const RouterInfo& info = router.info();
  const RouterOptions& o = info.options;
  const FeaturiserConfig& f = router.featuriser().config();
  const ModelShape& shape = router.model().shape();
  rapidjson::StringBuffer buffer;
  Writer w(buffer);
  w.StartObject();
  w.Key("format");
  w.String("zooter-router");
  w.Key("version");
  w.Int(kRouterFileVersion);
  w.Key("featuriser");
  w.StartObject();
  w.Key("hash");
  w.String(kHashName);
  w.Key("dimension");
  w.Uint(f.dimension);
  w.Key("word_unigrams");
  w.Bool(f.word_unigrams);
  w.Key("word_bigrams");
  w.Bool(f.word_bigrams);
  w.Key("char_ngram");
  w.Uint(f.char_ngram);
  w.EndObject();
  w.Key("model");
  w.StartObject();
  w.Key("dimension");
  w.Uint(shape.dimension);
  w.Key("outputs");
  w.Uint(shape.outputs);
  w.Key("hidden");
  w.Uint(shape.hidden);
  w.Key("parameters");
  w.Uint64(shape.parameter_count());
  w.EndObject();
  w.Key("candidates");
  w.StartArray();
  for (const std::string& c : info.candidates) w.String(c);
  w.EndArray();
  w.Key("labels");
  w.StartObject();
  w.Key("reward");
  w.String(info.reward);
  w.Key("beta");
  w.Double(o.labels.beta);
  w.Key("hard_label");
  w.Bool(o.labels.hard_label);
  w.Key("temperature");
  w.Double(o.labels.temperature);
  w.Key("normalise");
  // train_router() resolves it, so a saved router says what it was trained with.
  ZOOTER_CHECK(o.labels.normalisation.has_value());
  w.String(normalisation_name(*o.labels.normalisation));
  w.Key("tags");
  w.String(tags_name(o.labels));
  w.Key("tagged_queries");
  w.Uint64(info.tagged_queries);
  w.Key("tag_count");
  w.Uint64(info.tag_count);
  w.EndObject();
  const TrainerConfig& t = o.trainer;
  const TrainingSummary& s = info.summary;
  w.Key("training");
  w.StartObject();
  w.Key("optimiser");
  w.String(optimiser_name(t.optimiser.kind));
  w.Key("learning_rate");
  w.Double(t.optimiser.learning_rate);
  w.Key("l2");
  w.Double(t.optimiser.l2);
  w.Key("batch_size");
  w.Uint(t.batch_size);
  w.Key("epochs");
  w.Uint(t.epochs);
  w.Key("validation_fraction");
  w.Double(t.validation_fraction);
  w.Key("patience");
  w.Uint(t.patience);
  w.Key("seed");
  w.Uint64(t.seed);
  w.Key("training_examples");
  w.Uint64(s.training_examples);
  w.Key("validation_examples");
  w.Uint64(s.validation_examples);
  w.Key("epochs_run");
  w.Uint(s.epochs_run);
  w.Key("best_epoch");
  w.Uint(s.best_epoch);
  w.Key("stopped_early");
  w.Bool(s.stopped_early);
  w.Key("training_loss");
  number_or_null(w, s.training_loss);
  w.Key("validation_loss");
  number_or_null(w, s.validation_loss);
  w.EndObject();
  w.Key("provenance");
  w.StartObject();
  w.Key("suite");
  w.String(info.suite);
  w.Key("bundle_hash");
  w.String(info.bundle_hash);
  w.Key("trained_on");
  w.String(info.trained_on);
  w.Key("mean_nonzeros");
  w.Double(info.mean_nonzeros);
  w.EndObject();
  w.Key("weights");
  w.StartObject();
  w.Key("encoding");
  w.String(kEncoding);
  w.Key("bytes");
  w.Uint64(weights.size());
  w.Key("fnv1a64");
  w.String(fmt::format("{:016x}", fnv1a64(weights)));
  w.EndObject();
  w.EndObject();
  return {buffer.GetString(), buffer.GetSize()};
}

std::vector<std::string> read_candidates(const rapidjson::Value& doc, const std::string& path) {
  const auto it = doc.FindMember("candidates");
  if (it == doc.MemberEnd() || !it->value.IsArray()) {
    throw InputError(path, 2, "field \"candidates\": expected an array of names");
  }
  std::vector<std::string> out;
  std::set<std::string> seen;
  for (const auto& v : it->value.GetArray()) {
    if (!v.IsString() || v.GetStringLength() == 0) {
      throw InputError(path, 2, "field \"candidates\": expected non-empty strings");
    }
    out.emplace_back(v.GetString(), v.GetStringLength());
    if (!seen.insert(out.back()).second) {
      throw InputError(path, 2, "field \"candidates\": \"" + out.back() + "\" listed twice");
    }
  }
  return out;
}

}  // namespace

std::string router_bytes(const Router& router) {
  const std::string weights = weight_bytes(router.model().parameters());
  return fmt::format("{} {}\n{}\n", kMagic, kRouterFileVersion, metadata_json(router, weights)) +
         weights;
}

Router parse_router(std::string_view bytes, const std::string& path) {
  const std::size_t eol1 = bytes.find('\n');
  const std::string_view header = bytes.substr(0, eol1);
  if (!header.starts_with(kMagic) || header.size() <= kMagic.size() + 1 ||
      header[kMagic.size()] != ' ') {
    throw InputError(path, 1, fmt::format("not a zooter router file (expected \"zooter-router {}\")",
                                          kRouterFileVersion));
  }
  const std::string_view version = header.substr(kMagic.size() + 1);
  const bool version1 = version == "1";
  if ((version != std::to_string(kRouterFileVersion) && !version1) ||
      eol1 == std::string_view::npos) {
    throw InputError(path, 1,
                     fmt::format("unsupported router file version \"{}\" (this build "
                                 "reads versions 1 to {})",
                                 version, kRouterFileVersion));
  }
  const std::size_t eol2 = bytes.find('\n', eol1 + 1);
  if (eol2 == std::string_view::npos) throw InputError(path, 2, "the metadata line is not ended");
  const std::string json(bytes.substr(eol1 + 1, eol2 - eol1 - 1));
  rapidjson::Document doc;
  // Full precision: the default parser may round doubles, and a router must reload exactly.
  doc.Parse<rapidjson::kParseFullPrecisionFlag>(json.c_str(), json.size());
  if (doc.HasParseError()) {
    throw InputError(path, 2,
                     fmt::format("invalid JSON at column {}: {}", doc.GetErrorOffset() + 1,
                                 rapidjson::GetParseError_En(doc.GetParseError())));
  }
  if (!doc.IsObject()) throw InputError(path, 2, "the metadata is not a JSON object");
  // Typed access to the metadata; the first problem throws, naming the dotted field, on line 2.
  const JsonFields root(doc, "", path, 2);
  if (root.text("format") != "zooter-router") root.problem("format", "expected \"zooter-router\"");
  const int file_version = version1 ? 1 : kRouterFileVersion;
  if (root.count("version", 1000) != static_cast<std::uint64_t>(file_version)) {
    root.problem("version", fmt::format("expected {}, as on line 1", file_version));
  }

  const JsonFields f = root.object("featuriser");
  const std::string hash = f.text("hash");
  if (hash == kRetiredHashName) {
    f.problem("hash", fmt::format("{} is the feature hash of an older zooter; this build hashes with {}: "
                               "retrain the router (zooter train)",
                               hash, kHashName));
  }
  if (hash != kHashName) f.problem("hash", fmt::format("unknown hash (this build: {})", kHashName));
  FeaturiserConfig featuriser;
  featuriser.dimension = static_cast<std::uint32_t>(f.count("dimension", kMaxDimension));
  featuriser.word_unigrams = f.boolean("word_unigrams");
  featuriser.word_bigrams = f.boolean("word_bigrams");
  featuriser.char_ngram = static_cast<std::uint32_t>(f.count("char_ngram", kMaxCharNgram));

  const JsonFields m = root.object("model");
  ModelShape shape;
  shape.dimension = static_cast<std::uint32_t>(m.count("dimension", kMaxDimension));
  shape.outputs = static_cast<std::uint32_t>(m.count("outputs", 64));
  shape.hidden = static_cast<std::uint32_t>(m.count("hidden", kMaxHidden));
  if (m.count("parameters", ~std::uint64_t{0}) != shape.parameter_count()) {
    m.problem("parameters", fmt::format("does not match the shape ({})", shape.parameter_count()));
  }

  RouterInfo info;
  info.candidates = read_candidates(doc, path);
  RouterOptions& o = info.options;
  o.featuriser = featuriser;
  o.hidden = shape.hidden;
  const JsonFields l = root.object("labels");
  info.reward = l.text("reward");
  o.reward = info.reward;
  // A version 1 beta in range is restated; one out of range is left for the check to report as
  // the file has it.
  const double beta = l.number("beta");
  o.labels.beta = version1 && beta >= 0.0 && beta <= 1.0 ? 1.0 - beta : beta;
  o.labels.hard_label = l.boolean("hard_label");
  o.labels.temperature = l.number("temperature");
  info.tagged_queries = l.count("tagged_queries", ~std::uint64_t{0});
  info.tag_count = l.count("tag_count", ~std::uint64_t{0});
  const JsonFields t = root.object("training");
  TrainerConfig& tc = o.trainer;
  TrainingSummary& s = info.summary;
  tc.optimiser.learning_rate = t.number("learning_rate");
  tc.optimiser.l2 = t.number("l2");
  tc.batch_size = static_cast<std::uint32_t>(t.count("batch_size", 65536));
  tc.epochs = static_cast<std::uint32_t>(t.count("epochs", 10000));
  tc.validation_fraction = t.number("validation_fraction");
  tc.patience = static_cast<std::uint32_t>(t.count("patience", 10000));
  tc.seed = t.count("seed", ~std::uint64_t{0});
  s.training_examples = t.count("training_examples", ~std::uint64_t{0});
  s.validation_examples = t.count("validation_examples", ~std::uint64_t{0});
  s.epochs_run = static_cast<std::uint32_t>(t.count("epochs_run", 10000));
  s.best_epoch = static_cast<std::uint32_t>(t.count("best_epoch", 10000));
  s.stopped_early = t.boolean("stopped_early");
  s.training_loss = t.number_or_nan("training_loss");
  s.validation_loss = t.number_or_nan("validation_loss");
  const JsonFields p = root.object("provenance");
  info.suite = p.text("suite");
  info.bundle_hash = p.text("bundle_hash");
  info.trained_on = p.text("trained_on");
  info.mean_nonzeros = p.number("mean_nonzeros");
  try {
    o.labels.normalisation = parse_normalisation(l.text("normalise"));
    parse_tags(l.text("tags"), o.labels);
    tc.optimiser.kind = parse_optimiser(t.text("optimiser"));
    validate(o);
  } catch (const UsageError& e) {
    throw InputError(path, 2, e.what());
  }

  const JsonFields w = root.object("weights");
  if (w.text("encoding") != kEncoding)
    w.problem("encoding", fmt::format("expected \"{}\"", kEncoding));
  const std::string_view weights = bytes.substr(eol2 + 1);
  const std::uint64_t expected = shape.parameter_count() * 4;
  if (w.count("bytes", ~std::uint64_t{0}) != expected) {
    w.problem("bytes", fmt::format("does not match {} parameters", shape.parameter_count()));
  }
  if (weights.size() != expected) {
    throw InputError(path, 0,
                     fmt::format("expected {} bytes of weights after line 2, found {} "
                                 "(truncated or appended to?)",
                                 expected, weights.size()));
  }
  if (w.text("fnv1a64") != fmt::format("{:016x}", fnv1a64(weights))) {
    throw InputError(path, 0, "the weights do not match their checksum (the file is corrupt)");
  }
  std::vector<float> parameters(shape.parameter_count());
  for (std::size_t i = 0; i < parameters.size(); ++i) {
    std::uint32_t u = 0;
    for (int b = 0; b < 4; ++b)
      u |= std::uint32_t{static_cast<unsigned char>(weights[i * 4 + b])} << (8 * b);
    parameters[i] = std::bit_cast<float>(u);
    if (!std::isfinite(parameters[i])) {
      throw InputError(path, 0, fmt::format("weight {} is not a finite number", i));
    }
  }
  try {
    return Router(featuriser, LinearModel(shape, std::move(parameters)), std::move(info));
  } catch (const UsageError& e) {
    throw InputError(path, 2, e.what());
  } catch (const InputError& e) {
    throw InputError(path, 2, e.message());
  }
}

void save_router(const Router& router, const std::string& path) {
  const std::string bytes = router_bytes(router);
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) throw InputError(path, 0, "cannot open for writing");
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  out.close();
  if (!out) throw InputError(path, 0, "write failed");
}

Router load_router(const std::string& path) {
  const std::string bytes = read_input_file(path, "(expected a router file)");
  return parse_router(bytes, path);
}

}  // namespace zooter::adapters::router
