#!/usr/bin/env python3
"""Prints the specs the code generation benchmarks run on, one "name<TAB>path" a line.

    specs.py codegen|compile ROOT SHARED CORPUS WORK [N]

- The issue's named specs: the Cloud API (spec/openapi.yaml), Kubernetes, DigitalOcean, the
  synthetic 1000-operation spec (written into WORK by make_ops_spec.py) and Stripe
  (stripe.com.json of the corpus, the largest validators of the issue's table).
- The largest specs of the corpus, by a fixed rule: the N (default 5) largest files by
  size, at most one per provider folder (github.com holds ghes-3.7 and ghes-3.8, nearly
  the same document: only the larger counts). On the APIs.guru corpus these are
  microsoft.com/graph-beta (47 MB), github.com/ghes-3.8, zuora.com, amazonaws.com/ec2 and
  zoom.us, listed smallest first.

"compile" leaves out the Cloud API and DigitalOcean (the issue's compile target names
Kubernetes, the synthetic spec and the largest corpus specs).
A corpus spec's name is its path inside the corpus without the extension.
"""
import os
import subprocess
import sys


def largest(corpus, n):
    files = []
    for dirpath, _, names in os.walk(corpus):
        for f in names:
            if f.endswith((".json", ".yaml", ".yml")):
                p = os.path.join(dirpath, f)
                files.append((os.path.getsize(p), os.path.relpath(p, corpus)))
    picked, providers = [], set()
    for _, rel in sorted(files, key=lambda x: (-x[0], x[1])):
        provider = rel.split(os.sep)[0] if os.sep in rel else None
        if provider and provider in providers:
            continue
        if provider:
            providers.add(provider)
        picked.append(rel)
        if len(picked) == n:
            break
    return picked[::-1]  # smallest first: tables and charts read in growing order


def main():
    kind, root, shared, corpus, work = sys.argv[1:6]
    n = int(sys.argv[6]) if len(sys.argv) > 6 else 5
    ops = os.path.join(work, "ops-1000.json")
    if not os.path.exists(ops):
        subprocess.run([sys.executable, os.path.join(root, "bench/codegen/make_ops_spec.py"), "1000", ops], check=True)
    rows = []
    if kind == "codegen":
        rows.append(("cloud", os.path.join(root, "spec/openapi.yaml")))
    rows.append(("kubernetes", os.path.join(shared, "openapi/apis-guru/kubernetes.io.json")))
    if kind == "codegen":
        rows.append(("digitalocean", os.path.join(shared, "openapi/digitalocean/DigitalOcean-public.v2.yaml")))
    rows.append(("ops1000", ops))
    named = ["stripe.com.json"]
    for rel in named + [r for r in largest(corpus, n) if r not in named]:
        rows.append((os.path.splitext(rel)[0], os.path.join(corpus, rel)))
    for name, path in rows:
        if not os.path.exists(path):
            sys.exit(f"bench: spec {name} not found at {path}")
        print(f"{name}\t{path}")


if __name__ == "__main__":
    main()
