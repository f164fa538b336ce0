#include "live/endpoints_file.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <map>

#include "harness/error.h"
#include "tests/helpers.h"

namespace zooter::live {
namespace {

const char* fake_env(const char* name) {
  static const std::map<std::string, std::string> env = {{"KEY_A", "sk-a"}, {"EMPTY", ""}};
  auto it = env.find(name);
  return it == env.end() ? nullptr : it->second.c_str();
}

std::string load_error(const test::TempDir& dir, const std::string& text) {
  const std::string path = dir.file("endpoints.json");
  test::write_file(path, text);
  try {
    (void)load_endpoints_file(path, fake_env);
  } catch (const InputError& e) {
    const std::string what = e.what();
    return what.substr(path.size());  // ":line: message"
  }
  return "accepted";
}

TEST(EndpointsFileTest, ReadsEveryFieldWithPricesPerToken) {
  test::TempDir dir;
  const std::string path = dir.file("endpoints.json");
  test::write_file(path, R"({
  "candidates": [
    {"name": "alpha", "base_url": "http://127.0.0.1:8001/v1", "model": "org/alpha-13b",
     "api_key_env": "KEY_A", "max_concurrency": 8, "price_per_million_input": 0.2,
     "price_per_million_output": 0.4, "parameters": 13e9, "timeout_seconds": 60, "max_retries": 3},
    {"name": "beta", "base_url": "http://127.0.0.1:8002/v1"}
  ],
  "reward_models": [
    {"name": "judge", "base_url": "http://127.0.0.1:8003", "shape": "tei-predict", "max_concurrency": 2}
  ]
})");
  const EndpointsFile f = load_endpoints_file(path, fake_env);
  ASSERT_EQ(f.candidates.size(), 2u);
  const CandidateEndpoint& a = f.candidates[0];
  EXPECT_EQ(a.name, "alpha");
  EXPECT_EQ(a.base_url.to_string(), "http://127.0.0.1:8001/v1");
  EXPECT_EQ(a.model, "org/alpha-13b");
  EXPECT_EQ(a.api_key, "sk-a");
  EXPECT_EQ(a.max_concurrency, 8u);
  EXPECT_TRUE(a.max_concurrency_given);
  EXPECT_EQ(a.ca_file, "");
  EXPECT_DOUBLE_EQ(a.price_per_input_token, 0.2e-6);
  EXPECT_DOUBLE_EQ(a.price_per_output_token, 0.4e-6);
  EXPECT_EQ(a.price_per_million_input, 0.2);  // as written, for collect's manifest
  EXPECT_EQ(a.parameters, 13e9);
  EXPECT_DOUBLE_EQ(a.timeout_seconds, 60.0);
  EXPECT_EQ(a.max_retries, 3);
  const CandidateEndpoint& b = f.candidates[1];
  EXPECT_EQ(b.model, "beta");
  EXPECT_EQ(b.api_key, "");
  EXPECT_EQ(b.max_concurrency, 4u);
  EXPECT_EQ(b.parameters, std::nullopt);
  EXPECT_FALSE(b.max_concurrency_given);
  EXPECT_DOUBLE_EQ(b.timeout_seconds, 120.0);
  EXPECT_EQ(b.max_retries, 5);
  ASSERT_EQ(f.reward_models.size(), 1u);
  EXPECT_EQ(f.reward_models[0].shape, "tei-predict");
  EXPECT_EQ(f.reward_models[0].model, "judge");
  EXPECT_EQ(f.reward_models[0].max_concurrency, 2u);
}

TEST(EndpointsFileTest, EveryBadInputHasItsMessageAndLine) {
  test::TempDir dir;
  const std::pair<std::string, std::string> cases[] = {
      {"{\"candidates\": [\n", ":2: invalid JSON: Invalid value."},
      {"[1]", ":1: expected a JSON object"},
      {"{}", ":1: no \"candidates\" and no \"reward_models\": nothing to call"},
      {"{\n\"candidate\": []}",
       ":2: unknown field \"candidate\" (known: candidates, reward_models)"},
      {"{\"candidates\": {}}", ":1: candidates: expected an array"},
      {"{\"candidates\": [\n 3]}", ":1: candidates[0]: expected an object"},
      {"{\"candidates\": [\n{\"base_url\": \"http://h/v1\"}]}", ":2: candidates[0]: missing \"name\""},
      {"{\"candidates\": [{\"name\": \"a\",\n \"base_url\": \"h/v1\"}]}",
       ":2: candidates[0].base_url: url \"h/v1\": expected http://host[:port][/path]"},
      {"{\"candidates\": [{\"name\": \"a\", \"base_url\": \"http://h\",\n \"max_concurency\": 3}]}",
       ":2: candidates[0]: unknown field \"max_concurency\" (known: name, base_url, model, api_key_env, "
       "ca_file, max_concurrency, price_per_million_input, price_per_million_output, parameters, "
       "timeout_seconds, max_retries)"},
      {"{\"candidates\": [{\"name\": \"a\", \"base_url\": \"http://h\",\n \"parameters\": 0}]}",
       ":2: candidates[0].parameters: must be greater than 0"},
      {"{\"candidates\": [{\"name\": \"a\", \"base_url\": \"http://h\",\n \"max_concurrency\": 0}]}",
       ":2: candidates[0].max_concurrency: expected an integer in 1..1024"},
      {"{\"candidates\": [{\"name\": \"a\", \"base_url\": \"http://h\",\n \"max_retries\": 1.5}]}",
       ":2: candidates[0].max_retries: expected an integer in 0..100"},
      {"{\"candidates\": [{\"name\": \"a\", \"base_url\": \"http://h\",\n \"price_per_million_input\": -1}]}",
       ":2: candidates[0].price_per_million_input: must not be negative"},
      {"{\"candidates\": [{\"name\": \"a\", \"base_url\": \"http://h\",\n \"timeout_seconds\": 0}]}",
       ":2: candidates[0].timeout_seconds: must be greater than 0"},
      {"{\"candidates\": [{\"name\": \"a\", \"base_url\": \"http://h\",\n \"model\": 7}]}",
       ":2: candidates[0].model: expected a non-empty string"},
      {"{\"candidates\": [{\"name\": \"a\", \"base_url\": \"http://h\",\n \"api_key_env\": \"NOPE\"}]}",
       ":2: candidates[0].api_key_env: environment variable NOPE is not set"},
      {"{\"candidates\": [{\"name\": \"a\", \"base_url\": \"http://h\",\n \"api_key_env\": \"EMPTY\"}]}",
       ":2: candidates[0].api_key_env: environment variable EMPTY is empty"},
      {"{\"candidates\": [{\"name\": \"a\", \"base_url\": \"http://h\"},\n{\"name\": \"a\", \"base_url\": \"http://g\"}]}",
       ":2: candidates[1]: duplicate name \"a\""},
      {"{\"reward_models\": [{\"name\": \"r\", \"base_url\": \"http://h\"}]}",
       ":1: reward_models[0]: missing \"shape\""},
      {"{\"reward_models\": [{\"name\": \"r\", \"base_url\": \"http://h\",\n\"shape\": \"openai\"}]}",
       ":2: reward_models[0].shape: unknown shape \"openai\" (known: vllm-score, tei-predict, vllm-classify)"},
      {"{\"reward_models\": [{\"name\": \"r\", \"base_url\": \"http://h\", \"shape\": \"vllm-score\",\n"
       "\"price_per_million_input\": 1}]}",
       ":2: reward_models[0]: unknown field \"price_per_million_input\" (known: name, base_url, model, "
       "api_key_env, ca_file, shape, label_index, max_concurrency, timeout_seconds, max_retries)"},
      {"{\"reward_models\": [{\"name\": \"r\", \"base_url\": \"http://h\", \"shape\": \"vllm-score\",\n"
       "\"label_index\": 1}]}",
       ":2: reward_models[0].label_index: only the vllm-classify shape uses it (shape is \"vllm-score\")"},
      {"{\"reward_models\": [{\"name\": \"r\", \"base_url\": \"http://h\", \"shape\": \"tei-predict\",\n"
       "\"label_index\": 0}]}",
       ":2: reward_models[0].label_index: only the vllm-classify shape uses it (shape is \"tei-predict\")"},
      {"{\"reward_models\": [{\"name\": \"r\", \"base_url\": \"http://h\", \"shape\": \"vllm-classify\",\n"
       "\"label_index\": -1}]}",
       ":2: reward_models[0].label_index: expected a non-negative integer"},
      {"{\"reward_models\": [{\"name\": \"r\", \"base_url\": \"http://h\", \"shape\": \"vllm-classify\",\n"
       "\"label_index\": 1.5}]}",
       ":2: reward_models[0].label_index: expected a non-negative integer"},
      {"{\"reward_models\": [{\"name\": \"r\", \"base_url\": \"http://h\", \"shape\": \"vllm-classify\",\n"
       "\"label_index\": \"1\"}]}",
       ":2: reward_models[0].label_index: expected a non-negative integer"},
      // A repeated key (a DOM would keep the first silently) and a string that is not UTF-8.
      {"{\"candidates\": [{\"name\": \"a\", \"base_url\": \"http://h\",\n\"model\": \"m1\", \"model\": \"m2\"}]}",
       ":2: key \"model\" appears twice in one object (which value is meant?)"},
      {"{\"candidates\": [\n{\"name\": \"caf\xC3\", \"base_url\": \"http://h\"}]}",
       ":2: invalid JSON: Invalid encoding in string."},
  };
  for (const auto& [text, message] : cases) {
    SCOPED_TRACE(text);
    EXPECT_EQ(load_error(dir, text), message);
  }
}

TEST(EndpointsFileTest, LabelIndexOfTheVllmClassifyShape) {
  test::TempDir dir;
  const std::string path = dir.file("endpoints.json");
  test::write_file(path, R"({"reward_models": [
    {"name": "good", "base_url": "http://127.0.0.1:8003", "shape": "vllm-classify", "label_index": 1},
    {"name": "first", "base_url": "http://127.0.0.1:8003", "shape": "vllm-classify"},
    {"name": "score", "base_url": "http://127.0.0.1:8004/v1", "shape": "vllm-score"}]})");
  const EndpointsFile f = load_endpoints_file(path, fake_env);
  ASSERT_EQ(f.reward_models.size(), 3u);
  EXPECT_EQ(f.reward_models[0].shape, "vllm-classify");
  EXPECT_EQ(f.reward_models[0].label_index, 1u);
  EXPECT_EQ(f.reward_models[1].shape, "vllm-classify");
  EXPECT_EQ(f.reward_models[1].label_index, 0u);  // default: the first (for a one-label head, the only) entry
  EXPECT_EQ(f.reward_models[2].label_index, 0u);
}

