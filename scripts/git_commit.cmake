# Writes OUTPUT, a header defining ZOOTER_GIT_COMMIT as the source tree's current commit, at
# every build (CMakeLists.txt runs it from a custom target), so that an incremental build after
# a new commit stamps reports with that commit, not the one cmake was configured at. A tree with
# uncommitted changes to tracked files is stamped COMMIT-dirty-HASH, HASH from its diff against
# the commit: reports say so, and `zooter synth --reuse` (keyed on the build) does not reuse a
# bundle that an earlier edit of the generator wrote.
# file(CONFIGURE) rewrites the header only when the stamp changed, so nothing recompiles
# otherwise.
execute_process(COMMAND git rev-parse --short=12 HEAD
                WORKING_DIRECTORY "${SOURCE_DIR}"
                OUTPUT_VARIABLE commit OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
if(NOT commit)
  set(commit "unknown")
else()
  execute_process(COMMAND git diff HEAD --no-ext-diff
                  WORKING_DIRECTORY "${SOURCE_DIR}"
                  OUTPUT_VARIABLE diff ERROR_QUIET)
  if(diff)
    string(SHA1 diff_hash "${diff}")
    string(SUBSTRING "${diff_hash}" 0 8 diff_hash)
    set(commit "${commit}-dirty-${diff_hash}")
  endif()
endif()
file(CONFIGURE OUTPUT "${OUTPUT}" CONTENT "#define ZOOTER_GIT_COMMIT \"${commit}\"\n" @ONLY)
