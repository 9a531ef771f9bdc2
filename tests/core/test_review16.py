"""Session 16's review (review16): per-finding costs that grew with the line or the script.

A snippet was built from the whole line for every finding on it (``redact.redact_line`` and
``trim_snippet`` copied, stripped and tested the line): 16,000 findings on one 1 MB
``run:`` line cost 7 s; the pipelines' shell rules located each hit by counting its text
from the script's start (``shell._span``) and searched with patterns that re-read a
command from every repeat of its head (``curl -k`` 16,000 times: 37 s, now 2.8 s). The new
code must answer what the old one did: these tests hold it to copies of the old code."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from pipesec.core import redact
from pipesec.core.yamlpos import iter_documents
from pipesec.scanners.pipelines import shell


def _old_trim(line: str, focus: int = 0, max_len: int = 200) -> str:
    line = line.rstrip("\r\n").replace("\t", " ")
    if not line.isprintable():
        line = "".join(ch if ch.isprintable() else "\ufffd" for ch in line)
    if len(line) <= max_len:
        return line.strip()
    half = max_len // 2
    begin = max(0, min(focus - half, len(line) - max_len))
    cut = line[begin : begin + max_len]
    prefix = "..." if begin > 0 else ""
    suffix = "..." if begin + max_len < len(line) else ""
    at = focus - begin
    if prefix:
        first = redact._TOKEN_END.search(cut, 0, max(0, at))
        if first:
            cut, at = cut[first.start() :], at - first.start()
    if suffix:
        last = redact._LAST_TOKEN_END.match(cut, max(0, at))
        if last:
            cut = cut[: last.end()]
    return (prefix + cut + suffix).strip()


def _old_redact_line(line: str, start: int, end: int, max_len: int = 200) -> str:
    start = max(0, min(start, len(line)))
    end = max(start, min(end, len(line)))
    redacted = line[:start] + redact.preview(line[start:end]) + line[end:]
    return _old_trim(redacted, start, max_len)


_LINES = st.text(alphabet="ab c\t\r\n\x01/:@'\"=é", max_size=400) | st.builds(
    lambda a, n, b: a + "x y" * n + b,
    st.text(alphabet="ab\t\r", max_size=20),
    st.integers(0, 300),
    st.text(alphabet="ab \r\n", max_size=20),
)


@settings(max_examples=400)
@given(_LINES, st.integers(-5, 1_000), st.integers(-5, 1_000), st.sampled_from([10, 40, 200]))
def test_snippets_of_long_lines_are_the_same(line: str, a: int, b: int, max_len: int) -> None:
    assert redact.trim_snippet(line, focus=a, max_len=max_len) == _old_trim(line, a, max_len)
    assert redact.redact_line(line, a, b, max_len=max_len) == _old_redact_line(line, a, b, max_len)


_OLD_SHELL = {
    "CURL_PIPE": re.compile(r"\b(?:curl|wget)\b[^|;&\n]*\|\s*(?:" + shell._SH + r")"),
    "DOCKER_LOGIN": re.compile(
        r"\b(?:docker|podman|buildah|nerdctl)\s+login\b(?P<args>[^\n;&|]*?)"
        r"(?P<flag>\s(?:-p|--password)(?:\s+|=))(?P<value>\"[^\"]*\"|'[^']*'|\S+)"
    ),
    "TLS_OFF": re.compile(
        r"\bcurl\b[^\n|;]*?\s(?:--insecure\b|-[a-zA-Z]*k[a-zA-Z]*\b)"
        r"|\bwget\b[^\n|;]*--no-check-certificate"
        r"|GIT_SSL_NO_VERIFY\s*[=:]\s*[\"']?(?:1|true)"
        r"|http\.sslVerify\s+(?:false|0)"
        r"|strict-ssl\s+false"
        r"|NODE_TLS_REJECT_UNAUTHORIZED\s*=\s*[\"']?0"
        r"|\bpip3?\b[^\n|;]*--trusted-host"
        r"|--insecure-skip-tls-verify(?:=true)?\b"
        r"|PYTHONHTTPSVERIFY\s*=\s*[\"']?0",
        re.IGNORECASE,
    ),
    "SSH_NOCHECK": re.compile(
        r"StrictHostKeyChecking[\s=]+(?:no|off|accept-new)\b"
        r"|UserKnownHostsFile[\s=]+/dev/null"
        r"|\bssh-keyscan\b[^\n]*>>?\s*\S*known_hosts",
        re.IGNORECASE,
    ),
    "DOWNLOAD_TO": re.compile(
        r"\b(?:curl\b[^\n|;]*?\s(?:-[a-zA-Z]*o\s*|--output[\s=])(?P<c>\S+)"
        r"|wget\b[^\n|;]*?\s(?:-[a-zA-Z]*O\s*|--output-document[\s=])(?P<w>\S+))"
    ),
}
_WORDS = st.sampled_from(
    ["curl", "wget", "CURL", "-k", "-sk", "--insecure", "-o", "-O", "out.sh", "--output=x",
     "sh", "bash", "sudo", "python3", "docker", "podman", "login", "-p", "--password", "$PW",
     "'pw'", "pip", "--trusted-host", "ssh-keyscan", ">>", "~/.ssh/known_hosts",
     "StrictHostKeyChecking=no", "--no-check-certificate", "x", "http://a"]
)  # fmt: skip
_GAPS = st.sampled_from([" ", " ", "  ", "\t", " | ", "|", " && ", ";", "&", "\n", " \n "])


@settings(max_examples=500)
@given(st.lists(st.tuples(_WORDS, _GAPS), max_size=16))
def test_shell_patterns_find_what_the_single_regexes_found(parts: list[tuple[str, str]]) -> None:
    text = "".join(w + g for w, g in parts)
    for name, old in _OLD_SHELL.items():
        new = getattr(shell, name)
        want = [(m.start(), m.group(), m.groupdict()) for m in old.finditer(text)]
        got = [(m.start(), m.group(), m.groupdict()) for m in new.finditer(text)]
        assert got == want, name
        first = old.search(text)
        found = new.search(text)
        assert (first and first.span()) == (found and found.span()), name


@settings(max_examples=300)
@given(
    st.text(alphabet="ab c", max_size=60),
    st.lists(st.tuples(st.integers(0, 70), st.sampled_from(["ab", "a b", "b", "ba", "aa"]))),
)
def test_spans_find_the_occurrence_the_old_count_named(
    body: str, hits: list[tuple[int, str]]
) -> None:
    doc = next(iter(iter_documents("x.yml", f"run: '{body}'\n")))
    node = doc.root.get("run") if doc.root is not None else None
    assert node is not None
    text = str(node.value)
    spans = shell._Spans(node, text)
    for start, sub in sorted(hits) + hits:  # in order, then out of order
        assert spans.find(start, sub) == node.find(sub, text.count(sub, 0, start))
        assert spans.at(start, sub) == shell._span(node, text, start, sub)
