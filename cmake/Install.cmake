# The installed package: `find_package(Tether)` gives the generator (tether::tether), the
# runtime libraries generated code links (tether::model, ::schema, ::http, ::server,
# ::client) and openapi_generate(). Installed headers keep their tether/<module>/ paths.
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

set(_tether_runtime model schema http server client)
set(_tether_targets tether tether_warnings)
foreach(_module IN LISTS _tether_runtime)
  if(NOT TARGET tether_${_module})
    continue()
  endif()
  set(_include "${PROJECT_SOURCE_DIR}/runtime/${_module}/include")
  # Public include paths point into the source tree while building and into the prefix
  # once installed.
  set_property(TARGET tether_${_module} PROPERTY INTERFACE_INCLUDE_DIRECTORIES
               "$<BUILD_INTERFACE:${_include}>" "$<INSTALL_INTERFACE:${CMAKE_INSTALL_INCLUDEDIR}>")
  set_property(TARGET tether_${_module} PROPERTY EXPORT_NAME ${_module})
  install(DIRECTORY "${_include}/" DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
  list(APPEND _tether_targets tether_${_module})
endforeach()
set_property(TARGET tether PROPERTY EXPORT_NAME tether)
set_property(TARGET tether_warnings PROPERTY EXPORT_NAME warnings)

install(TARGETS ${_tether_targets} EXPORT TetherTargets
        RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR}
        ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
        LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR})
set(_cmake_dir ${CMAKE_INSTALL_LIBDIR}/cmake/Tether)
install(EXPORT TetherTargets NAMESPACE tether:: DESTINATION ${_cmake_dir})
configure_package_config_file(cmake/TetherConfig.cmake.in "${PROJECT_BINARY_DIR}/TetherConfig.cmake"
                              INSTALL_DESTINATION ${_cmake_dir})
write_basic_package_version_file("${PROJECT_BINARY_DIR}/TetherConfigVersion.cmake"
                                 COMPATIBILITY SameMajorVersion)
install(FILES "${PROJECT_BINARY_DIR}/TetherConfig.cmake" "${PROJECT_BINARY_DIR}/TetherConfigVersion.cmake"
              cmake/TetherGenerate.cmake DESTINATION ${_cmake_dir})
