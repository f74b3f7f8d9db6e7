#!/usr/bin/env python3
"""Writes a ~10 MB OpenAPI JSON document for the loader benchmark: the Kubernetes spec
from ../shared with its paths repeated under distinct prefixes until the target size.
Generated at benchmark time, never committed."""
import json, sys

source, target, megabytes = sys.argv[1], sys.argv[2], float(sys.argv[3])
doc = json.load(open(source))
paths = doc["paths"]
out_paths = {}
copy = 0
size = len(json.dumps(doc))
while size < megabytes * 1024 * 1024:
    for path, item in paths.items():
        item = json.loads(json.dumps(item))
        for op in item.values():
            if isinstance(op, dict) and "operationId" in op:
                op["operationId"] = f"{op['operationId']}V{copy}"
        out_paths[f"/copy{copy}{path}"] = item
    copy += 1
    size = len(json.dumps({**doc, "paths": out_paths}))
doc["paths"] = out_paths
json.dump(doc, open(target, "w"))
