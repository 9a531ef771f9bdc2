"""Which distribution an image is: ``/etc/os-release`` (or ``/usr/lib/os-release``), with
``/etc/alpine-release`` and ``/etc/debian_version`` as fall-backs, into :class:`OsInfo`
(its OSV ecosystem and purl namespace)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from pipesec.scanners.containers.os.files import read_text

#: os-release ID -> (OSV ecosystem name, purl type, purl namespace)
FAMILIES: dict[str, tuple[str, str, str]] = {
    "debian": ("Debian", "deb", "debian"),
    "ubuntu": ("Ubuntu", "deb", "ubuntu"),
    "alpine": ("Alpine", "apk", "alpine"),
    "almalinux": ("AlmaLinux", "rpm", "almalinux"),
    "rocky": ("Rocky Linux", "rpm", "rocky"),
    "rhel": ("Red Hat", "rpm", "redhat"),
    "centos": ("", "rpm", "centos"),
    "fedora": ("", "rpm", "fedora"),
    "ol": ("", "rpm", "oracle"),
    "amzn": ("", "rpm", "amazonlinux"),
    "opensuse-leap": ("openSUSE", "rpm", "opensuse"),
    "sles": ("SUSE", "rpm", "suse"),
    "wolfi": ("Wolfi", "apk", "wolfi"),
    "chainguard": ("Chainguard", "apk", "chainguard"),
}

_LINE = re.compile(r"^([A-Z][A-Z0-9_]*)=(.*)$")
_MAX = 64 * 1024


@dataclass(frozen=True, slots=True)
class OsInfo:
    id: str  # os-release ID: "debian", "ubuntu", "alpine", "almalinux", "rocky", ...
    version_id: str  # "12", "22.04", "3.19.1", "9.3" ("" when unknown)
    pretty_name: str = ""
    codename: str = ""
    path: str = ""  # the file it was read from

    @property
    def family(self) -> str:
        """The OSV ecosystem name without release ("Debian"); "" when OSV has none."""
        return FAMILIES.get(self.id, ("", "", ""))[0]

    @property
    def release(self) -> str:
        """The release as OSV ecosystems spell it: Debian "12", Ubuntu "22.04", Alpine
        "v3.19", the rpm distributions their major version "9"."""
        v = self.version_id
        if self.id == "alpine":
            parts = v.split(".")
            return f"v{parts[0]}.{parts[1]}" if len(parts) >= 2 else (f"v{v}" if v else "")
        if self.id in ("debian", "almalinux", "rocky", "rhel", "centos", "ol"):
            return v.split(".", 1)[0]
        return v

    @property
    def ecosystem(self) -> str:
        """The OSV ecosystem of the image's OS packages ("Debian:12", "Ubuntu:22.04",
        "Alpine:v3.19", "AlmaLinux:9", "Rocky Linux:9"); "" when OSV has none for it."""
        if not self.family:
            return ""
        return f"{self.family}:{self.release}" if self.release else self.family

    @property
    def purl_type(self) -> str:
        return FAMILIES.get(self.id, ("", "", ""))[1]

    @property
    def purl_namespace(self) -> str:
        return FAMILIES.get(self.id, ("", "", self.id))[2] or self.id

    @property
    def distro_qualifier(self) -> str:
        """The purl ``distro`` qualifier: "debian-12", "ubuntu-22.04", "alpine-3.19.1"."""
        return f"{self.id}-{self.version_id}" if self.version_id else self.id


def parse_os_release(text: str) -> dict[str, str]:
    """KEY=value lines (values may be quoted, with backslash escapes); others ignored."""
    out: dict[str, str] = {}
    for raw in text.split("\n"):
        m = _LINE.match(raw.strip())
        if not m:
            continue
        key, value = m.groups()
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
            value = re.sub(r"\\(.)", r"\1", value[1:-1])
        out[key] = value
    return out


def _clean(value: str, limit: int = 100) -> str:
    return "".join(c for c in value if c.isprintable())[:limit]


def detect_os(fs: object, problems: list[str]) -> OsInfo | None:
    """The image's OS, or None when no release file says (problems get one-line notes
    about files that exist but cannot be read)."""
    for path in ("/etc/os-release", "/usr/lib/os-release"):
        text = read_text(fs, path, _MAX, problems)
        if text is None:
            continue
        fields = parse_os_release(text)
        os_id = _clean(fields.get("ID", "").lower(), 40)
        if not os_id:
            problems.append(f"{path}: no ID= line")
            continue
        version = _clean(fields.get("VERSION_ID", ""), 40)
        if not version and os_id == "debian":
            # testing/sid have no VERSION_ID; debian_version says "trixie/sid"
            dv = read_text(fs, "/etc/debian_version", 256, problems) or ""
            version = _debian_major(dv)
        return OsInfo(
            os_id,
            version,
            _clean(fields.get("PRETTY_NAME", "")),
            _clean(fields.get("VERSION_CODENAME", ""), 40),
            path,
        )
    alpine = read_text(fs, "/etc/alpine-release", 256, problems)
    if alpine is not None and alpine.strip():
        return OsInfo("alpine", _clean(alpine.strip(), 40), path="/etc/alpine-release")
    debian = read_text(fs, "/etc/debian_version", 256, problems)
    if debian is not None and debian.strip():
        return OsInfo("debian", _debian_major(debian), path="/etc/debian_version")
    return None


def _debian_major(text: str) -> str:
    m = re.match(r"\s*(\d+)", text)
    return m.group(1) if m else ""
