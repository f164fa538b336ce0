// The stamp `zooter synth` leaves in a bundle it writes (DIR/.zooter-synth): the settings and
// the build that made it. `synth --reuse` keeps a bundle whose stamp matches its own. The
// commands that read a bundle note one written by another build: if the simulation changed in
// between, its data are not what `zooter synth` makes now, and nothing else would say so.
#pragma once

#include <string>

namespace zooter::cli {

inline constexpr const char* kSynthStampFile = ".zooter-synth";

// "build=VERSION COMMIT": the stamp's line that names this build.
[[nodiscard]] std::string synth_build_line();

// A one-line note (ending in a newline) when `dir` holds a stamp written by another build;
// empty when it holds none (an imported or hand-made bundle) or one of this build.
[[nodiscard]] std::string other_build_note(const std::string& dir);

}  // namespace zooter::cli
