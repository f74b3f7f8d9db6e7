# tether_add_child_dirs(): adds every direct child folder that has a CMakeLists.txt, in
# sorted order, so a new component (a runtime module, a test group, a fuzzer) needs no
# edit of its parent.
#
# TETHER_SKIP_DIRS (a list of project-relative folders, e.g. "runtime/http;tests/http")
# leaves components out of a build tree, for work on one component while another is torn.
set(TETHER_SKIP_DIRS "" CACHE STRING "Project-relative component folders to leave out")
function(tether_add_child_dirs)
  file(GLOB children LIST_DIRECTORIES true RELATIVE "${CMAKE_CURRENT_SOURCE_DIR}"
       "${CMAKE_CURRENT_SOURCE_DIR}/*")
  list(SORT children)
  file(RELATIVE_PATH here "${PROJECT_SOURCE_DIR}" "${CMAKE_CURRENT_SOURCE_DIR}")
  foreach(child IN LISTS children)
    if("${here}/${child}" IN_LIST TETHER_SKIP_DIRS)
      message(STATUS "Skipping ${here}/${child} (TETHER_SKIP_DIRS)")
    elseif(EXISTS "${CMAKE_CURRENT_SOURCE_DIR}/${child}/CMakeLists.txt")
      add_subdirectory("${child}")
    endif()
  endforeach()
endfunction()
