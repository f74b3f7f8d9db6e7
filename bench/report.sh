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
      codegen) echo "## Generating code: lines, time and memory, now and before issue 17, vs openapi-typescript (\`bench/codegen/run.sh\`)"
              echo
              echo "The issue's specs (Cloud API, Kubernetes, DigitalOcean, a synthetic 1000-operation spec, Stripe) and the"
              echo "five largest specs of the APIs.guru corpus (largest files, one per provider; \`bench/codegen/specs.py\`):"
              echo "generated lines against the generator before issue 17 (commit 25382d9), default \`tether generate\`"
              echo "against openapi-typescript, peak memory. The corpus sweep below runs every spec of the corpus." ;;
      codegen_compile) echo "## Compiling the generated code, now and before issue 17 (\`bench/codegen_compile/run.sh\`)"
              echo
              echo "The whole generated code of Kubernetes, the synthetic 1000-operation spec, Stripe and the largest corpus"
              echo "specs, compiled unit by unit; the baseline was measured once (slow: hours of CPU on the largest specs) and"
              echo "is kept in \`bench/codegen_compile/baseline.tsv\`, with the limits it ran under." ;;
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
    # Every chart of the area, results.svg first; then the area's extra tables (*.md
    # besides results.md, e.g. the corpus sweep of bench/codegen).
    for svg in "$dir"/results.svg "$dir"/*.svg; do
      [ -f "$svg" ] || continue
      if [ "$svg" = "$dir/results.svg" ]; then
        [ "${shown:-}" = "$area" ] && continue
        shown=$area
      fi
      echo
      echo "![$area benchmark: $(basename "$svg" .svg)](../bench/$area/$(basename "$svg"))"
    done
    for extra in "$dir"/*.md; do
      case "$(basename "$extra")" in results.md|README.md|notes.md) continue ;; esac
      echo
      cat "$extra"
    done
  done
} >"$out"
echo "bench/report.sh: wrote $out"
