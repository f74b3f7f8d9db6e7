# Project-wide compiler flags: warnings (errors in CI), sanitizers, fuzzing.
add_library(tether_warnings INTERFACE)
target_compile_options(tether_warnings INTERFACE -Wall -Wextra -Wpedantic -Wshadow
                       -Wnon-virtual-dtor -Wold-style-cast -Wcast-align -Wunused
                       -Woverloaded-virtual -Wnull-dereference -Wformat=2)
if(TETHER_WERROR)
  target_compile_options(tether_warnings INTERFACE -Werror)
endif()

if(TETHER_SANITIZE)
  add_compile_options(-fsanitize=address,undefined -fno-sanitize-recover=undefined
                      -fno-omit-frame-pointer)
  add_link_options(-fsanitize=address,undefined)
endif()

if(TETHER_FUZZ)
  # Everything is instrumented for coverage so libFuzzer can steer into the parsers.
  add_compile_options(-fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer)
  add_link_options(-fsanitize=address,undefined)
endif()
