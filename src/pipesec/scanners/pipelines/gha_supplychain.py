"""Third-party code: unpinned actions and images, known-compromised actions (OSV),
archived actions and obfuscated ``uses:`` paths."""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

from packaging.version import InvalidVersion, Version

from pipesec.core.model import Confidence, Finding, Severity
from pipesec.core.scanner import finding_from_rule
from pipesec.core.yamlpos import YNode
from pipesec.scanners.pipelines.common import (
    DIGEST,
    FULL_SHA,
    ActionRef,
    Ctx,
    rule,
    split_image,
)
from pipesec.scanners.pipelines.gha_model import LOCAL_USES, Job, Workflow

log = logging.getLogger(__name__)

DEFAULT_TRUSTED_OWNERS: tuple[str, ...] = ()

UNPINNED_USES = rule(
    "gha/unpinned-uses",
    "Action or reusable workflow not pinned to a commit SHA",
    Severity.MEDIUM,
    "Tags and branches are mutable: whoever controls the action's repository (or steals "
    "a maintainer's token, as in the tj-actions and trivy-action compromises) can point "
    "them at new code that runs with your secrets. Only a full commit SHA is immutable.",
    "Pin to the full 40-character commit SHA and keep the tag in a comment "
    "(`uses: owner/repo@<sha> # v1.2.3`); let Dependabot or Renovate update it. "
    "`pipesec fix --resolve-pins` resolves tags to SHAs.",
    """on: push
permissions: {}
jobs:
  lint:
    runs-on: ubuntu-latest
    steps:
      - uses: golangci/golangci-lint-action@v6
""",
    """on: push
permissions: {}
jobs:
  lint:
    runs-on: ubuntu-latest
    steps:
      - uses: golangci/golangci-lint-action@971e284b6050e8a5849b72094c50ab08da042db8 # v6.1.1
""",
    cwe=("CWE-829",),
    references=(
        "https://docs.github.com/en/actions/security-for-github-actions/security-guides/security-hardening-for-github-actions#using-third-party-actions",
    ),
)

UNPINNED_IMAGE = rule(
    "gha/unpinned-image",
    "Container or service image not pinned to a digest",
    Severity.MEDIUM,
    "A job container, service container or `docker://` action pulled by tag (or `latest`) "
    "runs whatever the registry serves at that moment.",
    "Reference the image by digest: `image: postgres:16@sha256:<digest>`.",
    """on: push
permissions: {}
jobs:
  test:
    runs-on: ubuntu-latest
    container: node:latest
    steps:
      - run: npm test
""",
    """on: push
permissions: {}
jobs:
  test:
    runs-on: ubuntu-latest
    container: node:20@sha256:a5e0ed56f2c20b9689e0f7dd498cac7e08d2a3a283e92d9304e7b9b83e3c6ff3
    steps:
      - run: npm test
""",
    cwe=("CWE-829",),
)

KNOWN_VULNERABLE = rule(
    "gha/known-vulnerable-action",
    "Action version with a known compromise or vulnerability",
    Severity.HIGH,
    "The referenced action version is named in a published advisory (for example the "
    "tj-actions/changed-files, reviewdog and trivy-action tag compromises, which dumped "
    "CI secrets into logs or sent them to attackers).",
    "Move to the fixed version pinned by commit SHA, and rotate every secret the workflow "
    "could read while the compromised version was in use.",
    """on: push
permissions: {}
jobs:
  changes:
    runs-on: ubuntu-latest
    steps:
      - uses: tj-actions/changed-files@v45
""",
    """on: push
permissions: {}
jobs:
  changes:
    runs-on: ubuntu-latest
    steps:
      - uses: tj-actions/changed-files@2f7c5bfce28377bc069a65ba478de0a74aa0ca32 # v46.0.1
""",
    cwe=("CWE-506", "CWE-1395"),
)

ARCHIVED = rule(
    "gha/archived-uses",
    "Action from an archived repository",
    Severity.LOW,
    "Archived actions receive no security fixes and run on deprecated runtimes; their "
    "owners no longer watch for takeovers of dependencies.",
    "Replace it with the maintained successor (e.g. softprops/action-gh-release or "
    "`gh release` for actions/create-release, dtolnay/rust-toolchain for actions-rs).",
    """on: push
permissions:
  contents: write  # create the release
jobs:
  release:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/create-release@0cb9c9b65d5d1901c1f53e5e66eaf4afd303e70e # v1.1.4
""",
    """on: push
permissions:
  contents: write  # create the release
jobs:
  release:
    runs-on: ubuntu-latest
    steps:
      - run: gh release create "$GITHUB_REF_NAME"
""",
    cwe=("CWE-1104",),
)

