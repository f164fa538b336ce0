// A gold-pending copy of examples/tiny for the tests of the pending flag and of zooter gold:
// the manifest says "gold": "pending" and no response line has a gold. Test code only.
#pragma once

#include <regex>
#include <string>

#include "tests/helpers.h"

namespace zooter::test {

// Copies examples/tiny into `dir`/`name`, makes it gold-pending and returns the directory.
inline std::string copy_tiny_pending_bundle(const TempDir& dir, const std::string& name = "pending") {
  const std::string bundle = copy_tiny_bundle(dir, name);
  replace_in_file(bundle + "/manifest.json", R"("simulated": false,)",
                  R"("simulated": false, "gold": "pending",)");
  const std::string responses = bundle + "/responses.jsonl";
  write_file(responses, std::regex_replace(read_file(responses), std::regex(R"("gold": [^,]+, )"), ""));
  return bundle;
}

}  // namespace zooter::test
