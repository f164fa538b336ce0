# Runs one zooter command line and checks its exact exit code and, optionally, regexes on
# stdout and stderr. Used by cases.cmake as `cmake -D... -P check_case.cmake`.
#   ZOOTER           path of the zooter executable
#   ARGS             the arguments, separated by '|' (no argument here contains one)
#   EXPECT_CODE      the exit code expected
#   EXPECT_STDOUT    optional regex stdout must match
#   EXPECT_STDERR    optional regex stderr must match
string(REPLACE "|" ";" args "${ARGS}")
execute_process(COMMAND "${ZOOTER}" ${args}
                RESULT_VARIABLE code OUTPUT_VARIABLE out ERROR_VARIABLE err)
set(failed "")
if(NOT code STREQUAL EXPECT_CODE)
  string(APPEND failed "exit code ${code}, expected ${EXPECT_CODE}\n")
endif()
if(DEFINED EXPECT_STDOUT AND NOT out MATCHES "${EXPECT_STDOUT}")
  string(APPEND failed "stdout does not match \"${EXPECT_STDOUT}\"\n")
endif()
if(DEFINED EXPECT_STDERR AND NOT err MATCHES "${EXPECT_STDERR}")
  string(APPEND failed "stderr does not match \"${EXPECT_STDERR}\"\n")
endif()
if(failed)
  string(REPLACE ";" " " command_line "${args}")
  message(FATAL_ERROR "zooter ${command_line}\n${failed}--- stdout:\n${out}--- stderr:\n${err}")
endif()
