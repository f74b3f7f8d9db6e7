# tether_add_child_dirs(): adds every direct child folder that has a CMakeLists.txt, in
# sorted order, so a new component (a runtime module, a test group, a fuzzer) needs no
# edit of its parent.
function(tether_add_child_dirs)
  file(GLOB children LIST_DIRECTORIES true RELATIVE "${CMAKE_CURRENT_SOURCE_DIR}"
       "${CMAKE_CURRENT_SOURCE_DIR}/*")
  list(SORT children)
  foreach(child IN LISTS children)
    if(EXISTS "${CMAKE_CURRENT_SOURCE_DIR}/${child}/CMakeLists.txt")
      add_subdirectory("${child}")
    endif()
  endforeach()
endfunction()
