#!/usr/bin/env python3
"""Writes a synthetic OpenAPI 3.1 spec with N operations (CRUD over N/5 resources, each
with its own schemas, parameters, bodies and error responses), for the generation and
compile-time benchmarks: a '1000-operation spec' that nobody's generator has seen.

    make_ops_spec.py N OUT.json
"""
import json
import sys

n, out = int(sys.argv[1]), sys.argv[2]
paths, schemas = {}, {
    "Problem": {"type": "object", "required": ["type", "title", "status"],
                "properties": {"type": {"type": "string"}, "title": {"type": "string"},
                               "status": {"type": "integer"}, "detail": {"type": "string"}}},
}
problem = {"description": "An error.", "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}}
resources = (n + 4) // 5
count = 0
for r in range(resources):
    name = f"Resource{r}"
    schemas[name] = {
        "type": "object", "required": ["id", "name", "state"],
        "properties": {
            "id": {"type": "string", "pattern": "^r_[a-z0-9]{8}$", "readOnly": True},
            "name": {"type": "string", "minLength": 1, "maxLength": 64},
            "state": {"type": "string", "enum": ["pending", "active", "failed"]},
            "size": {"type": "integer", "minimum": 1, "maximum": 1024},
            "labels": {"type": "object", "additionalProperties": {"type": "string"}},
            "created_at": {"type": "string", "format": "date-time", "readOnly": True},
        },
    }
    schemas[f"{name}Page"] = {"type": "object", "required": ["data", "next_cursor"],
                              "properties": {"data": {"type": "array", "items": {"$ref": f"#/components/schemas/{name}"}},
                                             "next_cursor": {"type": ["string", "null"]}}}
    ref = {"$ref": f"#/components/schemas/{name}"}
    body = {"required": True, "content": {"application/json": {"schema": ref}}}
    one = {"200": {"description": "The resource.", "content": {"application/json": {"schema": ref}}},
           "404": problem, "default": problem}
    id_param = {"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}
    ops = {
        f"/resources{r}": {
            "get": {"operationId": f"list{name}", "tags": [f"group{r % 20}"],
                    "parameters": [{"name": "cursor", "in": "query", "schema": {"type": "string"}},
                                   {"name": "limit", "in": "query", "schema": {"type": "integer", "maximum": 100}}],
                    "responses": {"200": {"description": "A page.", "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{name}Page"}}}},
                                  "default": problem}},
            "post": {"operationId": f"create{name}", "tags": [f"group{r % 20}"], "requestBody": body,
                     "responses": {"201": one["200"], "422": problem, "default": problem}},
        },
        f"/resources{r}/{{id}}": {
            "parameters": [id_param],
            "get": {"operationId": f"get{name}", "tags": [f"group{r % 20}"], "responses": one},
            "patch": {"operationId": f"update{name}", "tags": [f"group{r % 20}"], "requestBody": body, "responses": one},
            "delete": {"operationId": f"delete{name}", "tags": [f"group{r % 20}"],
                       "responses": {"204": {"description": "Deleted."}, "404": problem}},
        },
    }
    for path, item in ops.items():
        for method, op in list(item.items()):
            if method == "parameters":
                continue
            if count >= n:
                del item[method]
                continue
            count += 1
        if any(k != "parameters" for k in item):
            paths[path] = item

spec = {"openapi": "3.1.0", "info": {"title": f"Synthetic API with {n} operations", "version": "1.0.0"},
        "paths": paths, "components": {"schemas": schemas}}
json.dump(spec, open(out, "w"), indent=1)
