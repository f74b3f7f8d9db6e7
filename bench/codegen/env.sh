# Sourced by the code generation benchmarks (bench/codegen/*.sh, bench/codegen_compile/*.sh):
# finds the inputs and the two generators, building what is missing. Sets:
#   root, shared   the repository and ../shared/data
#   corpus         the APIs.guru corpus, extracted   (TETHER_CORPUS=DIR to reuse one)
#   tether         the generator measured            (TETHER=BINARY, else build/release;
#                  not built when the caller set need_tether=0)
#   base_tether    the generator before issue 17     (BASELINE_TETHER=BINARY, else built
#                  from commit $base_commit in build/baseline-$base_commit; not built when
#                  the caller set need_base=0)
#   base_src       a copy of the baseline commit's tree (its runtime headers compile its output)
# Building the baseline takes a while (a release build of the generator on 2 cores, about
# 10 minutes); it is kept in build/ for later runs.
base_commit=25382d9
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
shared="${TETHER_SHARED_DATA:-$root/../shared/data}"
[ -d "$shared/openapi" ] || { echo "bench: $shared/openapi not found (TETHER_SHARED_DATA=...)" >&2; exit 2; }

corpus="${TETHER_CORPUS:-$root/build/corpus}"
if [ ! -f "$corpus/stripe.com.json" ]; then
  echo "bench: extracting the APIs.guru corpus into $corpus" >&2
  mkdir -p "$corpus"
  tar xJf "$shared/openapi/apis-guru-corpus/apis-guru-dev.tar.xz" -C "$corpus"
fi

tether="${TETHER:-}"
if [ -z "$tether" ] && [ "${need_tether:-1}" = 1 ]; then
  [ -f "$root/build/release/CMakeCache.txt" ] || cmake --preset release -S "$root" >/dev/null
  cmake --build "$root/build/release" --target tether -j2 >/dev/null
  tether="$root/build/release/generator/tether"
fi

base_src="$root/build/baseline-$base_commit/src"
if [ ! -d "$base_src/runtime" ]; then
  mkdir -p "$base_src"
  git -C "$root" archive "$base_commit" | tar -x -C "$base_src"
fi
base_tether="${BASELINE_TETHER:-}"
if [ -z "$base_tether" ] && [ "${need_base:-1}" = 1 ]; then
  base_tether="$root/build/baseline-$base_commit/build/generator/tether"
  if [ ! -x "$base_tether" ]; then
    echo "bench: building the baseline generator (commit $base_commit) in build/baseline-$base_commit" >&2
    cmake -S "$base_src" -B "$root/build/baseline-$base_commit/build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
      -DTETHER_BUILD_TESTS=OFF >/dev/null
    cmake --build "$root/build/baseline-$base_commit/build" --target tether -j2 >/dev/null
  fi
fi
for t in ${tether:+"$tether"} ${base_tether:+"$base_tether"}; do
  [ -x "$t" ] || { echo "bench: $t is not an executable" >&2; exit 2; }
done
