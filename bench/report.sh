#!/usr/bin/env bash
# Assembles docs/benchmarks.md from the results each benchmark wrote beside itself
# (bench/<area>/results.md and results.svg). Run after bench/<area>/run.sh.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
out="$root/docs/benchmarks.md"
{
  echo "# Benchmarks"
  echo
  echo "Speed is measured by benchmarks, never by timed tests: each \`bench/<area>/run.sh\`"
  echo "times tether and a peer tool on the same input in the same run and reports the ratio."
  echo "This machine is a shared 2-core VM, so absolute times move between runs; the ratios"
  echo "are what to read. Regenerate this page with \`bench/report.sh\` after running them."
  for dir in "$root"/bench/*/; do
    area=$(basename "$dir")
    [ -f "$dir/results.md" ] || continue
    echo
    case "$area" in
      loader) echo "## Loading specs: tether vs Redocly CLI (\`bench/loader/run.sh\`)"
              echo
              echo "Load + IR of real specs and of a synthetic 10 MB one (Kubernetes paths repeated),"
              echo "against \`redocly bundle\`, the peer that reads the same multi-file specs. \`tether generate\`"
              echo "also writes the whole IR as JSON; \`tether bundle\` does the same job as the peer." ;;
      codegen) echo "## Generating code: tether vs openapi-typescript (\`bench/codegen/run.sh\`)"
              echo
              echo "The largest shared specs and a synthetic 1000-operation spec (\`bench/codegen/make_ops_spec.py\`):"
              echo "\`tether generate\` writes C++ models, validators, server stubs and client bindings; the peer,"
              echo "openapi-typescript, writes TypeScript types. Target: under 1 s for 1000 operations, and faster than the peer."
              echo "clang-format, run over the output by default, costs 20-60 s on these specs; \`--no-format\` skips it." ;;
      codegen_compile) echo "## Compiling the generated code, by parts (\`bench/codegen_compile/run.sh\`)"
              echo
              echo "A spec's generated C++ is split into \`--parts N\` units per kind so that a large spec compiles"
              echo "in parallel with bounded memory per unit. Target: the 1000-operation spec compiles in under"
              echo "5 minutes on 2 cores with no unit above 2 GB." ;;
      schema) echo "## Validating JSON: tether vs ajv and valijson (\`bench/schema/run.sh\`)"
              echo
              echo "The Cloud API's resource schemas with the spec's own examples (plus invalid variants), a"
              echo "Kubernetes Deployment and a deeply composed schema; tether's runtime engine and its generated"
              echo "C++ validators against ajv (precompiled) and valijson (draft 7, where the schema allows)." ;;
      conformance) echo "## Replaying contract tests: tether-conform vs Dredd (\`bench/conformance/run.sh\`)" ;;
      sandbox_load) echo "## Serving the Cloud API under load: tether-sandbox vs Prism mock (\`bench/sandbox_load/run.sh\`)"
              echo
              echo "wrk on loopback, 64 connections for 30 s, an authenticated GET and an authenticated POST,"
              echo "against the sandbox, Prism's mock server of the same spec (the peer), and a bare cpp-httplib"
              echo "hello-world set up like the sandbox's server (the ceiling). Targets (issue 6): at least 20k"
              echo "authenticated GET/s on 2 cores, p99 under 5 ms, at least half the ceiling, at least 10x Prism." ;;
      *) echo "## $area (\`bench/$area/run.sh\`)" ;;
    esac
    echo
    cat "$dir/results.md"
    if [ -f "$dir/results.svg" ]; then
      echo
      echo "![$area benchmark](../bench/$area/results.svg)"
    fi
  done
} >"$out"
echo "bench/report.sh: wrote $out"
