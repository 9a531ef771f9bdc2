"""Java archives: JAR, WAR, EAR (and Spring Boot's fat jars), with the archives nested in
them (``WEB-INF/lib/*.jar``, ``BOOT-INF/lib/*.jar``, an EAR's modules).

Each ``META-INF/maven/<group>/<artifact>/pom.properties`` is a package (a shaded jar holds
several). Without one, the manifest (``Implementation-Version``/``Bundle-Version``,
``Implementation-Vendor-Id``) and the file name (``name-1.2.3.jar``) give what they can.

Zip reading is bounded: the archive size, the number of members, each member's declared
size, its compression ratio (a bomb is refused and said), the nesting depth and the bytes
inflated per archive. A package found in a nested archive carries the outer file's path.
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib

from pipesec.core.lines import split_lines
from pipesec.scanners.containers.installed._common import MB, package, read
from pipesec.scanners.containers.interface import FileSource, InstalledPackage
from pipesec.scanners.deps.ecosystems import MAVEN

LIMIT = 512 * MB
MAX_MEMBERS = 65536
MAX_DEPTH = 4
MAX_NESTED = 256 * MB
MAX_RATIO = 100
#: bytes inflated in all, per outer archive (nested archives and small files)
BUDGET = 1024 * MB
SUFFIXES = (".jar", ".war", ".ear", ".rar", ".hpi", ".jpi", ".par", ".sar")
_POM = re.compile(r"^META-INF/maven/([^/]+)/([^/]+)/pom\.properties$")
_ZIP_ERRORS = (zipfile.BadZipFile, zlib.error, EOFError, ValueError, NotImplementedError, OSError)
_PROP_LINE = re.compile(r"^([^#!=:\s][^=:\s]*)\s*[=:\s]\s*(.*)$")
_FILENAME = re.compile(r"^(?P<name>.+?)-(?P<version>\d[\w.\-+]*?)(?:\.[a-z]{3})$")


def wants(path: str) -> bool:
    return path.lower().endswith(SUFFIXES)


def properties(body: str) -> dict[str, str]:
    """``key=value`` / ``key: value`` lines of a Java properties file (no escapes needed for
    the Maven coordinates it holds)."""
    out: dict[str, str] = {}
    for line in split_lines(body):
        m = _PROP_LINE.match(line.strip())
        if m:
            out.setdefault(m.group(1), m.group(2).strip())
    return out


def manifest(body: str) -> dict[str, str]:
    """Main attributes of MANIFEST.MF (72-byte lines continued with a leading space)."""
    out: dict[str, str] = {}
    last = ""
    for line in split_lines(body):
        if not line:
            break  # the main section ends at the first blank line
        if line.startswith(" ") and last:
            out[last] += line[1:]
            continue
        key, sep, value = line.partition(":")
        if sep:
            last = key.strip()
            out[last] = value.strip()
    return out


class _Budget:
    def __init__(self) -> None:
        self.left = BUDGET


class _Refused(Exception):
    pass


def _member(zf: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int, budget: _Budget) -> bytes:
    if info.file_size > limit:
        raise _Refused(f"{info.filename}: {info.file_size} bytes, over {limit // MB} MB")
    if (
        info.compress_size
        and info.file_size > MB
        and info.file_size / info.compress_size > MAX_RATIO
    ):
        raise _Refused(
            f"{info.filename}: compressed {info.file_size // info.compress_size}:1 (a zip bomb?)"
        )
    if info.file_size > budget.left:
        raise _Refused(f"{info.filename}: over the {BUDGET // MB} MB read budget of the archive")
    budget.left -= info.file_size
    return zf.read(info)


def _archive(
    data: bytes,
    label: str,
    path: str,
    depth: int,
    budget: _Budget,
    pkgs: list[InstalledPackage],
    problems: list[str],
) -> None:
    if data.count(b"PK\x01\x02") > MAX_MEMBERS:  # central directory entries, before parsing
        problems.append(f"{label}: over {MAX_MEMBERS} members; not read")
        return
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = zf.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError, OSError) as exc:
        problems.append(f"{label}: not a readable zip archive ({exc})"[:300])
        return
    if len(infos) > MAX_MEMBERS:
        problems.append(f"{label}: {len(infos)} members, over {MAX_MEMBERS}; not read")
        return
    found = 0
    man: dict[str, str] = {}
    for info in infos:
        name = info.filename
        try:
            if _POM.match(name):
                props = properties(_member(zf, info, MB, budget).decode("utf-8", "replace"))
                group, artifact = props.get("groupId", ""), props.get("artifactId", "")
                version = props.get("version", "")
                if group and artifact and version:
                    pkgs.append(package(MAVEN, f"{group}:{artifact}", version, path))
                    found += 1
            elif name == "META-INF/MANIFEST.MF":
                man = manifest(_member(zf, info, MB, budget).decode("utf-8", "replace"))
            elif name.lower().endswith(SUFFIXES) and not info.is_dir():
                if depth >= MAX_DEPTH:
                    problems.append(f"{label}!/{name}: nested deeper than {MAX_DEPTH}; not read")
                    continue
                inner = _member(zf, info, MAX_NESTED, budget)
                _archive(inner, f"{label}!/{name}", path, depth + 1, budget, pkgs, problems)
        except _Refused as exc:
            problems.append(f"{label}: {exc}; not read")
        except (
            zipfile.BadZipFile,
            zlib.error,
            EOFError,
            ValueError,
            NotImplementedError,
            OSError,
        ) as exc:
            problems.append(f"{label}!/{name}: cannot read ({type(exc).__name__})")
    if not found:
        _from_manifest(man, label.rsplit("/", 1)[-1].rsplit("!", 1)[-1], path, pkgs)


def _from_manifest(
    man: dict[str, str], filename: str, path: str, pkgs: list[InstalledPackage]
) -> None:
    m = _FILENAME.match(filename)
    version = (
        man.get("Implementation-Version")
        or man.get("Bundle-Version")
        or (m.group("version") if m else "")
    )
    artifact = m.group("name") if m else ""
    if not artifact:
        artifact = man.get("Implementation-Title", "").replace(" ", "-")
    group = man.get("Implementation-Vendor-Id", "")
    if not artifact or not version:
        return
    name = f"{group}:{artifact}" if group else artifact
    pkgs.append(package(MAVEN, name, version, path))


def catalog(fs: FileSource, paths: list[str]) -> tuple[list[InstalledPackage], list[str]]:
    pkgs: list[InstalledPackage] = []
    problems: list[str] = []
    for path in paths:
        data = read(fs, path, LIMIT, problems)
        if data is None:
            continue
        _archive(data, path, path, 0, _Budget(), pkgs, problems)
    return pkgs, problems
