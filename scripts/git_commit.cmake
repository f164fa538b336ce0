# Writes OUTPUT, a header defining ZOOTER_GIT_COMMIT as the source tree's current commit, at
# every build (CMakeLists.txt runs it from a custom target), so that an incremental build after
# a new commit stamps reports with that commit, not the one cmake was configured at.
# file(CONFIGURE) rewrites the header only when the commit changed, so nothing recompiles
# otherwise.
execute_process(COMMAND git rev-parse --short=12 HEAD
                WORKING_DIRECTORY "${SOURCE_DIR}"
                OUTPUT_VARIABLE commit OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
if(NOT commit)
  set(commit "unknown")
endif()
file(CONFIGURE OUTPUT "${OUTPUT}" CONTENT "#define ZOOTER_GIT_COMMIT \"${commit}\"\n" @ONLY)
