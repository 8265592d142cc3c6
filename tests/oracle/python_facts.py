"""An independent oracle for ssot-lint's Python front end: CPython's own `ast` module.

Reads file paths (one per line) on stdin and prints one JSON object: for each path either
{"error": "..."} when CPython cannot parse it
(with "line": the line CPython reports, when it gives one), or {"imports": ..., "definitions": ...}:

- imports are every import statement at any nesting level, in source order, except
  `from __future__`: ["import", [[module, alias], ...]] or ["from", level, module, [[name, alias], ...]]
  (a star import has the name "*");
- definitions are the names of classes and functions defined at module level, including inside
  top-level if / try / with / for / while / match blocks (not inside a class or function).

Used by tests/oracle.rs; only the standard library.
"""

import ast
import json
import sys
import warnings


def imports(tree):
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.append((node.lineno, node.col_offset, ["import", [[a.name, a.asname] for a in node.names]]))
        elif isinstance(node, ast.ImportFrom):
            if node.level == 0 and node.module == "__future__":
                continue
            names = [[a.name, a.asname] for a in node.names]
            found.append((node.lineno, node.col_offset, ["from", node.level, node.module or "", names]))
    return [entry for _, _, entry in sorted(found, key=lambda item: (item[0], item[1]))]


def module_level_definitions(body, out):
    for node in body:
        if isinstance(node, (ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            out.append(node.name)
            continue
        for field in ("body", "orelse", "finalbody", "handlers", "cases"):
            children = getattr(node, field, None)
            if isinstance(children, list):
                for child in children:
                    if isinstance(child, (ast.ExceptHandler, ast.match_case)):
                        module_level_definitions(child.body, out)
                    elif isinstance(child, ast.stmt):
                        module_level_definitions([child], out)
    return out


def main():
    warnings.simplefilter("ignore")
    result = {}
    for path in sys.stdin.read().splitlines():
        try:
            with open(path, "rb") as handle:
                tree = ast.parse(handle.read())
        except (SyntaxError, ValueError) as error:
            result[path] = {"error": str(error), "line": getattr(error, "lineno", None)}
            continue
        result[path] = {"imports": imports(tree), "definitions": module_level_definitions(tree.body, [])}
    json.dump(result, sys.stdout, indent=1, sort_keys=True)


if __name__ == "__main__":
    main()
