"""Autofix for pipeline rules whose fix is local and safe.

Fixes are text edits at the positions the YAML parser reports (never a YAML round trip,
which would re-indent, re-quote and drop comments), so everything but the fixed lines
stays byte for byte. Each file is re-parsed and re-scanned after its edits: an edit that
does not make the finding go away, that breaks the file, or that brings any new finding is
rolled back. The permissions fix grants what the jobs' actions need (``fix_scopes``) and
is not offered when a step is unknown.
"""

from __future__ import annotations

import json
import logging
import os
import re
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from pipesec.core.errors import NetworkError, UsageError
from pipesec.core.workspace import Workspace
from pipesec.scanners.pipelines.analyze import FileResult, analyze_text
from pipesec.scanners.pipelines.common import FULL_SHA, Edit, Hit
from pipesec.scanners.pipelines.files import classify
from pipesec.scanners.pipelines.online import DEFAULT_GITHUB_API, GITHUB_API_ENV

log = logging.getLogger(__name__)

FIXABLE = (
    "gha/missing-permissions",
    "gha/template-injection",
    "gha/artipacked",
    "gha/checkout-persist-credentials",
    "gha/docker-login-password-arg",
    "gitlab/docker-login-password-arg",
)
PIN_RULE = "gha/unpinned-uses"
MAX_PASSES = 4


@dataclass
class FileFix:
    path: str
    original: str
    fixed: str
    fixed_rules: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    #: where to write the result when it is not ``<root>/<path>``
    dest: Path | None = None

    @property
    def changed(self) -> bool:
        return self.original != self.fixed


def apply_edits(text: str, edits: Iterable[Edit]) -> str:
    """Apply non-overlapping edits (later ones that overlap an earlier one are dropped)."""
    chosen: list[Edit] = []
    for e in sorted(edits, key=lambda e: (e.start, e.end)):
        if chosen and e.start < chosen[-1].end:
            continue
        chosen.append(e)
    for e in reversed(chosen):
        text = text[: e.start] + e.new + text[e.end :]
    return text


Reader = Callable[[str], str | None]


def _analyze(
    path: str, text: str, read: Reader, files: list[str], opts: dict[str, object]
) -> FileResult:
    kind = classify(path)
    assert kind is not None
    return analyze_text(path, text, kind, options=opts, read=read, list_files=lambda: files)


def _selected(hit: Hit, rules: set[str] | None) -> bool:
    return rules is None or hit.rule.id in rules


def fix_text(
    path: str,
    text: str,
    *,
    rules: set[str] | None = None,
    read: Reader | None = None,
    files: list[str] | None = None,
    options: dict[str, object] | None = None,
    resolver: Callable[[str, str], str] | None = None,
) -> FileFix:
    """Fix one file's text. ``resolver(repo, ref) -> sha`` enables pin resolution."""
    reader: Reader = read or (lambda _p: None)
    flist = files or []
    opts = dict(options or {})
    result = FileFix(path, text, text)
    current = text
    for _ in range(MAX_PASSES):
        res = _analyze(path, current, reader, flist, opts)
        if res.errors:
            break
        hits = [
            h
            for h in res.hits
            if h.path == path and _selected(h, rules) and (h.edits or h.rule.id == PIN_RULE)
        ]
        edits: list[Edit] = []
        for h in hits:
            if h.rule.id == PIN_RULE:
                if resolver is None or not h.properties.get("fixable_pin"):
                    continue
                edits.extend(_pin_edits(current, h, resolver, res))
            else:
                edits.extend(h.edits)
        if not edits:
            break
        candidate = apply_edits(current, edits)
        check = _analyze(path, candidate, reader, flist, opts)
        if check.errors:
            log.debug("fix of %s produced invalid YAML; rolled back", path)
            result.skipped.extend(sorted({h.rule.id for h in hits}))
            break
        before = _counts(res.hits)
        after = _counts(check.hits)
        worse = sorted(rid for rid in after if after[rid] > before.get(rid, 0))
        if worse:  # re-scanned: a fix that brings a new finding is not written
            log.debug("fix of %s would add %s; rolled back", path, ", ".join(worse))
            result.skipped.extend(sorted({h.rule.id for h in hits}))
            break
        improved = [
            rid
            for rid in before
            if after.get(rid, 0) < before[rid] and rid in {h.rule.id for h in hits}
        ]
        if not improved:
            break
        result.fixed_rules.extend(improved)
        current = candidate
    result.fixed = current
    result.fixed_rules = sorted(set(result.fixed_rules))
    return result


