# Command-line cases run against the real zooter binary: arguments, the exact exit code
# (0 success, 1 bad data or I/O, 2 usage) and a regex the output must match. Included by the
# top-level CMakeLists.txt; in-process tests of the same commands are in cli_test.cc.

set(ZOOTER_CLI_TINY "${CMAKE_SOURCE_DIR}/examples/tiny")
set(ZOOTER_CLI_DATA "${CMAKE_SOURCE_DIR}/tests/cli/data")

# zooter_cli_case(NAME ARGS CODE [STDOUT regex] [STDERR regex]); ARGS separated by '|'.
function(zooter_cli_case name args code)
  cmake_parse_arguments(PARSE_ARGV 3 case "" "STDOUT;STDERR" "")
  set(checks "")
  if(DEFINED case_STDOUT)
    list(APPEND checks "-DEXPECT_STDOUT=${case_STDOUT}")
  endif()
  if(DEFINED case_STDERR)
    list(APPEND checks "-DEXPECT_STDERR=${case_STDERR}")
  endif()
  add_test(NAME cli.${name}
           COMMAND ${CMAKE_COMMAND} "-DZOOTER=$<TARGET_FILE:zooter>" "-DARGS=${args}"
                   "-DEXPECT_CODE=${code}" ${checks}
                   -P "${CMAKE_CURRENT_LIST_DIR}/check_case.cmake"
           WORKING_DIRECTORY "${CMAKE_SOURCE_DIR}")
endfunction()

zooter_cli_case(help "--help" 0
                STDOUT "\n  run +[^\n]+\n  validate +[^\n]+\n  list ")
zooter_cli_case(unknown_command "frobnicate" 2
                STDERR "^zooter: unknown command \"frobnicate\"")
zooter_cli_case(validate_tiny "validate|${ZOOTER_CLI_TINY}" 0
                STDOUT "valid zooter bundle, suite \"tiny\": 9 queries, 3 candidates")
zooter_cli_case(validate_missing_directory "validate|${ZOOTER_CLI_DATA}/nosuch" 1
                STDERR "nosuch: does not exist \\(expected a bundle: ")
zooter_cli_case(validate_file_not_directory "validate|${ZOOTER_CLI_TINY}/manifest.json" 1
                STDERR "manifest\\.json: is not a directory \\(expected a bundle: ")
zooter_cli_case(validate_bad_manifest "validate|${ZOOTER_CLI_DATA}/bad-manifest" 1
                STDERR "bad-manifest/manifest\\.json:4: column 3: invalid JSON: Missing a comma")
zooter_cli_case(run_unknown_candidate "run|${ZOOTER_CLI_TINY}|--adapter|single@nosuch" 1
                STDERR "^unknown candidate model \"nosuch\" \\(bundle has: alpha, beta, gamma\\)\n$")
zooter_cli_case(run_negative_threads "run|${ZOOTER_CLI_TINY}|--threads|-1" 2
                STDERR "--threads must be at least 0, got -1")
zooter_cli_case(run_oracle "run|${ZOOTER_CLI_TINY}|--adapter|oracle|--threads|1" 0
                STDOUT "\noracle +1\\.00 +1\\.00 +100\\.0")
zooter_cli_case(run_versus_unknown "run|${ZOOTER_CLI_TINY}|--versus|mlp" 2
                STDERR "--versus \"mlp\": no adapter of this run is named so or is of that kind \\(adapters: single@alpha, single@beta, single@gamma, best-single, random, oracle, rmr@judge-rm\\)")
zooter_cli_case(run_versus "run|${ZOOTER_CLI_TINY}|--versus|single@beta|--threads|1" 0
                STDOUT "\nPaired tests against single@beta [^\n]+\n  single@alpha +better on 2 subsets \\(1 significantly\\), worse on 1 \\(0\\); chat \\+0\\.25 \\(p ")
zooter_cli_case(list_adapters "list|adapters" 0
                STDOUT "(^|\n)rmr@REWARD_MODEL ")

# zooter compare: exit 0 no regression, 1 regression, 2 not comparable (hand-written reports).
set(ZOOTER_CLI_COMPARE "${ZOOTER_CLI_DATA}/compare")
zooter_cli_case(compare_improved "compare|${ZOOTER_CLI_COMPARE}/base.json|${ZOOTER_CLI_COMPARE}/improved.json" 0
                STDOUT "\\*\\*No regression\\*\\*: 5 metrics compared, 2 changed, 0 regressed")
zooter_cli_case(compare_regressed "compare|${ZOOTER_CLI_COMPARE}/base.json|${ZOOTER_CLI_COMPARE}/regressed.json" 1
                STDOUT "\\*\\*Regression\\*\\*: 5 metrics compared, 4 changed, 4 regressed.*\n\\| router \\| s1 \\| score \\| 0\\.8000 \\| 0\\.7000 \\| -0\\.1000 \\|")
zooter_cli_case(compare_lenient "compare|${ZOOTER_CLI_COMPARE}/base.json|${ZOOTER_CLI_COMPARE}/regressed.json|--max-drop|0.2|--max-rank-rise|1.5" 0
                STDOUT "\\*\\*No regression\\*\\*")
