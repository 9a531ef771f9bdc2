"""The secrets scanner: credentials committed to the working tree.

Every text file of the workspace is scanned by one :class:`SecretEngine` pass. Files are
read in batches and one Hyperscan call over a whole batch (``SecretEngine.may_find``) tells
which of them can hold a secret: only those are decoded and scanned alone. Files over the
workspace size limit are streamed in overlapping chunks up to the scanner's own limit
(``max-file-size``, default 100 MB; a larger file is a ScanError), so a secret on a chunk
border is found once. Findings are built by :func:`findings.make_finding`: the value is
redacted and fingerprinted with the keyed HMAC, never stored. Rules disabled in
configuration do not run. Files under fixture directories are scanned like any other:
the scanned tree chooses its own paths, so the gate's test context (``[gate]
context-paths``) demotes their generic findings while a provider's key or a private key
keeps its severity; only the operator's ``test-paths`` skip files. Generic rules do not run
on lockfiles (their hashes look like secrets) and binary files are noted and skipped.
"""

from __future__ import annotations

import base64
import logging
import os
import re
import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import replace
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from pipesec.core.collector import GcBatches
from pipesec.core.errors import InputError
from pipesec.core.model import Finding, Note, Rule, ScanCount, ScanError
from pipesec.core.scanner import ScanItem, ScannerSettings
from pipesec.core.workspace import (
    Workspace,
    WorkspaceFile,
    compile_globs,
    decode,
    looks_binary,
    open_dir,
)
from pipesec.scanners.secrets.findings import SCANNER, make_finding

if TYPE_CHECKING:  # the engine and the rules are imported when a scan has files to read
    from pydantic import TypeAdapter

    from pipesec.scanners.secrets.engine import SecretEngine
    from pipesec.scanners.secrets.options import Options
    from pipesec.scanners.secrets.rules.base import SecretMatch, SecretRule

log = logging.getLogger(__name__)

DEFAULT_MAX_FILE_SIZE = 100 * 1024 * 1024
CHUNK = 4 * 1024 * 1024
#: fixture directories skipped inside container image layers (packages ship their test
#: fixtures in site-packages and node_modules); a working tree skips none by default
#: (``test-paths`` is the operator's, see docs/security.md)
IMAGE_TEST_PATHS = (
    "**/tests/fixtures/**",
    "**/test/fixtures/**",
    "**/testdata/**",
    "**/__fixtures__/**",
    "**/spec/fixtures/**",
)
#: lockfiles and checksum files: full of hashes, never hand-written secrets
LOCKFILES = (
    "package-lock.json",
    "npm-shrinkwrap.json",
    "yarn.lock",
    "pnpm-lock.yaml",
    "bun.lock",
    "poetry.lock",
    "Pipfile.lock",
    "uv.lock",
    "pdm.lock",
    "Cargo.lock",
    "go.sum",
    "Gemfile.lock",
    "composer.lock",
    "packages.lock.json",
    "pubspec.lock",
    "Podfile.lock",
    "mix.lock",
    "flake.lock",
    "gradle.lockfile",
    "*.sum",
)


@lru_cache(maxsize=4)
def _engine(use_hyperscan: bool | None) -> SecretEngine:
    from pipesec.scanners.secrets.engine import SecretEngine
    from pipesec.scanners.secrets.rules import all_rules

    return SecretEngine(all_rules(), use_hyperscan=use_hyperscan)


_engine_lock = threading.Lock()


def engine_for(
    disabled: frozenset[str] = frozenset(),
    *,
    generic: bool = True,
    use_hyperscan: bool | None = None,
    extra: Sequence[SecretRule] = (),
) -> SecretEngine:
    """The engine of the built-in rules minus ``disabled``, plus ``extra`` rules.

    Without ``extra`` the compiled engine of the built-in rules is shared (built once per
    process); disabled rules are switched off in a view of it, not recompiled. ``extra``
    rules (a gitleaks configuration's) get a database of their own beside the built-in
    one, which stays the cached one whatever they are (``hsdb.load``'s ``split``).
    """
    from pipesec.scanners.secrets.engine import SecretEngine
    from pipesec.scanners.secrets.rules import all_rules

    off = set(disabled)
    if not generic:
        off.update(r.id for r in all_rules() if "generic" in r.tags)
    if extra:
        if use_hyperscan is not False:
            with _engine_lock:  # the built-in database: compiled once, by the shared engine
                _engine(use_hyperscan)  # (the redactor's, in another thread), then read back
        engine = SecretEngine(all_rules(), use_hyperscan=use_hyperscan, extra=extra)
        return engine.without(off) if off else engine
    with _engine_lock:
        full = _engine(use_hyperscan)
    return full.without(off) if off else full


