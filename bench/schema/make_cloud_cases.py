#!/usr/bin/env python3
"""Builds cases/generated/cloud-{project,service,deployment}.json from the bundled Cloud API
(generated/openapi.json): the resource schema plus every schema it references (refs rewritten
to #/$defs/...), and as instances the spec's own examples of that resource (the response
examples of every operation that returns it, and the items of its list examples) followed by
a few invalid variants (a malformed id, a missing required field, an unknown enum value, a
bad timestamp, a wrong type).

    make_cloud_cases.py <openapi.json> <out-dir>
"""
import json
import os
import sys

from schema_closure import closure

source, out_dir = sys.argv[1], sys.argv[2]
doc = json.load(open(source))
schemas = doc["components"]["schemas"]


def deref(node):
    while isinstance(node, dict) and "$ref" in node:
        target = doc
        for part in node["$ref"][2:].split("/"):
            target = target[part]
        node = target
    return node


# Example values per response schema name, in document order.
examples = {}
for item in doc["paths"].values():
    for op in item.values():
        if not isinstance(op, dict) or "responses" not in op:
            continue
        for response in op["responses"].values():
            media = deref(response).get("content", {}).get("application/json")
            if not media or "$ref" not in media.get("schema", {}):
                continue
            name = media["schema"]["$ref"].rsplit("/", 1)[-1]
            for example in media.get("examples", {}).values():
                value = deref(example)["value"]
                if value not in examples.setdefault(name, []):
                    examples[name].append(value)


def variant(value, change):
    v = json.loads(json.dumps(value))
    change(v)
    return v


invalid = {
    "Project": [
        lambda v: v.update(id="project-1"),                     # id pattern
        lambda v: v.pop("workspace_id"),                        # required
        lambda v: v["labels"].update({"Team": "x"}),            # propertyNames pattern
        lambda v: v.update(created_at="30/10/2025"),            # date-time
    ],
    "Service": [
        lambda v: v.update(type="cron_job"),                    # enum
        lambda v: v.update(port=70000),                         # maximum
        lambda v: v["source"].pop("branch"),                    # nested required
        lambda v: v.update(current_deployment_id="dep_short"),  # id pattern
    ],
    "Deployment": [
        lambda v: v.update(status="done"),                      # enum
        lambda v: v["commit"].update(sha="9c1e5f0"),            # pattern
        lambda v: v.update(clear_cache="no"),                   # type
        lambda v: v.update(finished_at="yesterday"),            # date-time
    ],
}

os.makedirs(out_dir, exist_ok=True)
for resource, changes in invalid.items():
    instances = list(examples.get(resource, []))
    for item in examples.get(resource + "List", [{}])[0].get("data", []):
        if item not in instances:
            instances.append(item)
    valid_count = len(instances)
    instances += [variant(instances[0], change) for change in changes]
    case = {"name": f"Cloud API {resource}", "schema": closure(schemas, resource), "instances": instances}
    target = os.path.join(out_dir, f"cloud-{resource.lower()}.json")
    with open(target, "w") as f:
        json.dump(case, f)
    print(f"{target}: {len(case['schema']['$defs'])} schemas, {valid_count} examples + {len(changes)} invalid")
