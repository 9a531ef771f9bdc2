"""``unverified-download``: whether a downloaded file is run later in the script (iacfix,
session 17). The check searched the rest of the script once per download (review16:
16,000 ``curl -o`` lines in one step, 6 s); ``shell._Later`` indexes the script once. It
must answer what the per-download search (``shell._runs_after``) answered: these tests
hold it to that search over the rest of the script, built as the old code built it."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from pipesec.scanners.pipelines import shell


def _old(text: str, after: str) -> list[tuple[int, str, bool]]:
    out = []
    for m in shell.DOWNLOAD_TO.finditer(text):
        target = (m.group("c") or m.group("w") or "").strip("'\"")
        base = target.rsplit("/", 1)[-1]
        if not base or base in ("-", "/dev/null"):
            continue
        sep = re.compile(r"&&|;|\n|\|\|").search(text, m.end())
        rest = (text[sep.start() :] if sep else "") + "\n" + after
        out.append((m.start(), base, shell._runs_after(rest, base)))
    return out


def _new(text: str, after: str) -> list[tuple[int, str, bool]]:
    found = []
    for m in shell.DOWNLOAD_TO.finditer(text):
        target = (m.group("c") or m.group("w") or "").strip("'\"")
        base = target.rsplit("/", 1)[-1]
        if base and base not in ("-", "/dev/null"):
            found.append((m, base))
    later = shell._Later(text, after, {b for _, b in found if shell._TOKEN.fullmatch(b)})
    return [(m.start(), b, later.runs(b, m.end())) for m, b in found]


_WORDS = st.sampled_from(
    ["curl", "wget", "-o", "-sLo", "-O", "--output", "--output=t", "--output-document=t", "t",
     "t.sh", "/usr/bin/t", "./t", "./t.sh", "sh", "bash", "t+1", "./t+1", "&t", "chmod", "+x",
     "755", "644", "dpkg", "-i", "install", "-m", "cat", "x-t", "t.", "'t'", '"t.sh"', "é"]
)  # fmt: skip
_GAPS = st.sampled_from([" ", " ", "  ", "\t", " | ", " && ", ";", "\n", " || ", "&&"])


@settings(max_examples=600, deadline=None)
@given(
    st.lists(st.tuples(_WORDS, _GAPS), max_size=24),
    st.lists(st.tuples(_WORDS, _GAPS), max_size=8),
)
def test_later_runs_answers_what_the_per_download_search_did(
    parts: list[tuple[str, str]], later: list[tuple[str, str]]
) -> None:
    text = "".join(w + g for w, g in parts)
    after = "".join(w + g for w, g in later)
    assert _new(text, after) == _old(text, after)


def test_many_downloads_in_one_step_are_judged_each() -> None:
    # every other download is run (chmod +x and ./name), the rest only named
    lines = []
    for i in range(300):
        lines.append(f"curl -fsSLo tool{i} https://example.com/tool{i}")
        lines.append(f"./tool{i} --version" if i % 2 else f"cat tool{i}")
    text = "\n".join(lines)
    got = _new(text, "")
    assert got == _old(text, "")
    assert sum(r for _, _, r in got) == 150
