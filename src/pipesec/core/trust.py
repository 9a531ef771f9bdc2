"""Where the gate's policy is read from: the scanned tree is untrusted, the operator and the
base branch are trusted.

Everything that can weaken the gate (pipesec's configuration, its exceptions, baselines kept
in the repository, ``.gitleaks.toml`` allowlists, ``.gitleaksignore``) is read through a
:class:`PolicySource`:

- :class:`TreeSource` reads the working tree (a plain scan, or ``--trust-tree-config``);
- :class:`GitRefSource` reads the committed blobs of the base revision in PR mode
  (``--diff-base REF``): a pull request cannot change the rules it is judged by.

Scanners learn about the source through two inputs (they never read configuration files
themselves): :data:`POLICY_REF_INPUT` names the base revision whose gitleaks files apply,
and :data:`OWN_RULES_ONLY_INPUT` says that the tree's gitleaks allowlists and ignore file
may only narrow the tree's own ``gitleaks/*`` rules (the operator passed ``--config``).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    import subprocess

from pipesec.core.errors import InputError, UsageError
from pipesec.core.model import Finding, Rule, Severity

#: settings.inputs key: the base revision (PR mode) whose committed policy files apply
POLICY_REF_INPUT = "policy-ref"
#: settings.inputs key: the tree's gitleaks allowlists/ignores never drop built-in rules
OWN_RULES_ONLY_INPUT = "tree-allowlists-own-rules-only"
#: the largest policy file read from a revision (the same bound as configuration files)
MAX_POLICY_BYTES = 4 * 1024 * 1024


class PolicySource(Protocol):
    """Reads policy files by path relative to the scan root."""

    def read(self, rel: str) -> bytes | None:
        """The file's bytes, or None when it does not exist there."""
        ...

    def describe(self, rel: str) -> str:
        """How to name the file in messages (``origin/main:.pipesec.toml``)."""
        ...


class TreeSource:
    """The working tree (regular files only; a symlink is never followed)."""

    def __init__(self, root: Path) -> None:
        self.root = root if root.is_dir() else root.parent

    def read(self, rel: str) -> bytes | None:
        from pipesec.core.workspace import inside_root

        path = self.root / rel
        if path.is_symlink() or not path.is_file() or not inside_root(self.root, path):
            return None
        try:
            if path.stat().st_size > MAX_POLICY_BYTES:
                raise InputError(rel, f"policy file is over {MAX_POLICY_BYTES} bytes")
            return path.read_bytes()
        except OSError as exc:
            raise InputError(rel, f"cannot read: {exc.strerror}") from None

    def describe(self, rel: str) -> str:
        return str(self.root / rel)


def _git(root: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    from pipesec.core.gitsource import _git as run  # the one hardened way to run git

    return run(root, *args, check=False)


class GitRefSource:
    """The committed blobs of ``ref`` (the base branch in PR mode)."""

    def __init__(self, root: Path, ref: str) -> None:
        self.root = root if root.is_dir() else root.parent
        self.ref = ref
        proc = _git(self.root, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}")
        if proc.returncode != 0:
            raise UsageError(f"--diff-base {ref!r}: revision not found in this repository")
        self.commit = proc.stdout.decode().strip()
        prefix = _git(self.root, "rev-parse", "--show-prefix")
        self.prefix = prefix.stdout.decode("utf-8", "surrogateescape").strip()
        self._cache: dict[str, bytes | None] = {}

    def read(self, rel: str) -> bytes | None:
        if rel in self._cache:
            return self._cache[rel]
        spec = f"{self.commit}:{self.prefix}{rel}"
        check = _git(self.root, "cat-file", "-t", spec)
        data: bytes | None = None
        if check.returncode == 0 and check.stdout.strip() == b"blob":
            size = _git(self.root, "cat-file", "-s", spec).stdout.strip()
            if size.isdigit() and int(size) > MAX_POLICY_BYTES:
                raise InputError(
                    self.describe(rel), f"policy file is over {MAX_POLICY_BYTES} bytes"
                )
            proc = _git(self.root, "cat-file", "blob", spec)
            if proc.returncode != 0:
                raise InputError(self.describe(rel), "cannot read the committed file")
            data = proc.stdout
        self._cache[rel] = data
        return data

    def describe(self, rel: str) -> str:
        return f"{self.ref}:{self.prefix}{rel}"


def inside(path: Path, root: Path) -> str | None:
    """``path`` relative to the scan root (``/``-separated) when it lies inside it."""
    base = root if root.is_dir() else root.parent
    try:
        return path.resolve().relative_to(base.resolve()).as_posix()
    except (ValueError, OSError):
        return None


# -- the findings a pull request gets for weakening the gate --------------------------------

SCANNER = "policy"

CONFIG_WEAKENED = Rule(
    id="policy/config-weakened",
    title="The change weakens the gate's policy",
    severity=Severity.HIGH,
    rationale=(
        "In PR mode pipesec reads its configuration, exceptions, baselines and gitleaks "
        "allowlists from the base revision, so a pull request cannot switch the gate off. "
        "A change that disables a scanner, makes fail-on less strict, adds an exclude, an "
        "exception, an allowlist or ignore entry, or relaxes on-error would weaken the gate "
        "once merged: reviewers must see it."
    ),
    remediation=(
        "If the weakening is intended, a maintainer accepts it: add an [[exceptions]] entry "
        "for policy/config-weakened in the base branch's configuration, or run the gate with "
        "--trust-tree-config. Otherwise revert the change."
    ),
    vulnerable_example='[gate]\nfail-on = "critical"   # the base branch had "high"\n',
    fixed_example='[gate]\nfail-on = "high"\n',
    cwe=("CWE-693",),
    tags=("policy", "trust"),
)

NEW_SUPPRESSION = Rule(
    id="policy/new-suppression",
    title="The change suppresses a high or critical finding",
    severity=Severity.MEDIUM,
    rationale=(
        "A suppression comment (pipesec:ignore, or a peer tool's marker such as "
        "'pragma: allowlist secret' or '# nosec') added on a changed line hides a high or "
        "critical finding from the gate. It stays visible as this finding so that reviewers "
        "decide whether the reason holds."
    ),
    remediation=(
        "Fix the finding instead of suppressing it, or have a reviewer accept the "
        "suppression (an [[exceptions]] entry in the base branch's configuration)."
    ),
    vulnerable_example="subprocess.run(cmd, shell=True)  # nosec  (added by the change)\n",
    fixed_example='subprocess.run(["git", "status"], check=True)\n',
    cwe=("CWE-693",),
    tags=("policy", "trust"),
)

RULES = (CONFIG_WEAKENED, NEW_SUPPRESSION)


def policy_finding(rule: Rule, path: str, line: int, message: str, identity: str) -> Finding:
    from pipesec.core.redact import redact_texts
    from pipesec.core.scanner import finding_from_rule

    # made after the engine's redaction pass: a weakening quotes config values (an allowlist
    # entry, an option), which a hostile tree can fill with a credential
    message, identity = redact_texts([message, identity])
    return finding_from_rule(
        rule, SCANNER, path=path, line=line, message=message, identity=identity
    )