def line_of(text: str, match: SecretMatch, base: int = 0) -> str:
    """The text of the line holding the start of ``match`` (``text`` starts at ``base``)."""
    s = match.start - base
    begin = text.rfind("\n", 0, s) + 1
    end = text.find("\n", s)
    return text[begin : end if end != -1 else len(text)]


class SecretsScanner:
    name = SCANNER
    default = True

    @property
    def settings_model(self) -> TypeAdapter[Options]:
        from pipesec.scanners.secrets.options import adapter

        return adapter()

    def rules(self) -> Sequence[Rule]:
        from pipesec.scanners.secrets.rules import all_rules

        return [r.to_rule() for r in all_rules()]

    def scan(self, workspace: Workspace, settings: ScannerSettings) -> Iterator[ScanItem]:
        inputs = settings.inputs
        if not (inputs.get("stdin") or inputs.get("history") or workspace.all_files()):
            return  # nothing to read: the engine is not even built
        from pipesec.scanners.secrets.options import options_of

        opts = options_of(settings.options)
        # modes: working tree (scan_workspace below), --history, --stdin; gitleaks config,
        # --verify and fail-only-verified around the engine
        from pipesec.scanners.secrets import modes

        yield from modes.scan(workspace, settings, opts)


_O_READ = os.O_RDONLY | getattr(os, "O_BINARY", 0)
#: files read before one batched prefilter pass (SecretEngine.may_find)
BATCH_FILES = 256
BATCH_BYTES = 1 << 20


def scan_workspace(
    engine: SecretEngine,
    workspace: Workspace,
    settings: ScannerSettings,
    opts: Options,
) -> Iterator[ScanItem]:
    """Findings of the working tree, in file order.

    Files are read in batches; one :meth:`SecretEngine.may_find` pass over a batch tells
    which files can hold a secret, and only those are decoded and scanned.
    """
    from pipesec.scanners.secrets.rules.apis import PKCS12_NAME

    skip_test = compile_globs(opts.test_paths)
    #: binary keystores scanned as their base64 text (secrets/pkcs12-file)
    pkcs12 = re.compile(PKCS12_NAME)
    is_lock = compile_globs(LOCKFILES)
    key = settings.fingerprint_key
    whole = min(opts.max_file_size, workspace.max_file_size)  # read whole up to this size
    #: (file, bytes given to the engine, decoded text or None for ASCII, item to yield)
    batch: list[tuple[WorkspaceFile | None, bytes, str | None, ScanItem | None]] = []
    size = 0
    scanned = 0  # text files handed to the engine
    files = workspace.all_files()
    prefix = workspace.root_prefix
    # the collector paused, young objects collected per batch; files opened from the root
    with GcBatches() as batches, open_dir(prefix) as root_fd:
        root = (root_fd, prefix) if root_fd is not None else None
        for f in files:
            batches.tick()
            if skip_test(f.path):
                continue
            if f.size > whole:
                if f.size > opts.max_file_size:
                    batch.append((None, b"", None, _too_large(f, opts.max_file_size)))
                    continue
                yield from _scan_batch(engine, batch, key, is_lock, workspace.unmarked)
                batch, size = [], 0
                if not workspace.is_binary(f):
                    scanned += 1
                    yield from _scan_large(engine, f, key, is_lock(f.path))
                continue
            try:
                data = _read(f, root)  # one read: the binary sniff uses the same bytes
            except InputError as exc:
                batch.append((None, b"", None, ScanError(SCANNER, f.path, exc.message)))
                continue
            if looks_binary(data, f.path):
                if pkcs12.search(f.path) is None:
                    workspace.is_binary(f)  # records the workspace note
                    continue
                # a keystore: the base64 of its head goes to the engine (rule pkcs12-file),
                # one value the rule matches whole (so no snippet shows more of it)
                data = base64.b64encode(data[:1500])
            if data.isascii():  # decode() is the identity on ASCII: decode only files with hits
                batch.append((f, data, None, None))
            else:
                text = decode(data)
                batch.append((f, text.encode("utf-8", "surrogatepass"), text, None))
            size += len(data)
            scanned += 1
            if size >= BATCH_BYTES or len(batch) >= BATCH_FILES:
                yield from _scan_batch(engine, batch, key, is_lock, workspace.unmarked)
                batch, size = [], 0
        yield from _scan_batch(engine, batch, key, is_lock, workspace.unmarked)
    if scanned:
        yield ScanCount(SCANNER, files=scanned)


