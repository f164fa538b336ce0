// libFuzzer target for the request parsing zooter serve does itself (live/chat_request.h).
// Built and run by scripts/fuzz.sh; not part of zooter_tests (no _test.cc suffix).
//
// Every input must either parse or throw ChatRequestError; anything else (a crash, a sanitizer
// report, another exception) is a finding. For inputs that parse, replace_model must keep the
// body around the model value intact and the result must parse again to the same request.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "live/chat_request.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view body(reinterpret_cast<const char*>(data), size);
  zooter::live::ChatRequestLimits limits;
  limits.max_body_bytes = 64u << 10;
  limits.max_messages = 64;
  zooter::live::ChatRequest request;
  try {
    request = zooter::live::parse_chat_request(body, limits);
  } catch (const zooter::live::ChatRequestError&) {
    return 0;
  }
  const std::string replaced = zooter::live::replace_model(body, request, "fuzz-\"model\"\n");
  zooter::live::ChatRequest again;
  try {
    again = zooter::live::parse_chat_request(replaced, zooter::live::ChatRequestLimits{1u << 20, 64});
  } catch (const zooter::live::ChatRequestError&) {
    std::abort();  // replacing the model broke a body that parsed
  }
  if (again.model != "fuzz-\"model\"\n" || again.stream != request.stream ||
      again.routing_text != request.routing_text || again.messages.size() != request.messages.size()) {
    std::abort();
  }
  return 0;
}
