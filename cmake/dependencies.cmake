# Every dependency comes from a Debian 12 package; see .ci/run for the list.
find_package(Boost 1.74 REQUIRED)                 # MSM is header-only
find_package(yaml-cpp REQUIRED)
find_package(date REQUIRED)                       # Howard Hinnant's date/tz
# libyaml (Debian libyaml-dev) parses rule and calendar files; it ships a
# pkg-config module, no CMake package.
find_package(PkgConfig REQUIRED)
pkg_check_modules(CASEFLOW_LIBYAML REQUIRED IMPORTED_TARGET yaml-0.1)
# yaml-cpp 0.7 (Debian 12) exports the plain target `yaml-cpp`; newer releases
# export `yaml-cpp::yaml-cpp`.  Accept both behind one name.
if(TARGET yaml-cpp::yaml-cpp)
  set(CASEFLOW_YAML_TARGET yaml-cpp::yaml-cpp)
else()
  set(CASEFLOW_YAML_TARGET yaml-cpp)
endif()
