"""Where the secrets scanner looks, and what it does around the engine.

- the working tree (default), through :func:`scan_workspace`;
- git history (``--history``, ``settings.inputs["history"]`` with ``"since"`` and
  ``"range"``), through :mod:`.history`;
- standard input (``--stdin``, ``settings.inputs["stdin"]``), streamed as one pseudo-file
  ``<stdin>`` (a CI job log piped through pipesec);

and, in every mode: the repository's gitleaks configuration and ``.gitleaksignore``
(:mod:`.gitleaks`; ``--gitleaks-config FILE`` is ``settings.inputs["gitleaks-config"]``),
live verification when the network is allowed (``--verify``, :mod:`.verify`) and the
``fail-only-verified`` option.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterable, Iterator
from typing import IO, Any

from pipesec.core.fingerprints import secret_identity
from pipesec.core.model import Finding, Note, ScanError
from pipesec.core.scanner import ScanItem, ScannerSettings
from pipesec.core.trust import OWN_RULES_ONLY_INPUT, POLICY_REF_INPUT, GitRefSource, PolicySource
from pipesec.core.workspace import Workspace, compile_globs
from pipesec.scanners.secrets.engine import SecretEngine
from pipesec.scanners.secrets.findings import SCANNER, make_finding
from pipesec.scanners.secrets.gitleaks import GitleaksCompat
from pipesec.scanners.secrets.rules.base import SecretMatch

log = logging.getLogger(__name__)

STDIN_PATH = "<stdin>"
STDIN_CHUNK = 1 << 20
#: other secrets of the same file a verifier may pair a credential with
MAX_SIBLINGS = 64


class Extras:
    """gitleaks filters and live verification applied to the engine's matches."""

    def __init__(self, compat: GitleaksCompat, settings: ScannerSettings) -> None:
        self.compat = compat
        self.key = settings.fingerprint_key
        self.session: Any = None
        self.results: dict[str, Any] = {}
        if settings.network:
            from pipesec.scanners.secrets import verify

            endpoints = verify.Endpoints.from_inputs(
                list(settings.inputs.get(verify.ENDPOINT_INPUT, ()))
            )
            self.session = verify.Session(endpoints)

    def post(
        self,
        matches: Iterable[SecretMatch],
        text: str | None,
        path: str,
        commit: str | None,
        *,
        context: str | None = None,
    ) -> list[SecretMatch]:
        """Apply the gitleaks filters (``text``: what the offsets refer to, None when
        streamed) and verify what is kept (``context``: text around it, for providers whose
        credentials come in pairs; defaults to ``text``)."""
        kept = (
            list(self.compat.filter(matches, text, path, commit, keep_allowed=True))
            if self.compat.active()
            else list(matches)
        )
        if self.session is not None and kept:
            live = [m for m in kept if not self.compat.allowlisted(m, path, commit)]
            if live:
                self._verify(live, context if context is not None else text or "")
        return kept

    def _verify(self, matches: list[SecretMatch], text: str) -> None:
        from pipesec.scanners.secrets.verify import Candidate

        siblings = tuple((m.rule.id, m.rule.provider, m.value) for m in matches)
        for m in matches:
            ident = secret_identity(m.value, self.key)
            if ident in self.results:
                continue
            others = tuple(s for s in siblings if s[2] != m.value)[:MAX_SIBLINGS]
            result = self.session.verify(
                Candidate(m.rule.id, m.rule.provider, m.value, text, others)
            )
            if result is not None:
                self.results[ident] = result

    def finish(self, f: Finding, fail_only_verified: bool) -> Finding:
        f = self.compat.mark(f, f.snippet)
        if self.session is not None:
            from pipesec.scanners.secrets.verify import apply_result, lower_unverified

            f = apply_result(f, self.results.get(f.identity))
            if fail_only_verified:
                f = lower_unverified(f)
        return f


class _FilteredEngine(SecretEngine):
    """The engine, with :class:`Extras` applied to what it finds (same interface)."""

    def __init__(self, inner: SecretEngine, extras: Extras) -> None:  # no super(): a view
        self.__dict__.update(inner.__dict__)
        self._extras = extras

    def scan_text(
        self, text: str, *, path: str | None = None, data: bytes | None = None
    ) -> Iterator[SecretMatch]:
        matches = super().scan_text(text, path=path, data=data)
        yield from self._extras.post(matches, text, path or "", None)

    def scan_stream(
        self, chunks: Iterable[str], *, path: str | None = None
    ) -> Iterator[SecretMatch]:
        for m in super().scan_stream(chunks, path=path):
            yield from self._extras.post([m], None, path or "", None)


