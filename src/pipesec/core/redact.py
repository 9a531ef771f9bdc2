"""The one redaction helper. Every secret passes through here before a Finding exists.

A preview shows at most the first 4 characters of a value and never more than a quarter
of it; the rest is masked with a fixed-width mask, so the preview does not even reveal
the value's length.
"""

from __future__ import annotations

import bisect
import functools
import logging
import re
import threading
from collections.abc import Callable, Iterable, Sequence

MASK = "*****"


def preview(value: str) -> str:
    """Return a redacted preview of ``value`` (at most 4 chars, at most len/4 chars)."""
    shown = min(4, len(value) // 4)
    return value[:shown] + MASK


def redact_line(line: str, start: int, end: int, *, max_len: int = 200) -> str:
    """Return ``line`` with ``line[start:end]`` replaced by its preview, trimmed to max_len.

    Offsets are character offsets within ``line``.
    """
    start = max(0, min(start, len(line)))
    end = max(start, min(end, len(line)))
    shown = preview(line[start:end])
    if len(line) - (end - start) > 4 * max_len:
        # a long line (many findings on one minified line): only the part the snippet can
        # show is built, so a finding costs its window, not its whole line (a 1 MB one-line
        # script with 16,000 findings cost 7 s here; review16). The same result.
        trailing = 0
        while trailing < len(line) - end and line[len(line) - 1 - trailing] in "\r\n":
            trailing += 1
        total = start + len(shown) + len(line) - end - trailing
        if total > max_len:
            begin = max(0, min(start - max_len // 2, total - max_len))
            stop = begin + max_len
            head = line[begin : min(start, stop)] if begin < start else ""
            mid_a, mid_b = max(begin - start, 0), min(stop - start, len(shown))
            mid = shown[mid_a:mid_b] if mid_a < mid_b else ""
            tail_a = max(begin, start + len(shown)) - start - len(shown) + end
            tail_b = stop - start - len(shown) + end
            tail = line[tail_a:tail_b] if tail_a < tail_b else ""
            return _trimmed(head + mid + tail, begin, total, start, max_len)
    redacted = line[:start] + shown + line[end:]
    return trim_snippet(redacted, focus=start, max_len=max_len)


def redact_values(text: str, values: list[str] | tuple[str, ...]) -> str:
    """Replace each occurrence of every value in ``values`` by its preview."""
    for value in sorted(set(values), key=len, reverse=True):
        if value and value in text:
            text = text.replace(value, preview(value))
    return text


def trim_snippet(line: str, *, focus: int = 0, max_len: int = 200) -> str:
    """Keep a snippet short and printable, centred on ``focus`` when it must be cut."""
    if len(line) > 4 * max_len:
        # a long line: only the cut is made printable (each finding on a minified line
        # paid for the whole line; review16), the same result
        total = len(line)
        while total and line[total - 1] in "\r\n":
            total -= 1
        if total > max_len:
            begin = max(0, min(focus - max_len // 2, total - max_len))
            return _trimmed(line[begin : begin + max_len], begin, total, focus, max_len)
    line = line.rstrip("\r\n").replace("\t", " ")
    if not line.isprintable():
        line = "".join(ch if ch.isprintable() else "\ufffd" for ch in line)
    if len(line) <= max_len:
        return line.strip()
    half = max_len // 2
    begin = max(0, min(focus - half, len(line) - max_len))
    return _trimmed(line[begin : begin + max_len], begin, len(line), focus, max_len)


def _trimmed(cut: str, begin: int, total: int, focus: int, max_len: int) -> str:
    """The snippet of a line of ``total`` characters whose ``max_len`` from ``begin`` are
    ``cut`` (tabs and unprintable characters made plain here when not yet)."""
    cut = cut.replace("\t", " ")
    if not cut.isprintable():
        cut = "".join(ch if ch.isprintable() else "\ufffd" for ch in cut)
    prefix = "..." if begin > 0 else ""
    suffix = "..." if begin + max_len < total else ""
    # a cut can halve another credential (a URL's password without its scheme), which no
    # detector recognises afterwards: the partial tokens at the cut edges are dropped
    at = focus - begin
    if prefix:
        first = _TOKEN_END.search(cut, 0, max(0, at))
        if first:
            cut, at = cut[first.start() :], at - first.start()
    if suffix:
        last = _LAST_TOKEN_END.match(cut, max(0, at))
        if last:
            cut = cut[: last.end()]
    return (prefix + cut + suffix).strip()


#: where a token ends: whitespace, quotes, commas, semicolons, brackets
_TOKEN_END = re.compile(r"[\s\"'`,;()\[\]{}<>]")
#: everything up to and including the last token end (the greedy run backs off from the end)
_LAST_TOKEN_END = re.compile(r"(?s:.*)" + _TOKEN_END.pattern)


# -- the one redactor of free text ------------------------------------------------------
#
# Every free-text field that reaches a report, a log line or an error (messages, snippets,
# suppression reasons, error lines, rule examples) passes through :func:`redact_text` or
# :func:`redact_texts`. Two layers find what to mask:
#
# * credential *shapes* core knows without any scanner: the password of a URL's userinfo
#   (``https://user:PASSWORD@host``), command-line credentials (``curl -u user:$PASSWORD``,
#   ``--password X``, ``docker login -p X``), ``Authorization:`` headers, secret query
#   parameters and assignments to secret-named variables (``DB_PASSWORD=X``);
# * registered *detectors*: functions that return the spans of the secrets they recognise.
#   Scanners contribute them through the entry point group ``pipesec.redactors`` (the
#   secrets scanner registers its engine there), loaded on first use, so core never imports
#   a scanner and a scan that has nothing to redact never pays for one.

#: a detector returns the (start, end) character spans of the secrets it finds in a text
Detector = Callable[[str], Iterable[tuple[int, int]]]
DETECTOR_GROUP = "pipesec.redactors"

_detectors: dict[str, Detector] = {}
_entry_points_loaded = False
_lock = threading.Lock()
_busy = threading.local()

log = logging.getLogger(__name__)


def register_detector(name: str, detector: Detector) -> None:
    """Add (or replace) the detector called ``name``; used by scanners and tests."""
    with _lock:
        _detectors[name] = detector


def unregister_detector(name: str) -> None:
    with _lock:
        _detectors.pop(name, None)


def detectors() -> list[Detector]:
    """The registered detectors, loading the ``pipesec.redactors`` entry points once."""
    global _entry_points_loaded
    with _lock:
        if not _entry_points_loaded:
            _entry_points_loaded = True
            from pipesec.core.entrypoints import entry_points  # not importlib.metadata's

            for ep in entry_points(DETECTOR_GROUP):
                if ep.name in _detectors:
                    continue
                try:
                    _detectors[ep.name] = ep.load()
                except Exception as exc:  # a broken plugin must not stop a report
                    log.warning("cannot load redactor %s: %s", ep.name, type(exc).__name__)
        return list(_detectors.values())


#: a value that names where a secret comes from instead of holding it
_PLACEHOLDER = re.compile(r"^(?:[$%<*]|\{\{)")
#: ... and in an assignment, also a call, an index or an attribute (settings.API_TOKEN)
_REFERENCE = re.compile(r"[(\[{]|^[A-Za-z_]\w*\.[A-Za-z_][\w.]*$")
#: ... or a plain word of prose ("scanners.secrets: unknown key", "token: verify-endpoint:")
_WORD = re.compile(r"[A-Za-z][a-z]*(?:[-_][a-z]+)*[:;,.]?")
#: values of secret-named keys that are no secret (GitHub permissions, booleans, modes)
_NOT_VALUES = frozenset(
    {
        *("true", "false", "null", "none", "nil", "yes", "no", "read", "write", "inherit"),
        *("required", "optional", "masked", "hidden", "redacted", "changeme"),
        *("bearer", "basic", "token", "digest", "bot"),
    }
)
_Q = "['\"]?"
_V = r"[^\s'\"`]"


#: literals every match of a shape contains: one of each group, in lower case. On ASCII
#: text, where ``(?i)`` is plain lower-casing, a text that lacks a group cannot match the
#: shape and skips it: most texts (rule metadata, messages) carry none of the keywords, and
#: the shapes are most of a small scan's redaction time. Non-ASCII text is always scanned in
#: full (``(?i)`` also matches U+017F, the long s, as ``s`` and U+212A, the Kelvin sign, as
#: ``k``).
Needs = tuple[tuple[str, ...], ...]


@functools.cache
def _shapes() -> dict[str, tuple[re.Pattern[str], Needs]]:
    """The credential shapes by name, each with its literals (``Needs``), compiled on first
    use (not at import: start-up is measured). ``assignment`` is the last one tried."""
    return {
        # scheme://user:PASSWORD@host, or a bare token as the user: scheme://TOKEN@host
        "url-userinfo": (
            re.compile(
                rf"(?i)\b[a-z][a-z0-9+.\-]*://(?:[^/\s@:'\"`]*:([^/\s@'\"`]+)|({_V}{{12,}}))@"
            ),
            (("://",), ("@",)),
        ),
        # curl -u user:$PASSWORD, --user, --proxy-user
        "user-flag": (
            re.compile(
                rf"(?<![\w-])(?:-u|-U|--user|--proxy-user)(?:\s+|=)?{_Q}[^\s:'\"`]*:({_V}+)"
            ),
            (("-u",), (":",)),
        ),
        # --password X, --token=X, --api-key X, --client-secret X ...
        "secret-flag": (
            re.compile(
                r"(?i)(?<![\w-])--?[\w-]*(?:password|passwd|pwd|token|secret|api-?key|access-?key"
                rf"|private-?key|credentials?)(?:=|\s+){_Q}({_V}+)"
            ),
            (("-",), ("passw", "pwd", "token", "secret", "key", "credential")),
        ),
        # docker/podman/helm ... login -p X
        "login-p": (
            re.compile(rf"\blogin\b[^\n]*?\s-p(?:\s+|=)?{_Q}({_V}+)"),
            (("login",), ("-p",)),
        ),
        # Authorization: Bearer X, Private-Token: X, X-Api-Key: X
        "auth-header": (
            re.compile(
                r"(?i)\b(?:authorization|proxy-authorization|private-token|job-token|x-api-key"
                rf"|api-key|x-auth-token)\s*[:=]\s*{_Q}(?:(?:bearer|basic|token|bot|digest)\s+)?"
                rf"({_V}{{4,}})"
            ),
            (
                ("authorization", "private-token", "job-token", "api-key", "x-auth-token"),
                (":", "="),
            ),
        ),
        # ?access_token=X&sig=X
        "query-parameter": (
            re.compile(
                r"(?i)[?&;](?:access_token|auth_token|token|api_?key|key|password|passwd|pwd|secret"
                r"|client_secret|sig|signature|private_token|auth)=([^&\s'\"`#]+)"
            ),
            (("=",),),
        ),
        # DB_PASSWORD=X, password: X, "api_key": "X", ENV SECRET_KEY "X"
        "assignment": (
            re.compile(
                r"(?i)(?<![\w.-])[\w.-]*(?:password|passwd|pwd|secret|token|api_?key|apikey"
                r"|access_?key|private_?key|credentials?|auth)[\w-]*['\"]?"
                rf"(?:\s*[:=]\s*|\s+(?=['\"]))['\"]?({_V}{{4,}})"
            ),
            (
                ("passw", "pwd", "secret", "token", "key", "credential", "auth"),
                (":", "=", "'", '"'),
            ),
        ),
    }


def _may_match(low: str, needs: Needs) -> bool:
    return all(any(word in low for word in group) for group in needs)


def _shape_spans(text: str, *, prefilter: bool = True) -> list[tuple[int, int]]:
    spans = []
    low = text.lower() if prefilter and text.isascii() else None
    for name, (pattern, needs) in _shapes().items():
        if low is not None and not _may_match(low, needs):
            continue
        assignment = name == "assignment"
        for m in pattern.finditer(text):
            for g in range(1, (m.lastindex or 0) + 1):
                value = m.group(g)
                if not value:
                    continue
                bare = value.rstrip(",;)]}").lower()
                if _PLACEHOLDER.search(value) or bare in _NOT_VALUES or MASK in value:
                    continue
                if assignment and (_REFERENCE.search(value) or _WORD.fullmatch(value)):
                    continue
                spans.append((m.start(g), m.end(g)))
    return spans


def _mask_spans(text: str, spans: Iterable[tuple[int, int]]) -> str:
    """Replace each span by its preview; overlapping spans merge first."""
    merged: list[list[int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    for start, end in reversed(merged):
        value = text[start:end]
        if MASK not in value:
            text = text[:start] + preview(value) + text[end:]
    return text


def redact_text(text: str) -> str:
    """``text`` with every credential the shapes or a detector recognise masked."""
    return redact_texts([text])[0] if text else text


def _detector_spans(unique: list[str], found: dict[str, list[tuple[int, int]]]) -> None:
    """Add each detector's spans to ``found``: one call per detector over the texts joined
    by blank lines, the spans mapped back to the texts they fall in."""
    active = detectors()
    if not active:
        return
    joined = "\n\n".join(unique)
    starts = []
    pos = 0
    for t in unique:
        starts.append(pos)
        pos += len(t) + 2
    for detect in active:
        try:
            spans = sorted(detect(joined))
        except Exception as exc:  # a detector's failure must not stop a report
            log.warning("redactor failed: %s", type(exc).__name__)
            continue
        for start, end in spans:
            i = bisect.bisect_right(starts, start) - 1
            if i < 0:
                continue
            t = unique[i]
            found[t].append((start - starts[i], min(end - starts[i], len(t))))
            j = i + 1  # a span across the separator continues into the following texts
            while j < len(unique) and starts[j] < end:
                found[unique[j]].append((0, min(end - starts[j], len(unique[j]))))
                j += 1


def redact_texts(texts: Sequence[str]) -> list[str]:
    """:func:`redact_text` for many texts: the detectors run once over all of them."""
    unique = list(dict.fromkeys(t for t in texts if t))
    if not unique:
        return list(texts)
    found: dict[str, list[tuple[int, int]]] = {t: _shape_spans(t) for t in unique}
    # a detector's failure is logged and log lines are redacted: shapes only in there
    if not getattr(_busy, "on", False):
        _busy.on = True
        try:
            _detector_spans(unique, found)
        finally:
            _busy.on = False
    done = {t: _mask_spans(t, s) if s else t for t, s in found.items()}
    return [done.get(t, t) for t in texts]


# -- text fit to show -----------------------------------------------------------------

#: characters that can forge or hide lines: C0 and C1 controls (newline, CR, ESC ...),
#: DEL, line/paragraph separators, bidi embeddings, overrides and isolates, lone surrogates
#: (bytes of a file name that is not UTF-8, decoded with ``surrogateescape``)
_UNSAFE = re.compile(
    "[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]"
)
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape_char(m: re.Match[str]) -> str:
    ch = m.group(0)
    named = _NAMED.get(ch)
    if named:
        return named
    code = ord(ch)
    if 0xDC80 <= code <= 0xDCFF:  # an undecodable byte kept by surrogateescape
        return f"\\x{code - 0xDC00:02x}"
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def escape_text(text: str, *, keep_newlines: bool = False) -> str:
    """``text`` with every character that could forge or hide output shown as an escape.

    Newlines, CR, tabs, C0/C1 controls, bidi controls and undecodable bytes become
    ``\\n``, ``\\x1b``, ``\\u202e``, ``\\xff`` ..., so text from the scanned tree can
    never start a line of its own; ``keep_newlines`` keeps ``\\n`` (multi-line rule
    help). A leading ``::`` (a GitHub workflow command) is escaped as ``\\::``.
    """
    if keep_newlines and "\n" in text:
        return "\n".join(escape_text(part) for part in text.split("\n"))
    if not text.isprintable():
        text = _UNSAFE.sub(_escape_char, text)
    if text.lstrip().startswith("::"):
        text = "\\" + text
    return text
