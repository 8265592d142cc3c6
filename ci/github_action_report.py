#!/usr/bin/env python3
"""The reporting half of the GitHub Action (ci/github-action.sh run).

From the `check --format json` and `counts --format json` reports it sets the step outputs
`violations`, `gating` and `counts` and writes the phase table to the step summary. GitHub resolves SARIF URIs and annotation paths
against the repository root (it ignores SARIF's `originalUriBaseIds`), while ssot-lint writes
them relative to the project root (the directory of ssot-lint.toml): when the two differ, this
rewrites both so that code scanning and annotations point at the right files.
Standard library only: GitHub's runners have python3.
"""

import argparse
import json
import os
import posixpath
import re
import sys
from urllib.parse import quote, unquote, urlparse

SRCROOT = "%SRCROOT%"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--report", required=True, help="check --format json output")
    parser.add_argument("--counts", required=True, help="counts --format json output")
    parser.add_argument("--sarif", required=True, help="check --format sarif output, rewritten in place")
    parser.add_argument("--annotations", required=True, help="check --format github output")
    parser.add_argument("--exit-code", type=int, required=True, help="exit code of the gating run")
    parser.add_argument("--phase", default="", help="the phase override given to check, if any")
    args = parser.parse_args()

    report = load(args.report)
    counts = with_check_gating(load(args.counts), report, args.phase)
    sarif = load(args.sarif)
    prefix = workspace_prefix(sarif, os.environ.get("GITHUB_WORKSPACE"))
    if prefix:
        rebase_sarif(sarif, prefix)
        with open(args.sarif, "w", encoding="utf-8") as file:
            json.dump(sarif, file, indent=2, ensure_ascii=False)
            file.write("\n")
    with open(args.annotations, encoding="utf-8") as file:
        for line in file:
            sys.stdout.write(rebase_annotation(line, prefix))

    outputs = {
        "violations": str(counts["total"]),
        "gating": str(counts["gating"]),
        "counts": json.dumps(counts, separators=(",", ":")),
        "sarif-file": args.sarif,
    }
    append("GITHUB_OUTPUT", "".join(f"{key}={value}\n" for key, value in outputs.items()))
    append("GITHUB_STEP_SUMMARY", step_summary(report["summary"], counts, args))


def load(path):
    with open(path, encoding="utf-8") as file:
        return json.load(file)


def with_check_gating(counts, report, phase):
    """`counts` gates by the config's current-phase (`counts --phase N` prints one number), so
    each phase's gating figure comes from the check run, which had the action's phase override."""
    gating = {}
    for finding in report["findings"]:
        if finding["gating"]:
            key = "none" if finding["phase"] is None else str(finding["phase"])
            gating[key] = gating.get(key, 0) + 1
    for group in counts["groups"]:
        group["gating"] = gating.get(group["key"], 0)
    counts["gating"] = report["summary"]["gating"]
    if phase:
        counts["current_phase"] = int(phase)
    return counts


def step_summary(summary, counts, args):
    gating = counts["gating"]
    verdict = "no gating findings" if gating == 0 else f"**{gating} gating finding{'s' * (gating != 1)}**"
    lines = [
        "## ssot-lint",
        "",
        f"{verdict} (exit {args.exit_code}) · {counts['total']} violations in {summary['files']} files"
        f" · {summary['suppressed']} suppressed · {summary['baselined']} baselined",
        "",
        "| Phase | Name | Violations | Gating |",
        "|---|---|---:|---:|",
    ]
    for group in counts["groups"]:
        name = group.get("name") or ("(no phase)" if group["key"] == "none" else "")
        lines.append(f"| {group['key']} | {name} | {group['count']} | {group['gating']} |")
    lines.append(f"| **Total** | | **{counts['total']}** | **{gating}** |")
    lines.append("")
    if counts.get("current_phase") is not None:
        phase = counts["current_phase"]
        lines += [f"Current phase: {phase}. Errors of phases up to {phase} gate; later phases are warnings.", ""]
    lines += [f"Every finding is in the SARIF report `{args.sarif}` (code scanning, when uploaded).", ""]
    return "\n".join(lines)


def append(variable, text):
    """Appends to the file GitHub names in `variable`; prints when run outside GitHub."""
    path = os.environ.get(variable)
    if not path:
        sys.stderr.write(text)
        return
    with open(path, "a", encoding="utf-8") as file:
        file.write(text)


def workspace_prefix(sarif, workspace):
    """The project root relative to the workspace ('' when they are the same or unrelated)."""
    if not workspace:
        return ""
    bases = sarif["runs"][0].get("originalUriBaseIds", {})
    root_uri = bases.get(SRCROOT, {}).get("uri", "")
    if not root_uri.startswith("file:"):
        return ""
    root = os.path.realpath(unquote(urlparse(root_uri).path))
    workspace = os.path.realpath(workspace)
    relative = os.path.relpath(root, workspace)
    if relative == "." or relative.startswith(".."):
        return ""
    return relative.replace(os.sep, "/")


def rebase_uri(uri, prefix):
    return quote(posixpath.normpath(posixpath.join(prefix, unquote(uri))), safe="/-._~")


def rebase_sarif(sarif, prefix):
    """Makes every %SRCROOT%-relative URI relative to the workspace (the repository root)."""

    def visit(node):
        if isinstance(node, dict):
            if node.get("uriBaseId") == SRCROOT and "uri" in node:
                node["uri"] = rebase_uri(node["uri"], prefix)
            for value in node.values():
                visit(value)
        elif isinstance(node, list):
            for value in node:
                visit(value)

    for run in sarif["runs"]:
        visit(run.get("results", []))
        root = os.path.realpath(os.environ["GITHUB_WORKSPACE"])
        run.setdefault("originalUriBaseIds", {})[SRCROOT] = {"uri": file_uri(root)}


def file_uri(directory):
    return "file://" + ("" if directory.startswith("/") else "/") + quote(directory.replace(os.sep, "/") + "/")


ANNOTATION = re.compile(r"^(::\w+ file=)([^,]*)(,.*)$", re.DOTALL)
UNESCAPES = [("%0D", "\r"), ("%0A", "\n"), ("%3A", ":"), ("%2C", ","), ("%25", "%")]


def rebase_annotation(line, prefix):
    """Prefixes the `file=` property of a workflow command, keeping its escaping."""
    match = ANNOTATION.match(line)
    if not prefix or not match:
        return line
    path = match.group(2)
    for escaped, plain in UNESCAPES:
        path = path.replace(escaped, plain)
    path = posixpath.normpath(posixpath.join(prefix, path))
    for escaped, plain in reversed(UNESCAPES):
        path = path.replace(plain, escaped)
    return match.group(1) + path + match.group(3)


if __name__ == "__main__":
    main()