#: what every suppression marker holds in any case (pipesec:ignore, gitleaks:allow, pragma:
#: allowlist, zizmor: ignore, checkov:skip, trivy:ignore; ``re`` finds ":" with memchr)
_COLON_I = re.compile(rb":[ \t]?[iIaAsS]")


def _scan_batch(
    engine: SecretEngine,
    batch: list[tuple[WorkspaceFile | None, bytes, str | None, ScanItem | None]],
    key: bytes,
    is_lock: Callable[[str], bool],
    unmarked: set[str],
) -> Iterator[ScanItem]:
    files = [(f, blob) for f, blob, _, _ in batch if f is not None]
    keep = iter(engine.may_find([b for _, b in files], [f.path for f, _ in files]))
    for f, blob, text, item in batch:
        if f is None:
            if item is not None:
                yield item
            continue
        if not next(keep):
            continue
        if text is None:
            text = blob.decode("ascii")
        lock: bool | None = None  # a lockfile (generic rules do not report there)
        seen = False
        docs: list[tuple[int, int]] | None = None  # a program's documentation lines
        for m in engine.scan_text(text, path=f.path, data=blob):
            if "generic" in m.rule.tags:
                if lock is None:
                    lock = is_lock(f.path)
                if lock:
                    continue
            if not seen:
                seen = True
                if _COLON_I.search(blob) is None:  # no suppression marker in any case
                    unmarked.add(f.path)  # the suppression pass need not read it again
            finding = make_finding(m, f.path, key, line_text=line_of(text, m))
            if f.path.endswith(_DOC_SUFFIXES) and _demotable(finding):
                from pipesec.scanners.secrets import docblocks

                yaml = f.path.endswith((".yml", ".yaml"))
                # a Python file is parsed only when the match lies inside a triple-quoted
                # string (an odd number of them before it): a docstring is one
                if yaml or docblocks.in_triple_quotes(text, m.start):
                    if docs is None:
                        ansible = docblocks.ansible_plugin(f.path)
                        if yaml:
                            docs = docblocks.yaml_doc_lines(text) if ansible else []
                        else:
                            docs = docblocks.doc_lines(text, ansible=ansible)
                    if docblocks.in_spans(m.line, docs):
                        finding = replace(finding, tags=(*finding.tags, "context:docs"))
            elif f.path.endswith(_COMMENT_DOC_SUFFIXES) and _demotable(finding):
                from pipesec.scanners.secrets import docblocks

                if docblocks.in_doc_comment(text, m.start, pod=f.path.endswith(_POD_SUFFIXES)):
                    finding = replace(finding, tags=(*finding.tags, "context:docs"))
            yield finding


#: programs whose docstrings are documentation, and Ansible modules' YAML documentation
#: files (see ``docblocks``, imported when needed)
_DOC_SUFFIXES = (".py", ".pyi", ".yml", ".yaml")
#: Perl programs, whose POD blocks are documentation
_POD_SUFFIXES = (".pm", ".pl", ".t")
#: programs with documentation comments (``/** … */``: PHPDoc, JSDoc, Javadoc …) or POD
_COMMENT_DOC_SUFFIXES = (
    *(".php", ".inc", ".js", ".mjs", ".cjs", ".jsx", ".ts", ".tsx", ".java", ".kt", ".scala"),
    *(".groovy", ".cs", ".swift", ".c", ".h", ".cc", ".cpp", ".rs", ".go", ".dart"),
    *_POD_SUFFIXES,
)


def _demotable(finding: Finding) -> bool:
    from pipesec.core.engine import demotable

    return demotable(finding)


def _too_large(f: WorkspaceFile, limit: int) -> ScanError:
    """Fail closed: a hostile tree must not hide a secret by making its file big."""
    return ScanError(
        SCANNER,
        f.path,
        f"{f.size / 1e6:.1f} MB is over the secrets scanner's "
        f"{limit / 1e6:.0f} MB limit ([scanners.secrets] max-file-size); not scanned",
    )


