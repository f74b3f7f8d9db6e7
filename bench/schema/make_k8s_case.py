#!/usr/bin/env python3
"""Builds cases/generated/k8s-deployment.json from the shared Kubernetes OpenAPI document:
the Deployment schema plus every schema it references (refs rewritten to #/$defs/...),
with realistic valid and invalid Deployment objects."""
import json
import sys

from schema_closure import closure

source, target = sys.argv[1], sys.argv[2]
schemas = json.load(open(source))["components"]["schemas"]
root = "io.k8s.api.apps.v1.Deployment"
schema = closure(schemas, root)

# IntOrString is published as {"type": "string", "format": "int-or-string"} in this document,
# so the int-or-string fields carry strings ("25%", a named port): the valid objects are valid.
container = {"name": "web", "image": "nginx:1.25", "ports": [{"containerPort": 80, "protocol": "TCP"}],
             "env": [{"name": "MODE", "value": "prod"}], "resources": {"limits": {"cpu": "500m", "memory": "128Mi"}},
             "readinessProbe": {"httpGet": {"path": "/healthz", "port": "http"}, "periodSeconds": 5}}
valid = {"apiVersion": "apps/v1", "kind": "Deployment",
         "metadata": {"name": "web", "namespace": "default", "labels": {"app": "web"},
                      "annotations": {"deployment.kubernetes.io/revision": "3"}},
         "spec": {"replicas": 3, "selector": {"matchLabels": {"app": "web"}},
                  "strategy": {"type": "RollingUpdate", "rollingUpdate": {"maxSurge": "25%", "maxUnavailable": "25%"}},
                  "template": {"metadata": {"labels": {"app": "web"}},
                               "spec": {"containers": [container], "restartPolicy": "Always",
                                        "volumes": [{"name": "cfg", "configMap": {"name": "web-config"}}]}}}}
def variant(change):
    v = json.loads(json.dumps(valid))
    change(v)
    return v
instances = [
    valid,
    variant(lambda v: v["spec"].update(replicas="three")),
    variant(lambda v: v["spec"]["template"]["spec"]["containers"][0].pop("name")),
    variant(lambda v: v["spec"].pop("selector")),
    variant(lambda v: v["spec"]["template"]["spec"]["containers"].append(dict(container, name="sidecar", image="envoy:1.29"))),
    variant(lambda v: v["spec"]["template"]["spec"]["containers"][0]["ports"][0].update(containerPort="80")),
]
json.dump({"name": "Kubernetes apps/v1 Deployment", "schema": schema,
           "instances": instances}, open(target, "w"))
print(f"{target}: {len(schema['$defs'])} schemas, {len(instances)} instances")
