# Project-wide compiler flags: warnings (errors in CI), sanitizers, fuzzing.
# (-Wnull-dereference is left out: with GCC 12 at -O2 it fires inside libstdc++ headers.)
add_library(tether_warnings INTERFACE)
target_compile_options(tether_warnings INTERFACE -Wall -Wextra -Wpedantic -Wshadow
                       -Wnon-virtual-dtor -Wold-style-cast -Wcast-align -Wunused
                       -Woverloaded-virtual -Wformat=2)
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