OBFUSCATED = rule(
    "gha/obfuscated-uses",
    "Obfuscated action path in uses:",
    Severity.MEDIUM,
    "`uses:` paths with empty, `.` or `..` segments resolve to a different repository path "
    "than they appear to, a way to hide which code runs from reviewers and tools.",
    "Write the plain `owner/repo[/path]@ref` form.",
    """on: push
permissions: {}
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/cache/save/../restore@0c45773b623bea8c8e75f6c82b208c3cf94ea4f9 # v4.0.2
""",
    """on: push
permissions: {}
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/cache/restore@0c45773b623bea8c8e75f6c82b208c3cf94ea4f9 # v4.0.2
""",
    cwe=("CWE-506",),
    confidence=Confidence.HIGH,
)

RULES = (UNPINNED_USES, UNPINNED_IMAGE, KNOWN_VULNERABLE, ARCHIVED, OBFUSCATED)

ARCHIVED_ACTIONS = {
    "actions/create-release": "softprops/action-gh-release or `gh release create`",
    "actions/upload-release-asset": "softprops/action-gh-release or `gh release upload`",
    "actions/setup-ruby": "ruby/setup-ruby",
    "actions/setup-elixir": "erlef/setup-beam",
    "actions/setup-haskell": "haskell-actions/setup",
    "actions-rs/toolchain": "dtolnay/rust-toolchain",
    "actions-rs/cargo": "plain `cargo` commands",
    "actions-rs/clippy-check": "`cargo clippy`",
    "actions-rs/audit-check": "rustsec/audit-check",
    "actions-rs/tarpaulin": "`cargo tarpaulin`",
    "actions-rs/grcov": "`grcov`",
    "actions-rs/install": "taiki-e/install-action",
}


@dataclass(frozen=True)
class Advisory:
    id: str
    aliases: tuple[str, ...]
    summary: str
    severity: Severity
    name: str
    versions: frozenset[str]
    ranges: tuple[tuple[str, str, str], ...]  # (introduced, fixed, last_affected)
    commits: frozenset[str]
    references: tuple[str, ...]

    def matches(self, ref: str) -> str | None:
        """Why ``ref`` is affected ("commit", "version"), or None."""
        low = ref.lower()
        for c in self.commits:
            # a full SHA, or a published prefix of one (at least 6 hex digits)
            if low == c or (len(c) < 40 and len(c) >= 6 and low.startswith(c)):
                return "commit"
            if len(low) >= 7 and c.startswith(low):
                return "commit"

        if FULL_SHA.match(low):
            return None
        if ref in self.versions or ref.lstrip("v") in self.versions:
            return "version"
        try:
            v = Version(ref.lstrip("v"))
        except InvalidVersion:
            return None
        for introduced, fixed, last in self.ranges:
            try:
                if introduced not in ("", "0") and v < Version(introduced):
                    continue
                if fixed and v >= Version(fixed):
                    continue
                if last and v > Version(last):
                    continue
            except InvalidVersion:
                continue
            return "version"
        return None


_SEV = {s.value: s for s in Severity}
_SEV["moderate"] = Severity.MEDIUM


def _parse_osv(doc: dict[str, Any]) -> Iterator[Advisory]:
    db = doc.get("database_specific") or {}
    sev = _SEV.get(str(db.get("severity", "high")).lower(), Severity.HIGH)
    refs = tuple(r["url"] for r in doc.get("references", []) if isinstance(r, dict) and "url" in r)
    for aff in doc.get("affected", []):
        pkg = aff.get("package") or {}
        if pkg.get("ecosystem") != "GitHub Actions":
            continue
        ranges = []
        for rng in aff.get("ranges", []):
            intro, fixed, last = "", "", ""
            for ev in rng.get("events", []):
                intro = ev.get("introduced", intro)
                fixed = ev.get("fixed", fixed)
                last = ev.get("last_affected", last)
            ranges.append((intro, fixed, last))
        commits = (aff.get("database_specific") or {}).get("compromised_commits", [])
        yield Advisory(
            id=doc["id"],
            aliases=tuple(doc.get("aliases", [])),
            summary=doc.get("summary", ""),
            severity=sev,
            name=str(pkg.get("name", "")).lower(),
            versions=frozenset(str(v) for v in aff.get("versions", [])),
            ranges=tuple(ranges),
            commits=frozenset(str(c).lower() for c in commits),
            references=refs,
        )


