# CLI tests of the campaign, report and demo commands (output checked).
add_test(NAME cli_campaign
  COMMAND caseflow_cli campaign --rules rules --customers examples/data/customers.csv
          --agents A01,A02,A03 --start 2026-10-12T09:00:00+08:00
  WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
set_tests_properties(cli_campaign PROPERTIES
  PASS_REGULAR_EXPRESSION "campaign RV: 32 customers \\(18 members\\).*members visited  18 of 18 \\(100%\\)")

add_test(NAME cli_campaign_json
  COMMAND caseflow_cli campaign --rules rules --customers examples/data/customers.csv
          --agents A01,A02 --start 2026-10-12T09:00:00+08:00 --format json
  WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
set_tests_properties(cli_campaign_json PROPERTIES
  PASS_REGULAR_EXPRESSION "^\\{\"campaign\":\"RV\".*\"selected\":32,\"members\":18")

add_test(NAME cli_campaign_bad_csv
  COMMAND caseflow_cli campaign --rules rules --customers tests/campaign_cli.cmake
          --agents A01 --start 2026-10-12T09:00:00+08:00
  WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
set_tests_properties(cli_campaign_bad_csv PROPERTIES WILL_FAIL TRUE)

add_test(NAME cli_report_histories
  COMMAND caseflow_cli report examples/histories/complaint/major_complaint_promised_reply.yaml --kind month
  WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
set_tests_properties(cli_report_histories PROPERTIES
  PASS_REGULAR_EXPRESSION "Statistics, month 2026-10.*opened 0, closed 1")

add_test(NAME cli_report_demo_json
  COMMAND caseflow_cli report --kind digest --day 2026-10-09 --format json
  WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
set_tests_properties(cli_report_demo_json PROPERTIES
  PASS_REGULAR_EXPRESSION "^\\{\"report\":\"daily_digest\",\"day\":\"2026-10-09\"")

add_test(NAME cli_demo COMMAND caseflow_cli demo WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
set_tests_properties(cli_demo PROPERTIES
  PASS_REGULAR_EXPRESSION "Daily digest 2026-10-01 18:00.*Daily digest 2026-10-31 18:00.*Statistics, month 2026-10"
  TIMEOUT 120)
