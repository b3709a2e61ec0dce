#!/usr/bin/env python3
"""Lints an OpenAPI 3.0 document (docs/openapi.json by default).

Debian 12 packages no OpenAPI validator for Python, so this check is made of what it does
package: the document is validated against the OpenAPI Initiative's JSON Schema of OpenAPI 3.0
(package openapi-specification, /usr/share/openapi-specification/schemas/v3.0/schema.json) with
python3-jsonschema, and then checked for what that schema cannot express and linters report:
  - `nullable` only beside `type` (OpenAPI 3.0.3: "only takes effect if type is explicitly defined");
  - every `$ref` resolves;
  - every name in `required` is one of the schema's `properties` (when it lists them);
  - every {parameter} of a path is declared `in: path` on each of its operations, and nothing else is;
  - operationIds are unique.
Prints one line per problem, with its JSON path, and exits 1 when there is any.
Usage: lint-openapi.py [FILE] [--schema SCHEMA_JSON]
"""
import json
import re
import sys

SCHEMA = "/usr/share/openapi-specification/schemas/v3.0/schema.json"
METHODS = {"get", "put", "post", "delete", "options", "head", "patch", "trace"}


def resolve(document, ref):
    if not ref.startswith("#/"):
        return None
    node = document
    for part in ref[2:].split("/"):
        part = part.replace("~1", "/").replace("~0", "~")
        if not isinstance(node, dict) or part not in node:
            return None
        node = node[part]
    return node


def walk(node, path, visit):
    visit(node, path)
    if isinstance(node, dict):
        for key, value in node.items():
            walk(value, path + [key], visit)
    elif isinstance(node, list):
        for index, value in enumerate(node):
            walk(value, path + [str(index)], visit)


def is_schema_path(path):
    """Whether the node at `path` is a Schema Object (not, say, a property named "nullable")."""
    return "schema" in path or "schemas" in path


def structural_problems(document):
    problems = []

    def visit(node, path):
        where = "/" + "/".join(path)
        if not isinstance(node, dict):
            return
        ref = node.get("$ref")
        if isinstance(ref, str) and resolve(document, ref) is None:
            problems.append(f"{where}: $ref {ref} does not resolve")
        if is_schema_path(path) and path[-1] != "properties":
            if node.get("nullable") is True and "type" not in node:
                problems.append(f"{where}: nullable without type (OpenAPI 3.0.3 ignores it; add \"type\")")
            properties = node.get("properties")
            if isinstance(properties, dict) and isinstance(node.get("required"), list):
                for name in node["required"]:
                    if name not in properties:
                        problems.append(f"{where}: required names {name!r}, which is not one of its properties")

    walk(document, [], visit)
    problems.extend(path_parameter_problems(document))
    seen = {}
    for template, item in document.get("paths", {}).items():
        for method, operation in item.items():
            if method in METHODS and isinstance(operation, dict) and "operationId" in operation:
                name = operation["operationId"]
                if name in seen:
                    problems.append(f"/paths/{template}/{method}: operationId {name!r} also at {seen[name]}")
                seen[name] = f"/paths/{template}/{method}"
    return problems


def path_parameter_problems(document):
    problems = []
    for template, item in document.get("paths", {}).items():
        named = set(re.findall(r"{([^}]+)}", template))
        shared = item.get("parameters", [])
        for method, operation in item.items():
            if method not in METHODS:
                continue
            declared = set()
            for parameter in shared + operation.get("parameters", []):
                if "$ref" in parameter:
                    parameter = resolve(document, parameter["$ref"]) or {}
                if parameter.get("in") == "path":
                    declared.add(parameter.get("name"))
            for name in sorted(named - declared):
                problems.append(f"/paths/{template}/{method}: path parameter {{{name}}} is not declared in: path")
            for name in sorted(declared - named):
                problems.append(f"/paths/{template}/{method}: parameter {name!r} is in: path but not in the path")
    return problems


def main(argv):
    schema_path = SCHEMA
    files = []
    arguments = iter(argv[1:])
    for argument in arguments:
        if argument == "--schema":
            schema_path = next(arguments)
        else:
            files.append(argument)
    target = files[0] if files else "docs/openapi.json"
    try:
        import jsonschema
    except ImportError:
        print("lint-openapi: python3-jsonschema is missing (scripts/install-deps.sh installs it)", file=sys.stderr)
        return 2
    try:
        with open(schema_path, encoding="utf-8") as f:
            schema = json.load(f)
    except OSError as problem:
        print(f"lint-openapi: cannot read the OpenAPI 3.0 schema {schema_path} ({problem.strerror}); "
              "install the Debian package openapi-specification", file=sys.stderr)
        return 2
    with open(target, encoding="utf-8") as f:
        document = json.load(f)
    problems = []
    validator = jsonschema.Draft4Validator(schema)
    for error in sorted(validator.iter_errors(document), key=lambda e: list(e.absolute_path)):
        where = "/" + "/".join(str(part) for part in error.absolute_path)
        problems.append(f"{where}: {error.message}")
    problems.extend(structural_problems(document))
    for problem in problems:
        print(f"{target}{problem}")
    if problems:
        print(f"lint-openapi: {len(problems)} problem(s) in {target}", file=sys.stderr)
        return 1
    print(f"lint-openapi: {target} is valid OpenAPI 3.0")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
