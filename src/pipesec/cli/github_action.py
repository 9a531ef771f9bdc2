"""The scan step of pipesec's GitHub Action (``action.yml``): builds the ``pipesec scan``
command from the action's inputs (passed as environment variables, never interpolated into a
shell), runs it, and writes the step outputs (verdict, exit code, counts, report paths) to
``$GITHUB_OUTPUT``. It exits 0 so that the SARIF upload still runs; the action's last step
exits with pipesec's code.

Run as ``python -m pipesec.cli.github_action``."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path

_SPLIT = re.compile(r"[\s,]+")


class InputError(ValueError):
    """An action input that cannot be turned into arguments."""


def build_command(env: Mapping[str, str]) -> tuple[list[str], dict[str, str]]:
    """The ``pipesec scan`` argument list for the inputs in ``env``, and the reports it
    writes (format -> path)."""
    args = [sys.executable, "-m", "pipesec.cli.main", "scan"]
    path = env.get("SCAN_PATH", "").strip() or "."
    if path.startswith("-"):
        raise InputError(f"path {path!r}: a path cannot start with '-'")
    args.append(path)
    for name in _SPLIT.split(env.get("SCANNERS", "").strip()):
        if name:
            args += ["--scanner", name]
    fail_on = env.get("FAIL_ON", "").strip()
    if fail_on:
        args += ["--fail-on", fail_on]
    reports: dict[str, str] = {}
    for pair in env.get("FORMATS", "").split():
        fmt, sep, file = pair.partition("=")
        if not sep or not fmt or not file:
            raise InputError(f"formats: {pair!r} is not FORMAT=FILE")
        args += ["--output", f"{fmt}={file}"]
        reports[fmt] = file
    base = env.get("DIFF_BASE", "").strip()
    if not base and env.get("BASE_REF", "").strip():
        base = "origin/" + env["BASE_REF"].strip()
    if base:
        if base.startswith("-"):
            raise InputError(f"diff-base {base!r}: a ref cannot start with '-'")
        args += ["--diff-base", base]
    args.append("--no-progress")
    if "json" not in reports:  # the outputs are read from the JSON report
        reports["json"] = env.get("RUNNER_TEMP", ".") + "/pipesec-action.json"
        args += ["--output", f"json={reports['json']}"]
    return args, reports


def outputs(code: int, reports: Mapping[str, str], explicit: Sequence[str]) -> dict[str, str]:
    """The step outputs, from the exit code and the JSON report."""
    out = {
        "exit-code": str(code),
        "verdict": "passed" if code == 0 else "failed",
        "sarif": reports.get("sarif", "") if "sarif" in explicit else "",
        "json": reports.get("json", "") if "json" in explicit else "",
    }
    try:
        summary = json.loads(Path(reports["json"]).read_text("utf-8"))["summary"]
        counts = {k: int(v) for k, v in summary.get("by_severity", {}).items()}
        total = int(summary.get("findings", 0))
    except (OSError, ValueError, TypeError, AttributeError, KeyError):
        # no readable report (usage error): the counts are unknown, not zero
        return {**out, "findings": "", "critical": "", "high": ""}
    crit, high = counts.get("critical", 0), counts.get("high", 0)
    return {**out, "findings": str(total), "critical": str(crit), "high": str(high)}


def write_outputs(values: Mapping[str, str], target: str | None) -> None:
    lines = "".join(f"{k}={v.replace(chr(10), ' ')}\n" for k, v in values.items())
    if target:
        with open(target, "a", encoding="utf-8") as fh:
            fh.write(lines)
    else:
        sys.stdout.write(lines)


def main(env: Mapping[str, str] | None = None) -> int:
    env = os.environ if env is None else env
    try:
        args, reports = build_command(env)
    except InputError as exc:
        print(f"pipesec action: error: {exc}", file=sys.stderr)
        write_outputs({"exit-code": "2", "verdict": "failed"}, env.get("GITHUB_OUTPUT"))
        return 0
    explicit = [p.partition("=")[0] for p in env.get("FORMATS", "").split()]
    code = subprocess.run(args, check=False).returncode
    write_outputs(outputs(code, reports, explicit), env.get("GITHUB_OUTPUT"))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
