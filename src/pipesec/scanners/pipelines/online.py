"""Online audits of ``uses:`` references (``pipesec scan --online``): the only network use
of the pipelines scanner, through GitHub's REST API, cached in the user cache directory.

- impostor commits: a pinned SHA that no branch or tag of the action's repository reaches
  (a commit pushed to a fork is served under the parent's name);
- ref confusion: a symbolic ref that is both a branch and a tag of the repository;
- mismatched refs: ``@<sha> # v1.2.3`` where tag v1.2.3 is another commit (or no tag);
- stale refs: a pinned SHA that is no tag's commit (a branch commit, not a release).

Requests have a timeout, a per-scan budget, and answers are kept for a day under
``<user cache>/pipesec/github-api`` (``$PIPESEC_GITHUB_CACHE``; empty: no cache), each with
an HMAC (core/cachemac) so a cache restored from a shared CI store cannot be planted. The
API base is ``$PIPESEC_GITHUB_API`` (https, or a loopback address for tests) and
``$GITHUB_TOKEN``/``$GH_TOKEN`` authenticate. When the API cannot be reached the audit
stops with one ScanError that says so.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipesec.core.model import Finding, ScanError, Severity
from pipesec.core.scanner import finding_from_rule
from pipesec.scanners.pipelines.common import FULL_SHA, SCANNER, ActionRef, rule

log = logging.getLogger(__name__)

GITHUB_API_ENV = "PIPESEC_GITHUB_API"
DEFAULT_GITHUB_API = "https://api.github.com"
CACHE_ENV = "PIPESEC_GITHUB_CACHE"
#: how long a cached answer is used
TTL_SECONDS = 24 * 3600
#: requests one scan may send (answers from the cache are free)
MAX_REQUESTS = 400
#: branches and tags compared with one pinned commit before it is left undecided
COMPARE_BUDGET = 12
MAX_BODY = 5_000_000
#: a ``# v1.2.3`` comment (optionally ``path/v1.2.3`` for monorepo tags)
_VERSION = re.compile(r"(?:[\w.-]+/)?v?\d+(?:\.\d+)*(?:[-.+]?[0-9A-Za-z.]+)?")

_SHA = "11bd71901bbe5b1630ceea73d27597364c9af683"
_HDR = "on: push\npermissions: {}\njobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n"
_REFS = ("https://docs.zizmor.sh/audits/",)

IMPOSTOR = rule(
    "gha/impostor-commit",
    "Pinned commit not on any branch or tag of the action's repository (online)",
    Severity.HIGH,
    "GitHub serves a commit pushed to any fork under the parent repository's name, so "
    "`owner/action@<sha>` can run code the owner never published: a pin that looks "
    "immutable and reviewed but points at an attacker's fork commit.",
    "Pin to the commit of a release tag of the action's own repository (look it up with "
    "`git ls-remote https://github.com/owner/action refs/tags/v1.2.3`).",
    _HDR + "      - uses: actions/checkout@c7d749a2d57b4b375d1ebcd17cfbfb60c676f18e\n",
    _HDR + f"      - uses: actions/checkout@{_SHA} # v4.2.2\n",
    cwe=("CWE-829",),
    references=(
        "https://www.chainguard.dev/unchained/what-the-fork-imposter-commits-in-github-actions-and-ci-cd",
        _REFS[0] + "#impostor-commit",
    ),
    tags=("online",),
)

REF_CONFUSION = rule(
    "gha/ref-confusion",
    "Action ref is both a branch and a tag (online)",
    Severity.MEDIUM,
    "When `v1` names both a branch and a tag, which one `uses: owner/action@v1` runs is "
    "not what a reader expects; whoever can create a branch (or tag) of that name decides.",
    "Pin to a full commit SHA, or ask the action's owner to remove the branch or tag.",
    _HDR + "      - uses: acme/deploy-action@v1\n",
    _HDR + f"      - uses: acme/deploy-action@{_SHA} # v1.0.0\n",
    cwe=("CWE-829",),
    references=(_REFS[0] + "#ref-confusion",),
    tags=("online",),
)

REF_MISMATCH = rule(
    "gha/ref-version-mismatch",
    "Version comment names a tag that is another commit (online)",
    Severity.MEDIUM,
    "`uses: owner/action@<sha> # v1.2.3` tells reviewers (and Dependabot) the pin is v1.2.3; "
    "when tag v1.2.3 is another commit (or no tag at all), the code that runs is not the "
    "release anyone reviewed, a classic way to slip an unreleased commit in.",
    "Pin to the commit the tag names, or correct the comment.",
    _HDR + f"      - uses: actions/checkout@{_SHA} # v4.1.0\n",
    _HDR + f"      - uses: actions/checkout@{_SHA} # v4.2.2\n",
    cwe=("CWE-1395",),
    references=(_REFS[0] + "#ref-version-mismatch",),
    tags=("online",),
)

STALE_REF = rule(
    "gha/stale-action-ref",
    "Pinned commit is not a tagged release (online)",
    Severity.LOW,
    "A SHA that no tag points at is a commit from a branch: unreleased code, and "
    "Dependabot cannot tell which version it is, so it is never updated.",
    "Pin to the commit of a release tag and keep the tag in a comment.",
    _HDR + "      - uses: actions/checkout@009b9ae9e446ad8d9b8c809870b0fbcc5e03573e\n",
    _HDR + f"      - uses: actions/checkout@{_SHA} # v4.2.2\n",
    cwe=("CWE-1357",),
    references=(_REFS[0] + "#stale-action-refs",),
    tags=("online",),
)

RULES = (IMPOSTOR, REF_CONFUSION, REF_MISMATCH, STALE_REF)


class Offline(Exception):
    """The API cannot be used for the rest of this scan (unreachable, rate limited)."""


def cache_dir() -> Path | None:
    env = os.environ.get(CACHE_ENV)
    if env is not None:
        return Path(env) if env else None
    import platformdirs

    return Path(platformdirs.user_cache_dir("pipesec")) / "github-api"


@dataclass
class Api:
    """GitHub's REST API with a timeout, a request budget and a signed answer cache."""

    base: str = DEFAULT_GITHUB_API
    token: str | None = None
    timeout: float = 10.0
    cache: Path | None = None
    requests: int = 0
    memo: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_env(cls, timeout: float = 10.0) -> Api:
        base = os.environ.get(GITHUB_API_ENV, DEFAULT_GITHUB_API).rstrip("/")
        token = os.environ.get("GITHUB_TOKEN") or os.environ.get("GH_TOKEN") or None
        return cls(base, token, timeout, cache_dir())

    def _cached(self, url: str) -> tuple[bool, Any]:
        if self.cache is None:
            return False, None
        from pipesec.core.cachemac import digest

        path = self.cache / (hashlib.sha256(url.encode()).hexdigest() + ".json")
        try:
            mac, _, payload = path.read_bytes().partition(b"\n")
            if time.time() - path.stat().st_mtime > TTL_SECONDS or mac != digest(url, payload):
                return False, None
            return True, json.loads(payload)
        except (OSError, ValueError):
            return False, None

    def _store(self, url: str, body: Any) -> None:
        if self.cache is None:
            return
        from pipesec.core.cachemac import digest

        payload = json.dumps(body, separators=(",", ":")).encode()
        path = self.cache / (hashlib.sha256(url.encode()).hexdigest() + ".json")
        try:
            self.cache.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(f".{os.getpid()}.tmp")
            tmp.write_bytes(digest(url, payload) + b"\n" + payload)
            os.replace(tmp, path)
        except OSError:
            log.debug("cannot keep %s in the cache", url, exc_info=True)

    def get(self, path: str) -> Any:
        """The JSON answer for ``path``; None when GitHub says there is no such thing."""
        url = self.base + path
        if url in self.memo:
            return self.memo[url]
        hit, body = self._cached(url)
        if not hit:
            body = self._fetch(url)
            self._store(url, body)
        self.memo[url] = body
        return body

    def _fetch(self, url: str) -> Any:
        if not url.startswith(("https://", "http://127.0.0.1", "http://localhost", "http://[::1]")):
            raise Offline(f"{GITHUB_API_ENV} must be an https:// URL, not {self.base!r}")
        if self.requests >= MAX_REQUESTS:
            raise Offline(f"more than {MAX_REQUESTS} API requests in one scan; the rest is skipped")
        self.requests += 1
        req = urllib.request.Request(url, headers={"Accept": "application/vnd.github+json"})  # noqa: S310
        if self.token:
            req.add_header("Authorization", f"Bearer {self.token}")
        try:
            with urllib.request.urlopen(req, timeout=self.timeout) as resp:  # noqa: S310
                return json.loads(resp.read(MAX_BODY).decode("utf-8"))
        except urllib.error.HTTPError as exc:
            if exc.code in (404, 422):
                return None
            if exc.code in (403, 429):
                raise Offline(
                    f"GitHub's API refused the request (HTTP {exc.code}, rate limit?);"
                    " set GITHUB_TOKEN"
                ) from None
            raise Offline(f"HTTP {exc.code} from {self.base}") from None
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            raise Offline(f"cannot reach {self.base} ({reason})") from None
        except ValueError:
            raise Offline(f"an answer from {self.base} is not JSON") from None

    # -- what the audits ask ---------------------------------------------------------------

    def _q(self, part: str) -> str:
        return urllib.parse.quote(part, safe="")

    def _repo(self, repo: str) -> str:
        owner, _, name = repo.partition("/")
        return f"/repos/{self._q(owner)}/{self._q(name)}"

    def ref_kinds(self, repo: str, ref: str) -> set[str]:
        """Which of "branch" and "tag" ``ref`` names in ``repo``."""
        out = set()
        for kind, space in (("branch", "heads"), ("tag", "tags")):
            found = self.get(f"{self._repo(repo)}/git/matching-refs/{space}/{self._q(ref)}")
            if isinstance(found, list) and any(
                isinstance(r, dict) and r.get("ref") == f"refs/{space}/{ref}" for r in found
            ):
                out.add(kind)
        return out

    def tag_commit(self, repo: str, tag: str) -> str | None:
        """The commit tag ``tag`` names (annotated and nested tags followed), or None."""
        found = self.get(f"{self._repo(repo)}/git/matching-refs/tags/{self._q(tag)}")
        obj = next(
            (
                r.get("object")
                for r in found or []
                if isinstance(r, dict) and r.get("ref") == f"refs/tags/{tag}"
            ),
            None,
        )
        for _ in range(5):
            if not isinstance(obj, dict):
                return None
            if obj.get("type") != "tag":
                sha = obj.get("sha")
                return sha if isinstance(sha, str) else None
            inner = self.get(f"{self._repo(repo)}/git/tags/{self._q(str(obj.get('sha')))}")
            obj = inner.get("object") if isinstance(inner, dict) else None
        return None

    def _names(self, repo: str, what: str, pages: int = 3) -> tuple[list[tuple[str, str]], bool]:
        """(name, commit sha) of the repository's branches or tags, and whether that is all."""
        out: list[tuple[str, str]] = []
        for page in range(1, pages + 1):
            got = self.get(f"{self._repo(repo)}/{what}?per_page=100&page={page}")
            if not isinstance(got, list):
                return out, True
            for item in got:
                commit = item.get("commit") if isinstance(item, dict) else None
                sha = commit.get("sha") if isinstance(commit, dict) else None
                if isinstance(item, dict) and isinstance(item.get("name"), str) and sha:
                    out.append((item["name"], str(sha)))
            if len(got) < 100:
                return out, True
        return out, False

    def tags(self, repo: str) -> tuple[list[tuple[str, str]], bool]:
        return self._names(repo, "tags")

    def reachable(
        self, repo: str, sha: str, tags: list[tuple[str, str]], all_tags: bool
    ) -> bool | None:
        """Is ``sha`` on a branch or tag of ``repo``? None: undecided within the budget."""
        if any(t_sha == sha for _n, t_sha in tags):
            return True
        info = self.get(self._repo(repo))
        default = info.get("default_branch") if isinstance(info, dict) else None
        branches, all_branches = self._names(repo, "branches", pages=1)
        names = [default] if isinstance(default, str) else []
        names += [n for n, _s in branches if n != default]
        names += [n for n, _s in tags]
        for name in names[:COMPARE_BUDGET]:
            cmp = self.get(f"{self._repo(repo)}/compare/{self._q(name)}...{sha}")
            if isinstance(cmp, dict) and cmp.get("status") in ("behind", "identical"):
                return True
        if len(names) > COMPARE_BUDGET or not (all_branches and all_tags):
            return None
        return False


