"""Hostile files never make a cataloguer raise: every one gets random and mutated input and
answers with packages and problem lines only."""

from __future__ import annotations

import contextlib
import gzip
import io
import zipfile
from collections.abc import Iterable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipesec.scanners.containers.installed import (
    binaries,
    binfmt,
    dotnet,
    golang,
    java,
    node,
    php,
    python,
    ruby,
    rust,
)
from pipesec.scanners.containers.interface import FileTooLarge

FIXTURES = Path(__file__).parents[2] / "fixtures" / "containers" / "installed"
FUZZ = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


class MemorySource:
    def __init__(self, files: dict[str, bytes]) -> None:
        self.files = files

    def paths(self) -> Iterable[str]:
        return list(self.files)

    def size(self, path: str) -> int:
        return len(self.files[path])

    def read(self, path: str, limit: int) -> bytes:
        data = self.files[path]
        if len(data) > limit:
            raise FileTooLarge(path)
        return data

    def origin(self, path: str) -> str:
        return ""


CASES = [
    (python, "/usr/lib/python3/site-packages/x-1.dist-info/METADATA"),
    (node, "/app/node_modules/x/package.json"),
    (java, "/opt/x.jar"),
    (dotnet, "/app/x.deps.json"),
    (ruby, "/usr/lib/ruby/specifications/x-1.0.gemspec"),
    (php, "/var/www/vendor/composer/installed.json"),
    (binaries, "/usr/local/bin/x"),
]


@pytest.mark.parametrize(("mod", "path"), CASES, ids=[m.__name__.rsplit(".")[-1] for m, _ in CASES])
@FUZZ
@given(raw=st.binary(max_size=400))
def test_random_bytes(mod: object, path: str, raw: bytes) -> None:
    assert mod.wants(path)  # type: ignore[attr-defined]
    pkgs, problems = mod.catalog(MemorySource({path: raw}), [path])  # type: ignore[attr-defined]
    assert all(isinstance(p, str) and "\n" not in p for p in problems)
    assert all(p.path == path for p in pkgs)


MEMBERS = ["META-INF/MANIFEST.MF", "lib/x.jar", "a.war", "META-INF/maven/g/a/pom.properties"]


@FUZZ
@given(
    entries=st.dictionaries(
        st.sampled_from(
            ["META-INF/MANIFEST.MF", "lib/x.jar", "a.war", "META-INF/maven/g/a/pom.properties"]
        )
        | st.text(alphabet="abMETA-INF/.jr", min_size=1, max_size=30),
        st.binary(max_size=200),
        max_size=5,
    )
)
def test_random_archives(entries: dict[str, bytes]) -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, data in entries.items():
            zf.writestr(name, data)
    inner = buf.getvalue()
    with zipfile.ZipFile(buf := io.BytesIO(), "w") as zf:
        zf.writestr("WEB-INF/lib/inner.jar", inner)
        zf.writestr("META-INF/maven/g/a/pom.properties", b"".join(entries.values())[:200])
    java.catalog(MemorySource({"/a.war": buf.getvalue()}), ["/a.war"])


HEADS = [b"\x7fELF\x02\x01", b"\x7fELF\x01\x02", b"MZ", b"\xcf\xfa\xed\xfe", b"\xfe\xed\xfa\xce"]
GO = gzip.decompress((FIXTURES / "shop-api.gz").read_bytes())
GO_AT = GO.find(golang.MAGIC)


@FUZZ
@given(at=st.integers(0, 200), junk=st.binary(min_size=1, max_size=24))
def test_mutated_go_build_info(at: int, junk: bytes) -> None:
    data = GO[: GO_AT + at] + junk + GO[GO_AT + at + len(junk) :]
    with contextlib.suppress(ValueError):
        golang.read_buildinfo(data)


@FUZZ
@given(
    raw=st.binary(max_size=600),
    head=st.sampled_from(
        [b"\x7fELF\x02\x01", b"\x7fELF\x01\x02", b"MZ", b"\xcf\xfa\xed\xfe", b"\xfe\xed\xfa\xce"]
    ),
)
def test_random_binary_headers(raw: bytes, head: bytes) -> None:
    data = head + raw
    binfmt.sections(data)
    for reader in (golang.read_buildinfo, rust.read_auditable):
        with contextlib.suppress(ValueError):
            reader(data)
    with contextlib.suppress(ValueError):
        golang.read_buildinfo(data + golang.MAGIC + raw[:40])


def test_elf_section_table_offset_beyond_any_file() -> None:
    # found by the fuzz test above: an ELF64 header whose section-header offset does not fit
    # in a C ssize_t made struct raise OverflowError
    raw = b"\x80" + b"\x00" * 11 + b"\x01\x01" + b"\x00" * 13
    data = b"\x7fELF\x02\x01" + raw
    assert binfmt.sections(data) == []
    with contextlib.suppress(ValueError):
        golang.read_buildinfo(data + golang.MAGIC + raw[:40])
