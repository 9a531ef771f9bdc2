"""Just enough of ELF, PE and Mach-O to find a section by name and map a virtual address to
a file offset (for Go build info and cargo-auditable data). Every table is bounded and every
offset checked against the data: a malformed binary gives ``None``/empty, never an error.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass

MAX_SECTIONS = 4096
_MACHO = (b"\xcf\xfa\xed\xfe", b"\xce\xfa\xed\xfe", b"\xfe\xed\xfa\xcf", b"\xfe\xed\xfa\xce")


@dataclass(frozen=True, slots=True)
class Section:
    name: str
    offset: int  # in the file
    size: int  # bytes in the file
    addr: int  # virtual address


def kind(data: bytes) -> str:
    """ "elf", "pe", "macho" or ""."""
    if data[:4] == b"\x7fELF":
        return "elf"
    if data[:2] == b"MZ":
        return "pe"
    if data[:4] in (
        b"\xcf\xfa\xed\xfe",
        b"\xce\xfa\xed\xfe",
        b"\xfe\xed\xfa\xcf",
        b"\xfe\xed\xfa\xce",
    ):
        return "macho"
    return ""


def sections(data: bytes) -> list[Section]:
    try:
        k = kind(data)
        if k == "elf":
            return _elf(data)
        if k == "pe":
            return _pe(data)
        if k == "macho":
            return _macho(data)
    except (struct.error, IndexError, ValueError, OverflowError, UnicodeDecodeError):
        return []
    return []


def find(data: bytes, *names: str) -> bytes | None:
    """The file bytes of the first section with one of ``names``."""
    for s in sections(data):
        if s.name in names and s.offset >= 0 and s.offset + s.size <= len(data):
            return data[s.offset : s.offset + s.size]
    return None


def va_to_offset(secs: list[Section], addr: int) -> int | None:
    for s in secs:
        if s.addr and s.addr <= addr < s.addr + s.size:
            return s.offset + (addr - s.addr)
    return None


def _elf(d: bytes) -> list[Section]:
    is64 = d[4] == 2
    end = "<" if d[5] == 1 else ">"
    if is64:
        (shoff,) = struct.unpack_from(end + "Q", d, 0x28)
        shentsize, shnum, shstrndx = struct.unpack_from(end + "HHH", d, 0x3A)
        fmt = end + "IIQQQQIIQQ"
    else:
        (shoff,) = struct.unpack_from(end + "I", d, 0x20)
        shentsize, shnum, shstrndx = struct.unpack_from(end + "HHH", d, 0x2E)
        fmt = end + "IIIIIIIIII"
    if shnum > MAX_SECTIONS or shentsize < struct.calcsize(fmt):
        return []
    raw = [struct.unpack_from(fmt, d, shoff + i * shentsize) for i in range(shnum)]
    if not raw or shstrndx >= len(raw):
        return []
    strtab_off = raw[shstrndx][4]
    out = []
    for h in raw:
        name_off, stype, _flags, addr, offset, size = h[0], h[1], h[2], h[3], h[4], h[5]
        if stype == 8:  # SHT_NOBITS: no bytes in the file
            continue
        nstart = strtab_off + name_off
        nend = d.find(b"\x00", nstart, nstart + 256)
        name = d[nstart:nend].decode("ascii", "replace") if nend >= 0 else ""
        out.append(Section(name, offset, size, addr))
    return out


def _pe(d: bytes) -> list[Section]:
    (pe,) = struct.unpack_from("<I", d, 0x3C)
    if d[pe : pe + 4] != b"PE\x00\x00":
        return []
    (nsec,) = struct.unpack_from("<H", d, pe + 6)
    (opt_size,) = struct.unpack_from("<H", d, pe + 20)
    opt = pe + 24
    (magic,) = struct.unpack_from("<H", d, opt)
    base = (
        struct.unpack_from("<Q", d, opt + 24)[0]
        if magic == 0x20B
        else struct.unpack_from("<I", d, opt + 28)[0]
    )
    table = opt + opt_size
    out = []
    for i in range(min(nsec, MAX_SECTIONS)):
        h = table + i * 40
        name = d[h : h + 8].rstrip(b"\x00").decode("ascii", "replace")
        vsize, vaddr, rawsize, rawptr = struct.unpack_from("<IIII", d, h + 8)
        out.append(Section(name, rawptr, min(vsize or rawsize, rawsize), base + vaddr))
    return out


def _macho(d: bytes) -> list[Section]:
    magic = d[:4]
    end = "<" if magic in (b"\xcf\xfa\xed\xfe", b"\xce\xfa\xed\xfe") else ">"
    is64 = magic in (b"\xcf\xfa\xed\xfe", b"\xfe\xed\xfa\xcf")
    (ncmds,) = struct.unpack_from(end + "I", d, 16)
    pos = 32 if is64 else 28
    out: list[Section] = []
    for _ in range(min(ncmds, MAX_SECTIONS)):
        cmd, size = struct.unpack_from(end + "II", d, pos)
        if size < 8:
            return out
        if cmd in (0x19, 0x1):  # LC_SEGMENT_64, LC_SEGMENT
            (nsects,) = struct.unpack_from(end + "I", d, pos + (64 if is64 else 48))
            sec = pos + (72 if is64 else 56)
            for _ in range(min(nsects, MAX_SECTIONS)):
                name = d[sec : sec + 16].rstrip(b"\x00").decode("ascii", "replace")
                if is64:
                    addr, ssize = struct.unpack_from(end + "QQ", d, sec + 32)
                    (offset,) = struct.unpack_from(end + "I", d, sec + 48)
                    sec += 80
                else:
                    addr, ssize, offset = struct.unpack_from(end + "III", d, sec + 32)
                    sec += 68
                out.append(Section(name, offset, ssize, addr))
        pos += size
    return out