def version_comment(rest: str) -> str | None:
    """The version a ``# v1.2.3`` comment after the ``uses:`` value names."""
    hash_at = rest.find("#")
    if hash_at < 0:
        return None
    words = rest[hash_at + 1 :].split()
    if not words:
        return None
    word = words[0]
    for prefix in ("tag=", "tag:"):
        word = word.removeprefix(prefix)
    return word if _VERSION.fullmatch(word) else None


def audit(
    refs: list[ActionRef], api: Api, disabled: frozenset[str]
) -> Iterator[Finding | ScanError]:
    """The online findings for ``refs`` (every remote ``uses:`` of the scan)."""
    try:
        yield from _audit(refs, api, disabled)
    except Offline as exc:
        first = refs[0] if refs else None
        yield ScanError(
            SCANNER,
            first.path if first else ".",
            f"--online audits stopped: {exc}; run without --online, or again when the API"
            " can be reached",
        )


def _finding(r: ActionRef, rule_: Any, message: str, key: str) -> Finding:
    return finding_from_rule(
        rule_,
        SCANNER,
        path=r.path,
        line=r.line,
        column=r.col,
        end_column=r.end_col,
        message=message,
        snippet=r.snippet,
        identity=f"{r.repo}@{r.ref}:{key}",
        properties={"source": "github-api"},
    )