TEST(EndpointsFileTest, CaFileIsResolvedAgainstTheFilesDirectory) {
  test::TempDir dir;
  std::filesystem::create_directories(dir.path() / "conf" / "certs");
  const std::string pem = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";
  test::write_file(dir.file("conf/certs/private-ca.pem"), pem);
  test::write_file(dir.file("absolute-ca.pem"), pem);
  const std::string path = dir.file("conf/endpoints.json");
  test::write_file(path, R"({"candidates": [
    {"name": "a", "base_url": "https://h/v1", "ca_file": "certs/private-ca.pem"},
    {"name": "b", "base_url": "https://h/v1", "ca_file": ")" + dir.file("absolute-ca.pem") + R"("}],
  "reward_models": [
    {"name": "r", "base_url": "https://h", "shape": "vllm-score", "ca_file": "./certs/../certs/private-ca.pem"}]})");
  const EndpointsFile f = load_endpoints_file(path, fake_env);
  EXPECT_EQ(f.candidates[0].ca_file, dir.file("conf/certs/private-ca.pem"));
  EXPECT_EQ(f.candidates[1].ca_file, dir.file("absolute-ca.pem"));
  EXPECT_EQ(f.reward_models[0].ca_file, dir.file("conf/certs/private-ca.pem"));
}