@lru_cache(maxsize=1)
def advisories() -> dict[str, list[Advisory]]:
    """The OSV records shipped with the package, by action name."""
    out: dict[str, list[Advisory]] = {}
    folder = resources.files("pipesec.scanners.pipelines") / "advisories"
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if not entry.name.endswith(".json"):
            continue
        doc = json.loads(entry.read_text(encoding="utf-8"))
        for adv in _parse_osv(doc):
            out.setdefault(adv.name, []).append(adv)
    return out


_OBFUSCATED_PATH = re.compile(r"(^|/)(\.|\.\.)?(/|$)")


def _trusted(owner: str, ctx: Ctx) -> bool:
    trusted = ctx.options.get("trusted_owners")
    if trusted is None:
        trusted = ctx.options.get("trusted-owners", DEFAULT_TRUSTED_OWNERS)
    return owner.lower() in {str(t).lower() for t in trusted}


def check_uses(ctx: Ctx, node: YNode, uses: str, where: str) -> None:
    """Checks on one ``uses:`` value (step, reusable workflow call or composite step)."""
    if "${{" in uses:
        return  # not a reference GitHub resolves; gha/obfuscated-expression reports it
    if uses.startswith(LOCAL_USES):
        if "/../" in uses or uses.endswith("/..") or uses[2:].startswith("../"):
            ctx.hit(
                OBFUSCATED, node, f"local action path {uses!r} leaves its directory", identity=uses
            )
        return
    if uses.startswith("docker://"):
        image = uses[len("docker://") :]
        if not DIGEST.search(image):
            _image_hit(ctx, node, image, where)
        return
    target, _, ref = uses.partition("@")
    parts = target.split("/")
    if any(p in ("", ".", "..") for p in parts) or target.endswith("/"):
        ctx.hit(
            OBFUSCATED, node, f"`uses: {uses}` has empty, '.' or '..' path segments", identity=uses
        )
    owner = parts[0]
    repo = "/".join(parts[:2]).lower()
    known: set[str] = set()
    for adv in advisories().get(repo, []):
        why = adv.matches(ref) if ref else None
        if why is not None:
            ids = ", ".join((adv.id, *adv.aliases))
            ctx.hit(
                KNOWN_VULNERABLE,
                node,
                f"{repo}@{ref} is affected by {ids}: {adv.summary}"
                + (" (this exact commit is the malicious one)" if why == "commit" else ""),
                identity=f"{uses}:{adv.id}",
                severity=Severity.CRITICAL if why == "commit" else adv.severity,
                advisory=adv.id,
            )
            known.update((adv.id, *adv.aliases))
    if ref and node.doc is not None:
        line = node.doc.line_text(node.line)
        end = node.end_col if node.end_line == node.line else node.col
        ctx.action_refs.append(
            ActionRef(
                node.doc.path,
                node.line,
                node.col,
                end,
                repo,
                ref,
                line.strip(),
                frozenset(known),
                line[end - 1 :] if node.end_line == node.line else "",
            )
        )
    if repo in ARCHIVED_ACTIONS:
        ctx.hit(ARCHIVED, node, f"{repo} is archived; use {ARCHIVED_ACTIONS[repo]}", identity=repo)
    if not ref:
        ctx.hit(
            UNPINNED_USES,
            node,
            f"`uses: {uses}` has no ref at all",
            identity=uses,
            severity=Severity.HIGH,
        )
        return
    if FULL_SHA.match(ref):
        return
    if _trusted(owner, ctx):
        return
    branchy = (
        ref in ("main", "master", "develop", "dev", "trunk", "latest", "HEAD")
        or "/" in ref
        or not re.search(r"\d", ref)
    )
    ctx.hit(
        UNPINNED_USES,
        node,
        f"`uses: {uses}` is pinned to a {'branch' if branchy else 'tag'}, not a commit SHA",
        identity=uses,
        severity=Severity.HIGH if branchy else None,
        fixable_pin=True,
    )


def _image_hit(ctx: Ctx, node: YNode, image: str, where: str) -> None:
    if "${{" in image or not image:
        return
    _name, tag, digest = split_image(image)
    if digest:
        return
    latest = tag in ("", "latest")
    ctx.hit(
        UNPINNED_IMAGE,
        node,
        f"{where} image {image!r} "
        + ("uses the latest tag" if latest else "is pinned by tag, not by digest"),
        identity=f"{where}:{image}",
        severity=Severity.MEDIUM if latest else Severity.LOW,
    )


_MATRIX_IMAGE = re.compile(r"\$\{\{\s*matrix\.([\w-]+)\s*\}\}")