def _audit(refs: list[ActionRef], api: Api, disabled: frozenset[str]) -> Iterator[Finding]:
    on = {r.id for r in RULES} - disabled
    if not on:
        return
    for r in sorted(refs, key=lambda r: (r.repo, r.ref, r.path, r.line)):
        if r.repo.count("/") != 1 or not r.ref:
            continue
        if not FULL_SHA.match(r.ref):
            if REF_CONFUSION.id in on and api.ref_kinds(r.repo, r.ref) == {"branch", "tag"}:
                yield _finding(
                    r,
                    REF_CONFUSION,
                    f"`{r.ref}` is both a branch and a tag of {r.repo}: which one runs is"
                    " ambiguous",
                    "confusion",
                )
            continue
        version = version_comment(r.trailer)
        named = False
        if version is not None and REF_MISMATCH.id in on:
            candidates = [version] if version.startswith("v") else [version, "v" + version]
            found = [(c, api.tag_commit(r.repo, c)) for c in candidates]
            shas = {s for _c, s in found if s}
            named = r.ref in shas
            if not named:
                tag = next((c for c, s in found if s), None)
                why = (
                    f"tag {tag} of {r.repo} is commit {next(iter(shas))[:12]}, not {r.ref[:12]}"
                    if tag
                    else f"{r.repo} has no tag {version}"
                )
                yield _finding(
                    r, REF_MISMATCH, f"the comment says {version}, but {why}", "mismatch"
                )
        if not on & {IMPOSTOR.id, STALE_REF.id}:
            continue
        tags, all_tags = api.tags(r.repo)
        tagged = named or any(s == r.ref for _n, s in tags)
        if IMPOSTOR.id in on and not tagged:
            reach = api.reachable(r.repo, r.ref, tags, all_tags)
            if reach is False:
                yield _finding(
                    r,
                    IMPOSTOR,
                    f"commit {r.ref[:12]} is on no branch or tag of {r.repo}: it may be a"
                    " fork's commit served under that name (an impostor commit)",
                    "impostor",
                )
                continue
        if STALE_REF.id in on and not tagged and all_tags and version is None:
            yield _finding(
                r,
                STALE_REF,
                f"commit {r.ref[:12]} of {r.repo} is not a tagged release",
                "stale",
            )