def _counts(hits: list[Hit]) -> dict[str, int]:
    out: dict[str, int] = {}
    for h in hits:
        out[h.rule.id] = out.get(h.rule.id, 0) + 1
    return out


_USES_VALUE = re.compile(r"^(?P<target>[^@\s]+)@(?P<ref>[^\s#]+)$")


def _pin_edits(
    text: str, hit: Hit, resolver: Callable[[str, str], str], res: FileResult
) -> list[Edit]:
    doc = res.docs[0] if res.docs else None
    if doc is None:
        return []
    line_text = doc.line_text(hit.line)
    start = doc.offset(hit.line, hit.col)
    end = doc.offset(hit.end_line, hit.end_col)
    raw = text[start:end]
    quote = raw[0] if raw[:1] in ("'", '"') else ""
    value = raw[1:-1] if quote else raw
    m = _USES_VALUE.match(value)
    if m is None:
        return []
    target, ref = m.group("target"), m.group("ref")
    repo = "/".join(target.split("/")[:2])
    sha = resolver(repo, ref)
    if not FULL_SHA.match(sha):
        return []
    edits = [Edit(start, end, f"{quote}{target}@{sha}{quote}")]
    if "#" not in line_text[hit.end_col - 1 :]:
        eol = doc.offset(hit.line, len(line_text) + 1)
        edits.append(Edit(eol, eol, f" # {ref}"))
    return edits


def github_resolver(timeout: float = 10.0) -> Callable[[str, str], str]:
    """Resolve ``owner/repo@ref`` to a commit SHA through the GitHub REST API."""
    base = os.environ.get(GITHUB_API_ENV, DEFAULT_GITHUB_API).rstrip("/")
    token = os.environ.get("GITHUB_TOKEN") or os.environ.get("GH_TOKEN")
    cache: dict[tuple[str, str], str] = {}

    def resolve(repo: str, ref: str) -> str:
        key = (repo, ref)
        if key in cache:
            return cache[key]
        url = f"{base}/repos/{urllib.parse.quote(repo)}/commits/{urllib.parse.quote(ref, safe='')}"
        if not url.startswith(("https://", "http://127.0.0.1", "http://localhost")):
            raise UsageError(f"{GITHUB_API_ENV} must be an https:// URL, not {base!r}")
        req = urllib.request.Request(url, headers={"Accept": "application/vnd.github+json"})  # noqa: S310
        if token:
            req.add_header("Authorization", f"Bearer {token}")
        try:
            with urllib.request.urlopen(req, timeout=timeout) as resp:  # noqa: S310
                body = json.loads(resp.read(1_000_000).decode("utf-8"))
        except urllib.error.HTTPError as exc:
            if exc.code == 404:
                log.warning("cannot resolve %s@%s: not found", repo, ref)
                cache[key] = ""
                return ""
            raise NetworkError(
                f"resolving {repo}@{ref} failed: HTTP {exc.code} from {base}"
                " (set GITHUB_TOKEN to avoid rate limits)"
            ) from None
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            raise NetworkError(
                f"--resolve-pins needs the network: cannot reach {base} ({reason});"
                " run again online or pin by hand"
            ) from None
        except ValueError:
            raise NetworkError(f"unexpected answer from {base} for {repo}@{ref}") from None
        sha = body.get("sha", "") if isinstance(body, dict) else ""
        cache[key] = sha if isinstance(sha, str) else ""
        return cache[key]

    return resolve