def scan(workspace: Workspace, settings: ScannerSettings, opts: Any) -> Iterator[ScanItem]:
    """The scanner's work for one scan, in the mode the command line asked for."""
    from pipesec.scanners.secrets import engine_for

    inputs = settings.inputs
    explicit = next(iter(inputs.get("gitleaks-config", ())), None)
    compat = GitleaksCompat.load(
        workspace.root,
        explicit,
        _policy_source(workspace, inputs),
        own_rules_only=bool(inputs.get(OWN_RULES_ONLY_INPUT)),
    )
    yield from compat.problems
    try:
        extras = Extras(compat, settings)
    except ValueError as exc:  # a malformed --verify-endpoint
        yield ScanError(SCANNER, "--verify-endpoint", str(exc))
        return
    engine = engine_for(
        settings.disabled_rules,
        generic=opts.generic,
        use_hyperscan=opts.use_hyperscan,
        extra=[r for r in compat.rules if r.id not in settings.disabled_rules],
    )
    fail_only = bool(getattr(opts, "fail_only_verified", False))
    if fail_only and not settings.network:
        yield Note(
            SCANNER,
            "[scanners.secrets]",
            "fail-only-verified is set but --verify is not: nothing was verified, so secret "
            "severities are unchanged",
            "configuration",
        )
    if inputs.get("stdin"):
        items: Iterator[ScanItem] = scan_stdin(engine, extras, settings)
    elif inputs.get("history"):
        items = _scan_history(engine, extras, workspace, settings, opts)
    else:
        items = _scan_worktree(engine, extras, compat, workspace, settings, opts)
    for item in items:
        yield extras.finish(item, fail_only) if isinstance(item, Finding) else item


def _policy_source(workspace: Workspace, inputs: Any) -> PolicySource | None:
    """PR mode: the repository's gitleaks files come from the base revision."""
    ref = next(iter(inputs.get(POLICY_REF_INPUT, ())), None)
    return GitRefSource(workspace.root, ref) if ref else None


def _scan_worktree(
    engine: SecretEngine,
    extras: Extras,
    compat: GitleaksCompat,
    workspace: Workspace,
    settings: ScannerSettings,
    opts: Any,
) -> Iterator[ScanItem]:
    from pipesec.scanners.secrets import scan_workspace

    # without gitleaks filters or verification, Extras.post hands the matches on as they are
    filtered = compat.active() or extras.session is not None
    inner = _FilteredEngine(engine, extras) if filtered else engine
    yield from scan_workspace(inner, workspace, settings, opts)
    if compat.config.path_rules:
        skip_test = compile_globs(opts.test_paths)
        for f in workspace.all_files():
            if not skip_test(f.path) and not compat.path_allowed(f.path):
                yield from compat.path_findings(f.path)


def _scan_history(
    engine: SecretEngine,
    extras: Extras,
    workspace: Workspace,
    settings: ScannerSettings,
    opts: Any,
) -> Iterator[ScanItem]:
    from pipesec.scanners.secrets import LOCKFILES
    from pipesec.scanners.secrets.history import HistoryOptions, scan_history

    inputs = settings.inputs
    skip_test = compile_globs(opts.test_paths)
    is_lock = compile_globs(LOCKFILES)

    def excluded(path: str) -> bool:
        return workspace.is_excluded(path) or skip_test(path)

    def scan_blob(text: str, path: str) -> Iterable[SecretMatch]:
        lock = is_lock(path)
        return [
            m for m in engine.scan_text(text, path=path) if not (lock and "generic" in m.rule.tags)
        ]

    options = HistoryOptions(
        since=next(iter(inputs.get("since", ())), None) or None,
        rev_range=next(iter(inputs.get("range", ())), None) or None,
        max_blob_size=opts.max_file_size,
    )
    yield from scan_history(
        workspace.root,
        scan_blob,
        settings.fingerprint_key,
        options,
        excluded=excluded,
        filter_matches=lambda ms, text, path, commit: extras.post(ms, text, path, commit),
        path_findings=extras.compat.path_findings if extras.compat.config.path_rules else None,
    )


def scan_stdin(
    engine: SecretEngine,
    extras: Extras,
    settings: ScannerSettings,
    stream: IO[bytes] | None = None,
) -> Iterator[ScanItem]:
    """Stream standard input (a CI log) through the engine as the file ``<stdin>``."""
    from pipesec.scanners.secrets import _utf8_boundary

    source = stream if stream is not None else sys.stdin.buffer
    window: list[tuple[int, str]] = []  # recent chunks, to rebuild a finding's line

    def chunks() -> Iterator[str]:
        base = 0
        pending = b""
        while True:
            try:
                data = source.read(STDIN_CHUNK)
            except OSError as exc:
                raise _StdinError(str(exc.strerror or exc)) from None
            if not data:
                break
            data = pending + data
            cut = _utf8_boundary(data)
            pending = data[cut:]
            text = data[:cut].decode("utf-8", "replace")
            window.append((base, text))
            del window[:-3]
            base += len(text)
            yield text
        if pending:
            text = pending.decode("utf-8", "replace")
            window.append((base, text))
            yield text

    try:
        for m in engine.scan_stream(chunks(), path=None):
            # the recent chunks, for providers whose credentials come in pairs
            context = "".join(t for _, t in window) if extras.session is not None else None
            for kept in extras.post([m], None, "", None, context=context):
                line = _line(window, kept)
                yield make_finding(kept, STDIN_PATH, settings.fingerprint_key, line_text=line)
    except _StdinError as exc:
        yield ScanError(SCANNER, STDIN_PATH, f"cannot read standard input: {exc}")


class _StdinError(Exception):
    pass


def _line(window: list[tuple[int, str]], m: SecretMatch) -> str | None:
    if not window:
        return None
    base = window[0][0]
    text = "".join(t for _, t in window)
    s = m.start - base
    if not 0 <= s < len(text):
        return None
    begin = text.rfind("\n", 0, s) + 1
    end = text.find("\n", s)
    return text[begin : end if end != -1 else len(text)]


__all__ = ["STDIN_PATH", "Extras", "scan", "scan_stdin"]
