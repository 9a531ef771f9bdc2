"""The merged filesystem of an image as a :class:`FileSource` for the cataloguers."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import IO

from pipesec.scanners.containers.interface import FileTooLarge
from pipesec.scanners.containers.layers import (
    HARDLINK,
    REG,
    LayerIndex,
    Placed,
    read_entry,
    resolve,
)


class ImageFS:
    """Every regular file of the final image; reads served from the layer that wrote the
    file (its uncompressed tar, spooled on first use). Symlinks resolve inside the image."""

    def __init__(
        self,
        merged: dict[str, Placed],
        indexes: list[LayerIndex],
        spool: Callable[[int], IO[bytes]],
    ) -> None:
        self._merged = merged
        self._indexes = indexes
        self._spool = spool

    def paths(self) -> Iterable[str]:
        return sorted(
            p
            for p, v in self._merged.items()
            if v.entry.kind == REG or (v.entry.kind == HARDLINK and self._linked(v) is not None)
        )

    def _linked(self, placed: Placed) -> Placed | None:
        """A hard link to a file of a lower layer: that file (as the final image has it)."""
        target = self._merged.get(placed.entry.link)
        return target if target is not None and target.entry.kind == REG else None

    def _placed(self, path: str) -> Placed:
        placed = self._merged.get(path)
        if placed is not None and placed.entry.kind == HARDLINK:
            placed = self._linked(placed)
        elif placed is None or placed.entry.kind != REG:
            placed = resolve(self._merged, path)
        if placed is None:
            raise FileNotFoundError(path)
        return placed

    def size(self, path: str) -> int:
        return self._placed(path).entry.size

    def read(self, path: str, limit: int) -> bytes:
        placed = self._placed(path)
        if placed.entry.size > limit:
            raise FileTooLarge(f"{path}: {placed.entry.size} bytes, over the {limit} byte limit")
        return read_entry(self._spool(placed.layer), placed.entry, limit)

    def origin(self, path: str) -> str:
        return self._indexes[self._placed(path).layer].layer.digest

    def layer_of(self, path: str) -> int:
        """1-based index of the layer that wrote ``path``."""
        return self._placed(path).layer + 1

    def exists(self, path: str) -> bool:
        return path in self._merged or resolve(self._merged, path) is not None

    def entry(self, path: str) -> Placed | None:
        return self._merged.get(path)

    def placed(self) -> dict[str, Placed]:
        return self._merged
