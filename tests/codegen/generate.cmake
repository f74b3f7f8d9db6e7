# Build-time generation of C++ for a test: runs `tether generate` into OUT.
#   cmake -DTETHER=<tether> -DSPEC=<spec> -DOUT=<dir> -DNAMESPACE=<ns> -DSOURCE=<name>
#         [-DPARTS=<n> -DVALIDATORS=ON] -P generate.cmake
# Without PARTS: the models only, and OUT/models_all.cpp includes every models_<n>.cpp, so
# the build has a fixed list of sources however many chunks the spec needs.
# With PARTS: exactly n units per kind (models_1..n.cpp, and validators_1..n.cpp with
# VALIDATORS), compiled in parallel; VALIDATORS also writes OUT/validators_table.inc, the
# generated validators by name ({"Pet", &ns::validators::validate_Pet},), for tests that
# pick a validator at run time.
file(GLOB _stale "${OUT}/models_[0-9]*.cpp" "${OUT}/validators_[0-9]*.cpp")
if(_stale)
  file(REMOVE ${_stale})
endif()
set(_kinds --models)
if(VALIDATORS)
  list(APPEND _kinds --validators)
endif()
set(_parts "")
if(PARTS)
  set(_parts --parts ${PARTS})
endif()
execute_process(
  COMMAND "${TETHER}" generate "${SPEC}" --cpp "${OUT}" --namespace "${NAMESPACE}" ${_kinds} ${_parts} --no-format
          --source "${SOURCE}"
  RESULT_VARIABLE _result)
if(NOT _result EQUAL 0)
  message(FATAL_ERROR "tether generate failed (${_result}) for ${SPEC}")
endif()

if(VALIDATORS)
  file(STRINGS "${OUT}/validators.h" _declarations REGEX "^bool validate_[A-Za-z0-9_]+\\(")
  set(_table "// The generated validators by the C++ name of their schema (written by generate.cmake).\n")
  foreach(_line ${_declarations})
    string(REGEX MATCH "validate_([A-Za-z0-9_]+)\\(" _ "${_line}")
    string(APPEND _table "{\"${CMAKE_MATCH_1}\", &${NAMESPACE}::validators::validate_${CMAKE_MATCH_1}},\n")
  endforeach()
  file(WRITE "${OUT}/validators_table.inc.tmp" "${_table}")
  file(COPY_FILE "${OUT}/validators_table.inc.tmp" "${OUT}/validators_table.inc" ONLY_IF_DIFFERENT)
endif()

if(NOT PARTS)
  set(_text "// Every chunk of the generated models, as one translation unit for the tests.\n")
  set(_n 1)
  while(EXISTS "${OUT}/models_${_n}.cpp")
    string(APPEND _text "#include \"models_${_n}.cpp\"\n")
    math(EXPR _n "${_n} + 1")
  endwhile()
  file(WRITE "${OUT}/models_all.cpp.tmp" "${_text}")
  file(COPY_FILE "${OUT}/models_all.cpp.tmp" "${OUT}/models_all.cpp" ONLY_IF_DIFFERENT)
endif()
