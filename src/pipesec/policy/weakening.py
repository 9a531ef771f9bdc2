"""PR mode: what a pull request changes in the gate's own policy.

The scan itself uses the base revision's policy (see :mod:`pipesec.core.trust`), so a change
to the tree's configuration takes no effect on the run that judges it. It takes effect once
merged, so every weakening is reported as a ``policy/config-weakened`` finding at its file
and line: reviewers see it, and a maintainer accepts it (an exception in the base branch's
configuration, or a run with ``--trust-tree-config``).

Compared: pipesec's configuration (``.pipesec.toml`` / ``[tool.pipesec]``), the
``.gitleaks.toml`` allowlists and rules, ``.gitleaksignore``, and a ``--baseline`` kept in
the repository.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from pipesec.core import config as config_mod
from pipesec.core.errors import PipesecError
from pipesec.core.model import Finding, ScanReport, Severity
from pipesec.core.trust import CONFIG_WEAKENED, PolicySource, TreeSource, inside, policy_finding

GITLEAKS_CONFIG = ".gitleaks.toml"
GITLEAKS_IGNORE = ".gitleaksignore"
_ALLOWLIST_KEYS = ("paths", "regexes", "stopwords", "commits")
#: list keys whose entries each add a check: removing one weakens the gate
_SHRINK_WEAKENS = frozenset({"policies", "policy-data"})


def add_weakenings(
    report: ScanReport,
    base: PolicySource,
    tree: TreeSource,
    baseline: Path | None = None,
) -> None:
    """Add one ``policy/config-weakened`` finding per weakening the tree makes."""
    found: list[Finding] = []
    try:
        found += _config(base, tree)
    except PipesecError as exc:  # the tree's file is unusable: it is not applied anyway
        report.warnings.append(f"the changed configuration was not compared: {exc}")
    found += _rego(base, tree)
    found += _gitleaks(base, tree)
    found += _ignore_file(base, tree)
    if baseline is not None:
        found += _baseline(base, tree, baseline)
    if not found:
        return
    from pipesec.core.engine import assign_fingerprints

    report.rules.setdefault(CONFIG_WEAKENED.id, CONFIG_WEAKENED)
    report.findings = sorted(report.findings + assign_fingerprints(found), key=Finding.sort_key)


def _line_of(text: str, *needles: str) -> int:
    """The first line holding any of ``needles`` (1 when none does)."""
    best = 0
    for needle in needles:
        pos = text.find(needle) if needle else -1
        if pos >= 0:
            line = text.count("\n", 0, pos) + 1
            best = line if not best else min(best, line)
    return best or 1


def _norm(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k).replace("_", "-"): _norm(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_norm(v) for v in value]
    return value


class _Diff:
    def __init__(self, path: str, text: str) -> None:
        self.path = path
        self.text = text
        self.found: list[Finding] = []

    def add(self, what: str, *needles: str) -> None:
        line = _line_of(self.text, *needles)
        message = f"{what}: the change weakens the gate; a reviewer must accept it"
        self.found.append(
            policy_finding(CONFIG_WEAKENED, self.path, line, message, f"{self.path}:{what}")
        )


def _severity(value: Any, default: Severity) -> Severity:
    try:
        return Severity.parse(str(value)) if value is not None else default
    except ValueError:
        return default


def _config(base: PolicySource, tree: TreeSource) -> list[Finding]:
    new = config_mod.find_raw(tree)
    if new is None:
        return []
    old_raw = config_mod.find_raw(base)
    old = _norm(old_raw.data) if old_raw is not None else {}
    cur = _norm(new.data)
    d = _Diff(new.rel, new.text)
    _enable(d, old.get("enable"), cur.get("enable"))
    _gate(d, _table(old, "gate"), _table(cur, "gate"))
    old_sc, cur_sc = _table(old, "scanners"), _table(cur, "scanners")
    for name, opts in sorted(cur_sc.items()):
        if isinstance(opts, dict):
            _scanner(d, name, _table(old_sc, name), opts)
    for name in sorted(set(old_sc) - set(cur_sc)):
        if _table(old_sc, name).get("enabled") is True:
            d.add(f"scanner {name} no longer enabled ([scanners.{name}] removed)", "[scanners")
    old_ex = {_exclude_key(e) for e in _list(old.get("exclude"))}
    for e in _list(cur.get("exclude")):
        if _exclude_key(e) not in old_ex:
            d.add(f"exclude {_exclude_key(e)!r} added", _exclude_key(e))
    old_exc = {_exception_key(e) for e in _list(old.get("exceptions"))}
    for e in _list(cur.get("exceptions")):
        if isinstance(e, dict) and _exception_key(e) not in old_exc:
            d.add(
                f"exception for rule {e.get('rule')!r} on {e.get('path', '**')!r} added",
                f"{e.get('rule')}",
            )
    old_rules, cur_rules = _table(old, "rules"), _table(cur, "rules")
    for rid, o in sorted(cur_rules.items()):
        if not isinstance(o, dict):
            continue
        before = _table(old_rules, rid)
        if o.get("enabled") is False and before.get("enabled") is not False:
            d.add(f"rule {rid} disabled", rid)
        if "severity" in o and o.get("severity") != before.get("severity"):
            was = _severity(before.get("severity"), Severity.CRITICAL)
            if _severity(o["severity"], Severity.CRITICAL).rank < was.rank:
                d.add(f"rule {rid} severity lowered to {o['severity']}", rid)
    return d.found


def _table(doc: Any, key: str) -> dict[str, Any]:
    value = doc.get(key) if isinstance(doc, dict) else None
    return value if isinstance(value, dict) else {}


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _exclude_key(e: Any) -> str:
    return str(e.get("path")) if isinstance(e, dict) else str(e)


def _exception_key(e: Any) -> tuple[str, str, str]:
    if not isinstance(e, dict):
        return ("", "", "")
    return (str(e.get("rule")), str(e.get("path", "**")), str(e.get("expires", "")))


def _enable(d: _Diff, old: Any, cur: Any) -> None:
    if not isinstance(cur, list):
        if isinstance(old, list):  # back to the defaults: a scanner only the list ran stops
            from pipesec.core.engine import ScanRequest, select_scanners

            defaults = select_scanners(ScanRequest(root=Path(".")))
            for name in old:
                if str(name) not in defaults:
                    d.add(f"scanner {name} no longer enabled (enable removed)", "[")
        return
    if isinstance(old, list):
        before = [str(s) for s in old]
    else:
        from pipesec.core.engine import ScanRequest, select_scanners

        before = select_scanners(ScanRequest(root=Path(".")))
    for name in before:
        if name not in cur:
            d.add(f"scanner {name} no longer enabled", "enable")


def _gate(d: _Diff, old: dict[str, Any], cur: dict[str, Any]) -> None:
    was = _severity(old.get("fail-on"), Severity.HIGH)
    now = _severity(cur.get("fail-on"), Severity.HIGH)
    if now.rank > was.rank:
        d.add(f"[gate] fail-on made less strict ({was.value} -> {now.value})", "fail-on", "fail_on")
    if cur.get("on-error") == "warn" and old.get("on-error") != "warn":
        d.add('[gate] on-error relaxed to "warn"', "on-error", "on_error")
    _max(d, "[gate]", old, cur)
    _generic(d, "[gate]", old, cur, {"fail-on", "on-error", "max-findings"})


def _scanner(d: _Diff, name: str, old: dict[str, Any], cur: dict[str, Any]) -> None:
    where = f"[scanners.{name}]"
    if cur.get("enabled") is False and old.get("enabled") is not False:
        d.add(f"scanner {name} disabled", f"[scanners.{name}]", "enabled")
    if "fail-on" in cur:
        was = _severity(old.get("fail-on"), Severity.INFO)  # absent: the gate's (any is laxer)
        now = _severity(cur.get("fail-on"), Severity.INFO)
        if now.rank > was.rank or ("fail-on" not in old and now is not Severity.INFO):
            d.add(f"{where} fail-on set to {now.value}", "fail-on", "fail_on")
    _max(d, where, old, cur)
    _generic(d, where, old, cur, {"enabled", "fail-on", "max-findings"})


def _max(d: _Diff, where: str, old: dict[str, Any], cur: dict[str, Any]) -> None:
    was, now = old.get("max-findings"), cur.get("max-findings")
    if isinstance(was, int) and isinstance(now, int) and now > was:
        d.add(f"{where} max-findings raised ({was} -> {now})", "max-findings")
    if "max-findings" in old and "max-findings" not in cur:
        d.add(f"{where} max-findings removed", where)


def _generic(
    d: _Diff, where: str, old: dict[str, Any], cur: dict[str, Any], known: set[str]
) -> None:
    """Other keys (scanner options, newer gate keys): lists that grow, and values that
    change, are shown; a reviewer judges whether they weaken the gate."""
    for key, value in sorted(cur.items()):
        if key in known or value == old.get(key):
            continue
        if isinstance(value, list) and isinstance(old.get(key), list):
            for item in value:
                if item not in old[key]:
                    d.add(f"{where} {key}: {item!r} added", str(item), key)
            if key in _SHRINK_WEAKENS:
                for item in old[key]:
                    if item not in value:
                        d.add(f"{where} {key}: {item!r} removed", key)
        elif isinstance(value, str) and _is_severity(value) and key in old:
            if _severity(value, Severity.INFO).rank < _severity(old[key], Severity.INFO).rank:
                d.add(f"{where} {key} lowered to {value}", key)
        elif isinstance(value, dict):  # a sub-table (context paths by kind ...)
            _generic(d, f"{where} {key}", _table(old, key), value, set())
        else:
            d.add(f"{where} {key} changed to {str(value)[:60]!r}", key)


def _is_severity(value: str) -> bool:
    try:
        Severity.parse(value)
    except ValueError:
        return False
    return True


# -- Rego policies -------------------------------------------------------------------------


def _rego(base: PolicySource, tree: TreeSource) -> list[Finding]:
    """A policy file or data document the base configuration names, changed or removed by
    the tree (the scan itself reads the base's)."""
    from pipesec.core.trust import GitRefSource
    from pipesec.policy.rego_sources import GitRefFS

    raw = config_mod.find_raw(base) if isinstance(base, GitRefSource) else None
    gate = _table(_norm(raw.data), "gate") if raw is not None else {}
    specs = [str(s) for s in _list(gate.get("policies")) + _list(gate.get("policy-data"))]
    specs = [s for s in specs if not s.startswith("builtin:")]
    if not specs or not isinstance(base, GitRefSource):
        return []
    fs = GitRefFS(base.root, base.ref)
    found: list[Finding] = []
    for spec in specs:
        try:
            names = fs.walk(spec, (".rego", ".json", ".yaml", ".yml"))
        except PipesecError:
            continue
        if not _is_file(base, spec):  # a directory: files the tree adds to it count too
            names = sorted(set(names) | set(_tree_files(tree, spec)))
        for name in names:
            try:
                old_raw, new_raw = base.read(name), tree.read(name)
            except PipesecError:
                continue
            if old_raw == new_raw:
                continue
            if new_raw is None:  # removed: reported at the configuration naming it
                where, line, what = (raw.rel if raw is not None else name), 1, "removed"
            else:
                old_lines = (old_raw or b"").decode("utf-8", "replace").split("\n")
                new_lines = new_raw.decode("utf-8", "replace").split("\n")
                line = next(
                    (
                        i
                        for i, (a, b) in enumerate(zip(old_lines, new_lines, strict=False), 1)
                        if a != b
                    ),
                    min(len(old_lines), len(new_lines)),
                )
                where, what = name, "changed" if old_raw is not None else "added"
            message = (
                f"Rego policy input {name} {what} (this run used the base revision's): the "
                "change weakens the gate once merged unless a reviewer accepts it"
            )
            found.append(policy_finding(CONFIG_WEAKENED, where, line, message, f"rego:{name}"))
    return found


def _is_file(base: PolicySource, spec: str) -> bool:
    try:
        return base.read(spec) is not None
    except PipesecError:
        return False


def _tree_files(tree: TreeSource, spec: str) -> list[str]:
    import os

    top = tree.root / spec
    if not top.is_dir() or top.is_symlink():
        return []
    out = []
    for d, dirs, files in os.walk(top):
        dirs.sort()
        for f in files:
            if f.endswith((".rego", ".json", ".yaml", ".yml")):
                out.append((Path(d) / f).relative_to(tree.root).as_posix())
    return out


# -- gitleaks ------------------------------------------------------------------------------


def _toml(source: PolicySource, rel: str) -> tuple[dict[str, Any], str]:
    try:
        raw = source.read(rel)
    except PipesecError:
        return {}, ""
    if raw is None:
        return {}, ""
    text = raw.decode("utf-8", "replace")
    try:
        data = tomllib.loads(text)
    except (tomllib.TOMLDecodeError, RecursionError):
        return {}, text
    return _lower(data), text


def _lower(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k).lower(): _lower(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_lower(v) for v in value]
    return value


def _allow_items(doc: dict[str, Any]) -> Iterator[tuple[str, str, str]]:
    """(scope, key, value) of every allowlist entry in a gitleaks document."""

    def tables(owner: dict[str, Any]) -> Iterator[dict[str, Any]]:
        if isinstance(owner.get("allowlist"), dict):
            yield owner["allowlist"]
        for t in _list(owner.get("allowlists")):
            if isinstance(t, dict):
                yield t

    for t in tables(doc):
        for key in _ALLOWLIST_KEYS:
            for v in _list(t.get(key)):
                yield ("global", key, str(v))
    for r in _list(doc.get("rules")):
        if isinstance(r, dict):
            for t in tables(r):
                for key in _ALLOWLIST_KEYS:
                    for v in _list(t.get(key)):
                        yield (f"rule {r.get('id')}", key, str(v))


def _gitleaks(base: PolicySource, tree: TreeSource) -> list[Finding]:
    cur, text = _toml(tree, GITLEAKS_CONFIG)
    if not cur:
        return []
    old, _ = _toml(base, GITLEAKS_CONFIG)
    d = _Diff(GITLEAKS_CONFIG, text)
    before = set(_allow_items(old))
    for scope, key, value in _allow_items(cur):
        if (scope, key, value) not in before:
            d.add(f"gitleaks {scope} allowlist {key} entry {value[:80]!r} added", value, key)
    ids = {str(r.get("id")).lower() for r in _list(cur.get("rules")) if isinstance(r, dict)}
    for r in _list(old.get("rules")):
        if isinstance(r, dict) and str(r.get("id")).lower() not in ids:
            d.add(f"gitleaks rule {r.get('id')!r} removed", "[[rules]]")
    return d.found


def _ignore_file(base: PolicySource, tree: TreeSource) -> list[Finding]:
    try:
        cur = tree.read(GITLEAKS_IGNORE)
        old = base.read(GITLEAKS_IGNORE)
    except PipesecError:
        return []
    if cur is None:
        return []
    before = {s.strip() for s in (old or b"").decode("utf-8", "replace").split("\n")}
    text = cur.decode("utf-8", "replace")
    d = _Diff(GITLEAKS_IGNORE, text)
    for n, raw in enumerate(text.split("\n"), 1):
        s = raw.strip()
        if s and not s.startswith("#") and s not in before:
            d.found.append(
                policy_finding(
                    CONFIG_WEAKENED,
                    GITLEAKS_IGNORE,
                    n,
                    f"{GITLEAKS_IGNORE} entry added: the change weakens the gate; a reviewer "
                    "must accept it",
                    f"{GITLEAKS_IGNORE}:{s}",
                )
            )
    return d.found


def _baseline(base: PolicySource, tree: TreeSource, path: Path) -> list[Finding]:
    from pipesec.core import baseline as baseline_mod

    rel = inside(path, tree.root)
    if rel is None:
        return []
    try:
        cur_raw = tree.read(rel)
        old_raw = base.read(rel)
        if cur_raw is None:
            return []
        cur = baseline_mod.load_bytes(cur_raw, rel)
        old = baseline_mod.load_bytes(old_raw, rel) if old_raw is not None else None
    except PipesecError:
        return []
    before = set(old.entries) if old is not None else set()
    text = cur_raw.decode("utf-8", "replace")
    d = _Diff(rel, text)
    for e in cur.entries:
        if e not in before:
            what = e.fingerprint[:16] or f"{e.path}:{e.line}"
            d.add(f"baseline entry {what} added", e.fingerprint or e.path)
    return d.found
