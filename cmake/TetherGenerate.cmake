# openapi_generate(): C++ from an OpenAPI document at build time, in the manner of
# protobuf_generate. Creates a static library TARGET holding the generated models (and,
# as asked, validators, server stubs and client bindings), regenerated whenever the spec,
# a file it DEPENDS on, or the generator (whose templates are compiled in) changes.
#
#   openapi_generate(TARGET petstore SPEC api/openapi.yaml
#                    [NAMESPACE petstore]        # C++ namespace (default: TARGET)
#                    [SERVER] [CLIENT] [VALIDATORS]
#                    [PARTS 4]                   # translation units per kind
#                    [DEPENDS other/spec/files.yaml ...]
#                    [OUTPUT_DIR dir])           # default: <binary dir>/TARGET
#
# Models are always generated; SERVER and CLIENT imply VALIDATORS. The output file names
# depend only on the options (exactly PARTS files per kind), so no configure-time run of
# the generator is needed.
function(openapi_generate)
  cmake_parse_arguments(ARG "SERVER;CLIENT;VALIDATORS" "TARGET;SPEC;NAMESPACE;PARTS;OUTPUT_DIR" "DEPENDS" ${ARGN})
  if(NOT ARG_TARGET OR NOT ARG_SPEC)
    message(FATAL_ERROR "openapi_generate: TARGET and SPEC are required")
  endif()
  if(NOT ARG_NAMESPACE)
    set(ARG_NAMESPACE "${ARG_TARGET}")
  endif()
  if(NOT ARG_PARTS)
    set(ARG_PARTS 4)
  endif()
  if(NOT ARG_OUTPUT_DIR)
    set(ARG_OUTPUT_DIR "${CMAKE_CURRENT_BINARY_DIR}/${ARG_TARGET}")
  endif()
  get_filename_component(spec "${ARG_SPEC}" ABSOLUTE)
  if(ARG_SERVER OR ARG_CLIENT)
    set(ARG_VALIDATORS ON)
  endif()

  set(flags --models)
  set(outputs "${ARG_OUTPUT_DIR}/models.h" "${ARG_OUTPUT_DIR}/models_catalog.cpp")
  set(kinds models)
  if(ARG_VALIDATORS)
    list(APPEND flags --validators)
    list(APPEND kinds validators)
  endif()
  if(ARG_SERVER)
    list(APPEND flags --server)
    list(APPEND kinds server)
  endif()
  if(ARG_CLIENT)
    list(APPEND flags --client)
    list(APPEND kinds client)
  endif()
  foreach(kind IN LISTS kinds)
    if(NOT kind STREQUAL "models")
      list(APPEND outputs "${ARG_OUTPUT_DIR}/${kind}.h")
    endif()
    foreach(n RANGE 1 ${ARG_PARTS})
      list(APPEND outputs "${ARG_OUTPUT_DIR}/${kind}_${n}.cpp")
      if(kind STREQUAL "server" OR kind STREQUAL "client")
        list(APPEND outputs "${ARG_OUTPUT_DIR}/${kind}_${n}.h")
      endif()
    endforeach()
    if(kind STREQUAL "server" OR kind STREQUAL "client")
      list(APPEND outputs "${ARG_OUTPUT_DIR}/${kind}_common.h")
    endif()
  endforeach()

  if(TARGET tether)
    set(generator "$<TARGET_FILE:tether>")
    set(generator_target tether)
  else()
    set(generator "$<TARGET_FILE:tether::tether>")
    set(generator_target tether::tether)
  endif()
  file(RELATIVE_PATH source "${CMAKE_SOURCE_DIR}" "${spec}")
  set(stamp "${ARG_OUTPUT_DIR}/.generated.stamp")
  # The generator leaves unchanged files untouched; the stamp carries the rule's time and
  # the sources are byproducts, so Ninja rebuilds only what really changed.
  add_custom_command(
    OUTPUT "${stamp}"
    BYPRODUCTS ${outputs}
    COMMAND "${generator}" generate "${spec}" --cpp "${ARG_OUTPUT_DIR}" --namespace "${ARG_NAMESPACE}"
            --parts ${ARG_PARTS} --source "${source}" ${flags}
    COMMAND "${CMAKE_COMMAND}" -E touch "${stamp}"
    DEPENDS "${spec}" ${ARG_DEPENDS} ${generator_target}
    COMMENT "Generating C++ for ${ARG_TARGET} from ${source}"
    VERBATIM)
  add_custom_target(${ARG_TARGET}_sources DEPENDS "${stamp}")

  set(sources ${outputs})
  list(FILTER sources INCLUDE REGEX "\\.cpp$")
  add_library(${ARG_TARGET} STATIC ${sources})
  add_dependencies(${ARG_TARGET} ${ARG_TARGET}_sources)
  target_include_directories(${ARG_TARGET} PUBLIC "${ARG_OUTPUT_DIR}")
  target_compile_features(${ARG_TARGET} PUBLIC cxx_std_20)
  set(libs model schema)
  if(ARG_SERVER)
    list(APPEND libs server http)
  endif()
  if(ARG_CLIENT)
    list(APPEND libs client http)
  endif()
  list(REMOVE_DUPLICATES libs)
  foreach(lib IN LISTS libs)
    if(TARGET tether_${lib})
      target_link_libraries(${ARG_TARGET} PUBLIC tether_${lib})
    else()
      target_link_libraries(${ARG_TARGET} PUBLIC tether::${lib})
    endif()
  endforeach()
endfunction()
