"""A small, bounded, pure-Python reader of the values of a Berkeley DB file (hash or btree
access method), enough for rpm's ``Packages`` database of older releases (RHEL/CentOS 7 and
8, Amazon Linux 2, SUSE before 15.3).

Format (Berkeley DB 4.x-5.x ``db_page.h``): page 0 is the metadata page (magic 0x061561
for hash, 0x053162 for btree, at byte 12, in the writer's byte order; page size at 20,
last page number at 32). Every page starts with a 26-byte header (page number at 8, next
page at 16, item count at 20, ``hf_offset`` at 22, type at 25) followed by 2-byte item
offsets. On hash pages (type 13, or 2 before 4.6) items alternate key/value; an item is a
type byte then its bytes (``H_KEYDATA`` 1, inline) or an off-page reference (``H_OFFPAGE``
3: page number at +4, total length at +8). Btree leaf pages (type 5) hold ``BKEYDATA``
items (length, type 1, bytes) or ``BOVERFLOW`` (type 3: page number at +4, length at +8).
Overflow pages (type 7) chain through their next-page field, each holding ``hf_offset``
bytes after the header.

Hostile input: every offset is checked against the page, overflow chains are followed at
most once per page and never past the declared length, and the total is capped.
"""

from __future__ import annotations

import struct

HASH_MAGIC = 0x061561
BTREE_MAGIC = 0x053162
P_HASH_UNSORTED, P_LBTREE, P_OVERFLOW, P_HASH = 2, 5, 7, 13
H_KEYDATA, H_OFFPAGE = 1, 3
B_KEYDATA, B_OVERFLOW = 1, 3
_HEADER = 26
_PAGE_SIZES = frozenset(1 << n for n in range(9, 17))
_MAX_VALUE = 64 * 1024 * 1024
_MAX_TOTAL = 512 * 1024 * 1024


class BdbError(ValueError):
    """The bytes are not a Berkeley DB hash/btree database we can read."""


class _Db:
    def __init__(self, data: bytes) -> None:
        if len(data) < 512:
            raise BdbError("shorter than a metadata page")
        for order in ("<", ">"):
            magic = struct.unpack_from(order + "I", data, 12)[0]
            if magic in (HASH_MAGIC, BTREE_MAGIC):
                break
        else:
            raise BdbError("no Berkeley DB hash or btree magic")
        self.order = order
        self.magic = magic
        self.data = data
        self.pagesize = struct.unpack_from(order + "I", data, 20)[0]
        if self.pagesize not in _PAGE_SIZES:
            raise BdbError(f"page size {self.pagesize} is not a Berkeley DB page size")
        if data[24] != 0:
            raise BdbError("encrypted")
        last = struct.unpack_from(order + "I", data, 32)[0]
        self.npages = min(last + 1, len(data) // self.pagesize)
        self.total = 0

    def page(self, pgno: int) -> bytes:
        if not 0 < pgno < self.npages:
            raise BdbError(f"page {pgno} outside the file")
        start = pgno * self.pagesize
        return self.data[start : start + self.pagesize]

    def u16(self, buf: bytes, off: int) -> int:
        if off + 2 > len(buf):
            raise BdbError("truncated item")
        return int(struct.unpack_from(self.order + "H", buf, off)[0])

    def u32(self, buf: bytes, off: int) -> int:
        if off + 4 > len(buf):
            raise BdbError("truncated item")
        return int(struct.unpack_from(self.order + "I", buf, off)[0])

    def overflow(self, pgno: int, length: int) -> bytes:
        if length > _MAX_VALUE:
            raise BdbError(f"value of {length} bytes")
        self.total += length
        if self.total > _MAX_TOTAL:
            raise BdbError("more than 512 MB of values")
        out = bytearray()
        seen: set[int] = set()
        while len(out) < length:
            if pgno in seen:
                raise BdbError("overflow pages form a loop")
            seen.add(pgno)
            page = self.page(pgno)
            if page[25] != P_OVERFLOW:
                raise BdbError(f"page {pgno} is not an overflow page")
            used = self.u16(page, 22)
            if _HEADER + used > self.pagesize:
                raise BdbError(f"overflow page {pgno} claims {used} bytes")
            out += page[_HEADER : _HEADER + used]
            pgno = self.u32(page, 16)
            if pgno == 0:
                break
        if len(out) < length:
            raise BdbError("overflow chain shorter than its value")
        return bytes(out[:length])

    def items(self, page: bytes) -> list[tuple[int, int]]:
        """(start, end) of each item on a page (items are stored from the page's end)."""
        count = self.u16(page, 20)
        if _HEADER + 2 * count > self.pagesize:
            raise BdbError("more items than fit on a page")
        offsets = [self.u16(page, _HEADER + 2 * i) for i in range(count)]
        low = _HEADER + 2 * count
        out = []
        for i, off in enumerate(offsets):
            if not low <= off < self.pagesize:
                raise BdbError("item offset outside its page")
            end = offsets[i - 1] if i and offsets[i - 1] > off else self.pagesize
            out.append((off, end))
        return out

    def hash_value(self, page: bytes, start: int, end: int) -> bytes:
        kind = page[start]
        if kind == H_KEYDATA:
            return page[start + 1 : end]
        if kind == H_OFFPAGE:
            return self.overflow(self.u32(page, start + 4), self.u32(page, start + 8))
        raise BdbError(f"unsupported hash item type {kind}")

    def btree_value(self, page: bytes, start: int) -> bytes:
        kind = page[start + 2] & 0x7F  # the top bit marks a deleted item
        if kind == B_KEYDATA:
            length = self.u16(page, start)
            if start + 3 + length > self.pagesize:
                raise BdbError("item runs past its page")
            return page[start + 3 : start + 3 + length]
        if kind == B_OVERFLOW:
            return self.overflow(self.u32(page, start + 4), self.u32(page, start + 8))
        raise BdbError(f"unsupported btree item type {kind}")


def hash_values(data: bytes, limit: int = 100_000) -> list[bytes]:
    """Every value stored in the database (hash or btree), in page order, at most
    ``limit``. Raises BdbError for bytes that are not such a database or break its rules."""
    db = _Db(data)
    out: list[bytes] = []
    for pgno in range(1, db.npages):
        page = db.page(pgno)
        kind = page[25]
        if db.magic == HASH_MAGIC and kind in (P_HASH, P_HASH_UNSORTED):
            items = db.items(page)
            for start, end in items[1::2]:
                out.append(db.hash_value(page, start, end))
        elif db.magic == BTREE_MAGIC and kind == P_LBTREE:
            for start, _end in db.items(page)[1::2]:
                if page[start + 2] & 0x80:
                    continue
                out.append(db.btree_value(page, start))
        else:
            continue
        if len(out) >= limit:
            return out[:limit]
    return out
