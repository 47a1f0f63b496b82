# bench_smoke: every benchmark row of caseflow-bench runs once, briefly, so CI
# proves the suites build and run; speed is not judged here (scripts/bench.sh
# measures).  CASEFLOW_BENCH_SMOKE shrinks the million-case rows to 10,000.
#
# tests/ is configured before bench/, so the check for the target waits until
# the top-level directory is done.
function(caseflow_add_bench_smoke)
  if(TARGET caseflow-bench)
    add_test(NAME bench_smoke
      COMMAND caseflow-bench --benchmark_min_time=0.001
      WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
    set_tests_properties(bench_smoke PROPERTIES
      ENVIRONMENT "CASEFLOW_BENCH_SMOKE=1;CASEFLOW_SOURCE_DIR=${PROJECT_SOURCE_DIR}"
      FAIL_REGULAR_EXPRESSION "ERROR OCCURRED"
      TIMEOUT 120)
  endif()
endfunction()

if(CMAKE_VERSION VERSION_GREATER_EQUAL 3.19)
  cmake_language(DEFER DIRECTORY ${PROJECT_SOURCE_DIR} CALL caseflow_add_bench_smoke)
else()
  caseflow_add_bench_smoke()
endif()
