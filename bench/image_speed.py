"""How long pipesec takes to scan a container image (issue 17's target: < 10 s on one core).

Builds an OCI layout with ~500 OS packages (a dpkg status database), 1,000 Python packages
(dist-info directories) and ~200 MB of files (text and binary), then times a first scan
(every layer indexed and secret-scanned) and a second one (the layer cache), pinned to one
core. Peer figures: Trivy and Grype are Go binaries that are neither on PyPI nor in Debian's
or npm's registries, the only ones this machine reaches: no peer figure is printed.

    .venv/bin/python bench/image_speed.py [--mb 200]
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.scanners.containers.imagebuild import File, Link, Spec, write_oci_dir


def _dpkg_status(n: int) -> bytes:
    out = []
    for i in range(n):
        out.append(
            f"Package: pkg{i}\nStatus: install ok installed\nPriority: optional\n"
            f"Section: libs\nInstalled-Size: {100 + i}\nMaintainer: Bench <b@example.invalid>\n"
            f"Architecture: amd64\nSource: src{i // 3}\nVersion: 1.{i}.0-1\n"
            f"Description: bench package {i}\n long description line\n"
        )
    return "\n".join(out).encode()


def _python(n: int) -> dict[str, object]:
    files: dict[str, object] = {}
    for i in range(n):
        base = f"/usr/lib/python3/dist-packages/bench_pkg{i}-2.{i}.0.dist-info"
        files[f"{base}/METADATA"] = (
            f"Metadata-Version: 2.1\nName: bench-pkg{i}\nVersion: 2.{i}.0\nLicense: MIT\n\n"
        ).encode()
        files[f"{base}/RECORD"] = f"bench_pkg{i}/__init__.py,,\n".encode()
        files[f"/usr/lib/python3/dist-packages/bench_pkg{i}/__init__.py"] = (
            f'"""bench package {i}"""\n\nVALUE = {i}\n'.encode()
        )
    return files


def _bulk(mb: int) -> list[dict[str, object]]:
    """~mb MB in two layers: a quarter text (source-like), the rest binary."""
    rnd = random.Random(17)
    text_line = b"def handler(event, context):  # process the request and return\n"
    layers: list[dict[str, object]] = [{}, {}]
    size = 0
    i = 0
    while size < mb << 20:
        if i % 4 == 0:
            data = text_line * (256 * 1024 // len(text_line))
            layers[0][f"/srv/app/src/module{i}.py"] = data
        else:
            data = b"\x7fELF\x02\x01\x01\x00" + rnd.randbytes(1 << 20)
            layers[1][f"/usr/lib/x86_64-linux-gnu/libbench{i}.so"] = File(data, 0o755)
        size += len(data)
        i += 1
    return layers


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--mb", type=int, default=200)
    args = ap.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})
    from pipesec.core.model import Component, Finding, Note
    from pipesec.core.scanner import ScannerSettings
    from pipesec.core.workspace import Workspace
    from pipesec.scanners.containers import ContainersScanner

    with tempfile.TemporaryDirectory() as tmp:
        base = {
            "/etc/os-release": b'PRETTY_NAME="Debian GNU/Linux 12"\nID=debian\nVERSION_ID="12"\n',
            "/etc/debian_version": b"12.5\n",
            "/var/lib/dpkg/status": _dpkg_status(500),
            "/bin/sh": Link("dash"),
        }
        spec = Spec(layers=[base, _python(1000), *_bulk(args.mb)], user="10001")
        started = time.perf_counter()
        write_oci_dir(Path(tmp) / "img", spec)
        built = time.perf_counter() - started
        os.environ["PIPESEC_IMAGE_CACHE"] = str(Path(tmp) / "cache")
        settings = ScannerSettings(inputs={"image": [str(Path(tmp) / "img")]})
        ws = Workspace(Path(tmp), files=[], mode="image")
        figures = []
        for label in ("first scan", "second scan (layer cache)"):
            started = time.perf_counter()
            cpu = time.process_time()
            items = list(ContainersScanner().scan(ws, settings))
            took = time.perf_counter() - started
            cpu = time.process_time() - cpu
            comps = sum(isinstance(i, Component) for i in items)
            found = sum(isinstance(i, Finding) for i in items)
            cached = [i.message for i in items if isinstance(i, Note) and i.kind == "cache"]
            figures.append((label, took, cpu, comps, found, cached))
    print(
        f"image: ~{args.mb} MB of files, 500 dpkg packages, 1,000 Python packages "
        f"(built in {built:.1f} s)"
    )
    for label, took, cpu, comps, found, cached in figures:
        extra = f"; {cached[0]}" if cached else ""
        print(
            f"pipesec {label}: {took:.2f} s wall, {cpu:.2f} s CPU on one core "
            f"({comps} components, {found} findings{extra})"
        )
    print("target: < 10 s on one core")
    print(
        "trivy, grype: not installable here (Go binaries; not on PyPI, Debian or npm, the "
        "only registries this machine reaches): no peer figure"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
