#include "cli/synth_stamp.h"

#include <fmt/format.h>

#include <filesystem>
#include <fstream>

#include "harness/version.h"

namespace zooter::cli {

std::string synth_build_line() { return fmt::format("build={} {}", tool_version(), git_commit()); }

std::string other_build_note(const std::string& dir) {
  std::ifstream in(std::filesystem::path(dir) / kSynthStampFile, std::ios::binary);
  const std::string prefix = "build=";
  for (std::string line; std::getline(in, line);) {
    if (line.rfind(prefix, 0) != 0) continue;
    const std::string ours = synth_build_line();
    if (line == ours) return "";
    return fmt::format(
        "note: {} was written by zooter synth {}, not by this build ({}): if the simulation "
        "changed in between, its data are not what synth makes now (`zooter synth ... --reuse` "
        "with the same settings remakes it)\n",
        dir, line.substr(prefix.size()), ours.substr(prefix.size()));
  }
  return "";
}

}  // namespace zooter::cli
