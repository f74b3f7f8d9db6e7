# Build-time generation of models for a test: runs `tether generate --models` into OUT and
# writes OUT/models_all.cpp, which includes every models_<n>.cpp, so the build has a fixed
# list of sources however many chunks the spec needs.
#   cmake -DTETHER=<tether> -DSPEC=<spec> -DOUT=<dir> -DNAMESPACE=<ns> -DSOURCE=<name> -P generate.cmake
file(GLOB _stale "${OUT}/models_[0-9]*.cpp")
if(_stale)
  file(REMOVE ${_stale})
endif()
execute_process(
  COMMAND "${TETHER}" generate "${SPEC}" --cpp "${OUT}" --namespace "${NAMESPACE}" --models --no-format
          --source "${SOURCE}"
  RESULT_VARIABLE _result)
if(NOT _result EQUAL 0)
  message(FATAL_ERROR "tether generate failed (${_result}) for ${SPEC}")
endif()
set(_text "// Every chunk of the generated models, as one translation unit for the tests.\n")
set(_n 1)
while(EXISTS "${OUT}/models_${_n}.cpp")
  string(APPEND _text "#include \"models_${_n}.cpp\"\n")
  math(EXPR _n "${_n} + 1")
endwhile()
file(WRITE "${OUT}/models_all.cpp.tmp" "${_text}")
file(COPY_FILE "${OUT}/models_all.cpp.tmp" "${OUT}/models_all.cpp" ONLY_IF_DIFFERENT)
