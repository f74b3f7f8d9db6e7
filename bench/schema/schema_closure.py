"""The schema of one component with every component it references, for a benchmark case:
the referenced components become $defs and their references are rewritten to match."""
import json
import re


def closure(schemas, root, prefix="#/components/schemas/"):
    needed, todo = set(), [root]
    while todo:
        name = todo.pop()
        if name in needed:
            continue
        needed.add(name)
        todo.extend(re.findall('"' + re.escape(prefix) + '([^"]+)"', json.dumps(schemas[name])))
    defs = json.loads(json.dumps({n: schemas[n] for n in sorted(needed)}).replace(prefix, "#/$defs/"))
    return {"$ref": "#/$defs/" + root, "$defs": defs}