def _read(f: WorkspaceFile, root: tuple[int, str] | None = None) -> bytes:
    """``f.read_bytes()``, with fewer system calls for a file on disk (``root``: a
    descriptor of a directory and its path, ending with a separator: a file under it is
    opened by its path from there, see ``workspace.open_dir``)."""
    if f.reader is not None or f.disk_path is None:
        return f.read_bytes()
    path = f.disk_path
    try:
        rel = path[len(root[1]) :] if root is not None and path.startswith(root[1]) else ""
        if root is not None and rel and rel[0] != "/":
            fd = os.open(rel, _O_READ, dir_fd=root[0])
        else:
            fd = os.open(path, _O_READ)
        try:
            data = os.read(fd, f.size + 1)
            if len(data) != f.size:  # changed since discovery (or a short read): read to EOF
                parts = [data]
                while chunk := os.read(fd, 1 << 20):
                    parts.append(chunk)
                data = b"".join(parts)
        finally:
            os.close(fd)
    except OSError as exc:
        reason = exc.strerror or exc.__class__.__name__
        raise InputError(f.path, f"cannot read file: {reason}") from None
    return data


def _scan_large(
    engine: SecretEngine, f: WorkspaceFile, key: bytes, lock: bool
) -> Iterator[ScanItem]:
    """Stream a file over the workspace limit in chunks (bounded memory)."""
    if f.abspath is None:
        yield Note(SCANNER, f.path, "large file without a path on disk; skipped", "too-large")
        return
    window: list[tuple[int, str]] = []  # (base offset, text) of recent chunks, for snippets

    def chunks() -> Iterator[str]:
        base = 0
        pending = b""
        with f.abspath.open("rb") as fh:  # type: ignore[union-attr]
            while True:
                data = fh.read(CHUNK)
                if not data:
                    break
                data = pending + data
                cut = _utf8_boundary(data)
                pending = data[cut:]
                text = decode(data[:cut]) if base == 0 else data[:cut].decode("utf-8", "replace")
                window.append((base, text))
                del window[:-3]
                base += len(text)
                yield text
        if pending:
            text = pending.decode("utf-8", "replace")
            window.append((base, text))
            yield text

    try:
        with f.abspath.open("rb") as fh:
            if looks_binary(fh.read(8192), f.path):
                return
        for m in engine.scan_stream(chunks(), path=f.path):
            if lock and "generic" in m.rule.tags:
                continue
            yield make_finding(m, f.path, key, line_text=line_from_window(window, m))
    except OSError as exc:
        yield ScanError(SCANNER, f.path, f"cannot read file: {exc.strerror or exc}")
    except InputError as exc:
        yield ScanError(SCANNER, f.path, exc.message)


def line_from_window(window: list[tuple[int, str]], m: SecretMatch) -> str | None:
    """The line holding ``m``'s start, from the last chunks of a streamed text (``window``:
    their start offsets and texts), or None when it is no longer there."""
    for i, (base, text) in enumerate(window):
        if base <= m.start < base + len(text):
            joined = "".join(t for _, t in window[i:])
            prev = window[i - 1][1] if i > 0 else ""
            full = prev + joined
            return line_of(full, m, base - len(prev))
    return None


def _utf8_boundary(data: bytes) -> int:
    """Length of the longest prefix of ``data`` that does not split a UTF-8 sequence."""
    n = len(data)
    i = n - 1
    while i >= 0 and i >= n - 4 and 0x80 <= data[i] < 0xC0:
        i -= 1
    if i < 0:
        return n
    lead = data[i]
    need = 1 if lead < 0x80 else 2 if lead >= 0xC0 and lead < 0xE0 else 3 if lead < 0xF0 else 4
    return n if n - i >= need else i


def __getattr__(name: str) -> Any:
    """The engine and rule types, imported on first use (start-up: a scan of a tree without
    files, and every other command, never loads the ~700 rules' modules)."""
    if name == "SecretEngine":
        from pipesec.scanners.secrets.engine import SecretEngine

        return SecretEngine
    if name in ("SecretMatch", "SecretRule"):
        from pipesec.scanners.secrets.rules import base

        return getattr(base, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "SecretEngine",
    "SecretMatch",
    "SecretRule",
    "SecretsScanner",
    "engine_for",
    "make_finding",
]
