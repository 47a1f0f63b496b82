# The README's example is compiled and run: its YAML block becomes
# rules/hotline.yaml (with the shipped calendars) in a scratch directory, its
# C++ block a program run there, and the output is checked.
file(READ ${PROJECT_SOURCE_DIR}/README.md readme)
set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/README.md)
string(REGEX MATCH "```yaml\n([^`]*)```" _ "${readme}")
set(readme_yaml "${CMAKE_MATCH_1}")
string(REGEX MATCH "```cpp\n([^`]*)```" _ "${readme}")
set(readme_cpp "${CMAKE_MATCH_1}")
if(readme_yaml STREQUAL "" OR readme_cpp STREQUAL "")
  message(FATAL_ERROR "README.md must contain a ```yaml and a ```cpp block")
endif()
set(readme_dir ${PROJECT_BINARY_DIR}/readme)
file(WRITE ${readme_dir}/rules/hotline.yaml "${readme_yaml}")
file(COPY ${PROJECT_SOURCE_DIR}/rules/calendars DESTINATION ${readme_dir}/rules)
file(WRITE ${readme_dir}/readme_example.cpp "${readme_cpp}")
add_executable(readme_example ${readme_dir}/readme_example.cpp)
target_link_libraries(readme_example PRIVATE caseflow::caseflow)
target_compile_options(readme_example PRIVATE ${CASEFLOW_WARNINGS})
add_test(NAME readme_example COMMAND readme_example WORKING_DIRECTORY ${readme_dir})
# Hand-checked: escalated at once (major), `set` of the owner when taken (set is an
# action too), then 3 business days after Wed 30 Sep
# 16:05 is Sat 10 Oct 16:05 (1-7 Oct holidays, 10 Oct a make-up working day).
set_tests_properties(readme_example PROPERTIES PASS_REGULAR_EXPRESSION
  "^escalate department_manager 2026-09-30T16:00:00\\+08:00\nset  2026-09-30T16:05:00\\+08:00\nescalate supervisor 2026-10-10T16:05:00\\+08:00\nopen\n$")
