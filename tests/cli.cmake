# The CLI's contract: exit codes and output of check and replay.
if(TARGET caseflow_cli)
  add_test(NAME cli_check_ok COMMAND caseflow_cli check rules WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
  set_tests_properties(cli_check_ok PROPERTIES PASS_REGULAR_EXPRESSION "^ok: [0-9]+ workflow\\(s\\)")

  # A broken directory: every error positioned, exit 2 (checked by the wrapper).
  add_test(NAME cli_check_broken COMMAND ${CMAKE_COMMAND}
    -DCMD=$<TARGET_FILE:caseflow_cli> -DARGS=check\;tests/fixtures/broken_rules -DEXPECT_RC=2
    "-DEXPECT_OUT=complaint.yaml:5:21: unknown type 'strng' \\(did you mean 'string'\\?\\).*service.yaml:6:9: YAML syntax error.*8 error\\(s\\); nothing was loaded"
    -P ${CMAKE_CURRENT_SOURCE_DIR}/scripts/run_cli.cmake
    WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})

  add_test(NAME cli_replay_pass COMMAND caseflow_cli replay examples/histories/complaint/major_complaint_promised_reply.yaml
    WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
  set_tests_properties(cli_replay_pass PROPERTIES PASS_REGULAR_EXPRESSION "PASS .*\n1 passed, 0 failed")

  add_test(NAME cli_replay_fail COMMAND ${CMAKE_COMMAND}
    -DCMD=$<TARGET_FILE:caseflow_cli> -DARGS=replay\;tests/fixtures/histories/failing.yaml -DEXPECT_RC=1
    "-DEXPECT_OUT=FAIL .*failing.yaml:11:5: expected case C-1 in state 'closed', but it is in 'investigating'.*0 passed, 1 failed"
    -P ${CMAKE_CURRENT_SOURCE_DIR}/scripts/run_cli.cmake
    WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})

  add_test(NAME cli_replay_invalid COMMAND ${CMAKE_COMMAND}
    -DCMD=$<TARGET_FILE:caseflow_cli> -DARGS=replay\;tests/fixtures/histories/invalid.yaml -DEXPECT_RC=2
    "-DEXPECT_OUT=invalid.yaml:6:5: workflow 'complaint' has no event 'slved' \\(did you mean 'solved'\\?\\)"
    -P ${CMAKE_CURRENT_SOURCE_DIR}/scripts/run_cli.cmake
    WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})

  add_test(NAME cli_replay_json COMMAND caseflow_cli replay --print --format json
    examples/histories/complaint/normal_complaint_rejected_answer.yaml WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
  set_tests_properties(cli_replay_json PROPERTIES PASS_REGULAR_EXPRESSION
    "\\{\"file\":\"[^\"]*\",\"at\":\"2026-10-12T01:00:00Z\",\"case\":\"C-2\",\"kind\":\"opened\",\"subject\":\"complaint\".*\\{\"file\":\"[^\"]*\",\"result\":\"pass\",\"failures\":\\[\\]\\}")

  add_test(NAME cli_calendar_add COMMAND caseflow_cli calendar add --calendar rules/calendars/office.yaml
    --from 2026-09-30T16:00:00+08:00 --duration "3 business_days" WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
  set_tests_properties(cli_calendar_add PROPERTIES PASS_REGULAR_EXPRESSION "^2026-10-10T16:00:00\\+08:00\n$")

  add_test(NAME cli_calendar_info COMMAND caseflow_cli calendar info --calendar rules/calendars/office.yaml 2026-10-10
    WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
  set_tests_properties(cli_calendar_info PROPERTIES PASS_REGULAR_EXPRESSION "working day: make-up working day.*08:15-17:15")
endif()