def _matrix_images(ctx: Ctx, job: Job, node: YNode, image: str, where: str) -> None:
    """``image: ${{ matrix.image }}``: each image the matrix lists, or a matrix (or its
    ``include``/``exclude``) that is itself computed at run time."""
    m = _MATRIX_IMAGE.fullmatch(image.strip())
    strategy = job.node.get("strategy")
    matrix = strategy.get("matrix") if strategy is not None and strategy.is_map else None
    if m is None or matrix is None:
        return
    name = m.group(1)
    parts = [matrix] if matrix.is_scalar else [matrix.get(k) for k in ("include", "exclude")]
    if any(p is not None and p.is_scalar and "${{" in (p.text() or "") for p in parts):
        ctx.hit(
            UNPINNED_IMAGE,
            node,
            f"{where} image comes from a matrix computed at run time: nothing pins it",
            identity=f"{where}:matrix:{name}",
            severity=Severity.LOW,
            confidence=Confidence.MEDIUM,
        )
        return
    if not matrix.is_map:
        return
    values: list[YNode] = []
    own = matrix.get(name)
    if own is not None:
        values += own.value if own.is_seq else [own]
    rows = matrix.get("include")
    for row in rows.value if rows is not None and rows.is_seq else []:
        cell = row.get(name) if row.is_map else None
        if cell is not None:
            values.append(cell)
    for v in values:
        text = (v.text() or "").strip() if v.is_scalar else ""
        if text and "${{" not in text:
            _image_hit(ctx, node, text, where)


def _image_of(node: YNode | None) -> YNode | None:
    if node is None:
        return None
    if node.is_scalar:
        return node
    return node.get("image")


def check(wf: Workflow, ctx: Ctx) -> None:
    for job in wf.jobs:
        if job.uses:
            n = job.node.get("uses")
            if n is not None:
                check_uses(ctx, n, job.uses, "job")
        img = _image_of(job.node.get("container"))
        if img is not None and img.text():
            _image_hit(ctx, img, img.text() or "", "container")
            _matrix_images(ctx, job, img, img.text() or "", "container")
        services = job.node.get("services")
        if services is not None and services.is_map:
            for name, svc in services.pairs():
                simg = _image_of(svc)
                if simg is not None and simg.text():
                    _image_hit(ctx, simg, simg.text() or "", f"service {name}")
        for step in job.steps:
            n = step.uses_node
            if n is not None and step.uses:
                check_uses(ctx, n, step.uses, "step")


def osv_findings(refs: list[ActionRef], db_path: object) -> list[Finding]:
    """Findings for ``uses:`` refs that the local OSV database (``pipesec db sync``) lists
    as affected, beyond what the shipped records already reported. No database: none."""
    if not refs:
        return []
    from pathlib import Path

    from pipesec import vulndb

    path = Path(str(db_path)) if db_path else vulndb.default_db_path()
    if not path.exists():  # no database (never synced): the store is not even imported
        log.debug("no vulnerability database at %s for GitHub Actions lookups", path)
        return []
    try:
        db = vulndb.open_db(path)
    except vulndb.DatabaseError as exc:
        log.debug("no vulnerability database for GitHub Actions lookups: %s", exc)
        return []
    refs = [r for r in refs if not FULL_SHA.match(r.ref)]
    if not refs:
        return []
    items: set[tuple[str, str, str]] = set()
    for r in refs:
        items.add(("GitHub Actions", r.repo, r.ref))
        if r.ref.startswith("v") and r.ref[1:2].isdigit():
            items.add(("GitHub Actions", r.repo, r.ref[1:]))
    try:
        matches = db.match_many(sorted(items))
    finally:
        db.close()
    out: list[Finding] = []
    for r in refs:
        seen = set(r.known)
        for version in (r.ref, r.ref[1:] if r.ref.startswith("v") else None):
            if version is None:
                continue
            for adv in matches.get(("GitHub Actions", r.repo, version), []):
                ids = {adv.id, *adv.aliases}
                if ids & seen:
                    continue
                seen |= ids
                out.append(
                    finding_from_rule(
                        KNOWN_VULNERABLE,
                        "pipelines",
                        path=r.path,
                        line=r.line,
                        column=r.col,
                        end_column=r.end_col,
                        message=f"{r.repo}@{r.ref} is affected by "
                        + ", ".join((adv.id, *adv.aliases))
                        + (f": {adv.summary}" if adv.summary else "")
                        + (
                            f" (fixed in {', '.join(adv.fixed_versions)})"
                            if adv.fixed_versions
                            else ""
                        ),
                        snippet=r.snippet,
                        identity=f"{r.repo}@{r.ref}:{adv.id}",
                        severity=adv.severity,
                        properties={"advisory": adv.id, "source": "osv-database"},
                    )
                )
    return out