TEST(EndpointsFileTest, BadCaFileIsAnErrorAtItsLine) {
  test::TempDir dir;
  test::write_file(dir.file("empty.pem"), "not a certificate\n");
  const std::pair<std::string, std::string> cases[] = {
      {"{\"candidates\": [{\"name\": \"a\", \"base_url\": \"https://h\",\n \"ca_file\": \"missing.pem\"}]}",
       ":2: candidates[0].ca_file: \"" + dir.file("missing.pem") + "\" does not exist"},
      {"{\"candidates\": [{\"name\": \"a\", \"base_url\": \"https://h\",\n \"ca_file\": \"empty.pem\"}]}",
       ":2: candidates[0].ca_file: \"" + dir.file("empty.pem") + "\" holds no PEM certificate"},
      {"{\"candidates\": [{\"name\": \"a\", \"base_url\": \"http://h\",\n \"ca_file\": \"empty.pem\"}]}",
       ":2: candidates[0].ca_file: only https base URLs use a CA file"},
      {"{\"reward_models\": [{\"name\": \"r\", \"base_url\": \"https://h\", \"shape\": \"tei-predict\",\n"
       " \"ca_file\": \"\"}]}",
       ":2: reward_models[0].ca_file: expected a non-empty string"},
  };
  for (const auto& [text, message] : cases) {
    SCOPED_TRACE(text);
    EXPECT_EQ(load_error(dir, text), message);
  }
}

TEST(EndpointsFileTest, MissingFileIsAnInputError) {
  EXPECT_THROW((void)load_endpoints_file("/nonexistent/endpoints.json", fake_env), InputError);
}

}  // namespace
}  // namespace zooter::live
