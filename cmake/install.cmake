# Installs caseflow as a CMake package: the library, include/caseflow/, the
# export set caseflowTargets (namespace caseflow::), caseflowConfig.cmake and
# caseflowConfigVersion.cmake.  Consumers: find_package(caseflow REQUIRED) and
# link caseflow::caseflow.
include(CMakePackageConfigHelpers)

set(CASEFLOW_CMAKE_INSTALL_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/caseflow)

install(TARGETS caseflow EXPORT caseflowTargets
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
  RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR}
  INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(DIRECTORY ${PROJECT_SOURCE_DIR}/include/caseflow
  DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}
  FILES_MATCHING PATTERN "*.hpp")

# A static caseflow carries its PRIVATE link dependencies (yaml-cpp, libyaml,
# date::date-tz) into the export as $<LINK_ONLY:...>, so the config file has to
# find them before it loads caseflowTargets.cmake.
install(EXPORT caseflowTargets
  NAMESPACE caseflow::
  DESTINATION ${CASEFLOW_CMAKE_INSTALL_DIR})

configure_package_config_file(
  ${PROJECT_SOURCE_DIR}/cmake/caseflowConfig.cmake.in
  ${PROJECT_BINARY_DIR}/caseflowConfig.cmake
  INSTALL_DESTINATION ${CASEFLOW_CMAKE_INSTALL_DIR})
write_basic_package_version_file(
  ${PROJECT_BINARY_DIR}/caseflowConfigVersion.cmake
  VERSION ${PROJECT_VERSION}
  COMPATIBILITY SameMinorVersion)   # 0.x: minor releases may break the API
install(FILES
  ${PROJECT_BINARY_DIR}/caseflowConfig.cmake
  ${PROJECT_BINARY_DIR}/caseflowConfigVersion.cmake
  DESTINATION ${CASEFLOW_CMAKE_INSTALL_DIR})