def fix_tree(
    root: Path,
    *,
    rules: set[str] | None = None,
    resolver: Callable[[str, str], str] | None = None,
    options: dict[str, object] | None = None,
) -> list[FileFix]:
    """Plan fixes for every pipeline file under ``root``, or for the one file ``root``
    (nothing is written)."""
    if root.is_file():
        return _fix_one_file(root, rules=rules, resolver=resolver, options=options)
    ws = Workspace(root, use_git=True)
    files = {f.path: f for f in ws.files()}

    def read(p: str) -> str | None:
        f = files.get(p)
        if f is None:
            return None
        try:
            return f.read_text()
        except Exception:
            return None

    out: list[FileFix] = []
    for path in sorted(files):
        if classify(path) is None:
            continue
        text = read(path)
        if text is None:
            continue
        ff = fix_text(
            path,
            text,
            rules=rules,
            read=read,
            files=sorted(files),
            options=options,
            resolver=resolver,
        )
        if ff.changed or ff.skipped:
            out.append(ff)
        if classify(path) == "gitlab":
            out.extend(_fix_included(path, ff.fixed, rules, read, sorted(files), options))
    return out


def _fix_one_file(
    file: Path,
    *,
    rules: set[str] | None,
    resolver: Callable[[str, str], str] | None,
    options: dict[str, object] | None,
) -> list[FileFix]:
    abs_posix = file.resolve().as_posix()
    kind = classify(abs_posix)
    if kind is None:
        raise UsageError(
            f"{file}: not a pipeline file (a .github/workflows/*.yml, action.yml,"
            " .github/dependabot.yml or .gitlab-ci.yml)"
        )
    # the path the analysis sees: enough of it to keep its kind
    if kind == "workflow":
        rel = ".github/workflows/" + file.name
    elif kind == "dependabot":
        rel = ".github/" + file.name
    else:
        rel = file.name
    base = file.parent
    ws = Workspace(base, use_git=False)
    files = {f.path: f for f in ws.files()}

    def read(p: str) -> str | None:
        if p == rel:
            return file.read_text(encoding="utf-8", errors="replace")
        f = files.get(p)
        try:
            return f.read_text() if f is not None else None
        except Exception:
            return None

    text = read(rel) or ""
    ff = fix_text(
        rel,
        text,
        rules=rules,
        read=read,
        files=sorted(files),
        options=options,
        resolver=resolver,
    )
    ff.dest = file
    out = [ff] if ff.changed or ff.skipped else []
    if kind == "gitlab":
        for inc in _fix_included(rel, ff.fixed, rules, read, sorted(files), options):
            inc.dest = base / inc.path
            out.append(inc)
    return out


def _fix_included(
    path: str,
    text: str,
    rules: set[str] | None,
    read: Reader,
    files: list[str],
    options: dict[str, object] | None,
) -> list[FileFix]:
    """Fixes that fall in the local files a GitLab pipeline includes (the included file is
    checked by re-analysing the whole pipeline with the edited text)."""
    res = _analyze(path, text, read, files, dict(options or {}))
    by_path: dict[str, list[Hit]] = {}
    for h in res.hits:
        if h.path != path and h.edits and _selected(h, rules):
            by_path.setdefault(h.path, []).append(h)
    out: list[FileFix] = []
    for inc_path, hits in sorted(by_path.items()):
        original = read(inc_path)
        if original is None:
            continue
        fixed = apply_edits(original, [e for h in hits for e in h.edits])

        def patched(p: str, _path: str = inc_path, _fixed: str = fixed) -> str | None:
            return _fixed if p == _path else read(p)

        check = _analyze(path, text, patched, files, dict(options or {}))
        if check.errors:
            out.append(FileFix(inc_path, original, original, [], sorted({h.rule.id for h in hits})))
            continue
        before = {(h.rule.id) for h in hits}
        left = {h.rule.id for h in check.hits if h.path == inc_path and h.rule.id in before}
        out.append(FileFix(inc_path, original, fixed, sorted(before - left)))
    return out