zooter_cli_case(compare_other_suite "compare|${ZOOTER_CLI_COMPARE}/base.json|${ZOOTER_CLI_COMPARE}/other-suite.json" 2
                STDOUT "\\*\\*Not comparable\\*\\*: different suites: \"mini\" vs \"other\"")
zooter_cli_case(compare_missing_file "compare|${ZOOTER_CLI_COMPARE}/base.json|${ZOOTER_CLI_COMPARE}/nosuch.json" 1
                STDERR "nosuch\\.json: does not exist \\(expected a report\\.json\\)")
zooter_cli_case(compare_directory "compare|${ZOOTER_CLI_COMPARE}/base.json|${ZOOTER_CLI_COMPARE}" 1
                STDERR "compare: is a directory, not a file \\(expected a report\\.json\\)")
# Same suite, pool and subsets, but a metric on another scale (max 1 -> 10, scores x4) or in
# the other direction: the scores are not comparable numbers.
zooter_cli_case(compare_rescaled_metric "compare|${ZOOTER_CLI_COMPARE}/base.json|${ZOOTER_CLI_COMPARE}/rescaled.json" 2
                STDOUT "\\*\\*Not comparable\\*\\*: different metric definitions: subset \"s1\": max 1 vs 10")
zooter_cli_case(compare_flipped_metric "compare|${ZOOTER_CLI_COMPARE}/base.json|${ZOOTER_CLI_COMPARE}/flipped.json" 2
                STDOUT "\\*\\*Not comparable\\*\\*: different metric definitions: subset \"s1\": higher_is_better true vs false")

# A gold-pending bundle (what zooter collect writes): valid, but nothing evaluates it before
# zooter gold adds its gold.
set(ZOOTER_CLI_PENDING "${ZOOTER_CLI_DATA}/pending")
zooter_cli_case(validate_pending "validate|${ZOOTER_CLI_PENDING}" 0
                STDOUT "valid zooter bundle, suite \"live\": 1 queries, 2 candidates.*\n  gold pending: 2 responses awaiting gold")
zooter_cli_case(run_pending "run|${ZOOTER_CLI_PENDING}" 1
                STDERR "pending: gold scores are pending \\(collected live\\); add them with `zooter gold [^`]*pending --scores FILE`")
zooter_cli_case(ablate_pending "ablate|${ZOOTER_CLI_PENDING}" 1
                STDERR "pending: gold scores are pending \\(collected live\\)")
# A router distils reward-model scores and reads no gold: training on a pending bundle works,
# unless the reward source is gold itself.
zooter_cli_case(train_pending_reward "train|${ZOOTER_CLI_PENDING}|--split|test|--threads|1|--out|${CMAKE_BINARY_DIR}/pending.router" 0
                STDOUT "router written to .*reward=live-rm")
zooter_cli_case(train_pending_gold "train|${ZOOTER_CLI_PENDING}|--split|test|--reward|gold|--out|${CMAKE_BINARY_DIR}/unused.router" 1
                STDERR "pending: gold scores are pending \\(collected live\\), so there is nothing to train on")
zooter_cli_case(gold_without_scores "gold|${ZOOTER_CLI_PENDING}" 2
                STDERR "zooter gold: .*scores")
zooter_cli_case(run_decisions_file "run|${ZOOTER_CLI_TINY}|--adapter|decisions@file=${ZOOTER_CLI_DATA}/decisions/tiny.jsonl|--bootstrap|0" 0
                STDOUT "decisions@file=")
zooter_cli_case(run_decisions_duplicate "run|${ZOOTER_CLI_TINY}|--adapter|decisions@file=${ZOOTER_CLI_DATA}/decisions/duplicate.jsonl|--bootstrap|0" 1
                STDERR "duplicate.jsonl:8: duplicate decision for query \"h1\" \\(first at line 1\\)")
zooter_cli_case(run_writes_decisions "run|${ZOOTER_CLI_TINY}|--bootstrap|0|--quiet|--decisions|${CMAKE_BINARY_DIR}/cli-decisions" 0)

# The outside-router examples (examples/byo-router) through exec@cmd; skipped (exit 77, with a
# message) when Python, or scikit-learn for the second, is absent.
foreach(example stdlib sklearn)
  if(example STREQUAL "stdlib")
    set(expected 0.6944444444444445)
  else()
    set(expected 0.4166666666666667)
  endif()
  add_test(NAME byo_router_example.${example}
           COMMAND sh "${CMAKE_SOURCE_DIR}/tests/examples/byo_router_example.sh" "$<TARGET_FILE:zooter>"
                   "${CMAKE_SOURCE_DIR}" ${example} ${expected}
           WORKING_DIRECTORY "${CMAKE_SOURCE_DIR}")
  set_tests_properties(byo_router_example.${example} PROPERTIES SKIP_RETURN_CODE 77)
endforeach()
zooter_cli_case(run_exec_program_fails "run|${ZOOTER_CLI_TINY}|--adapter|exec@cmd=echo broken >&2 && exit 3|--bootstrap|0" 1
                STDERR "output of \"echo broken >&2 && exit 3\": the program exited with status 3\n  stderr: broken")
