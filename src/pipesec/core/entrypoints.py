"""Entry points of one group (``pipesec.scanners``), found without importing
:mod:`importlib.metadata` when the environment is plain.

Importing ``importlib.metadata`` (email, zipfile, csv ...) and reading the distributions
through it is an eighth of a scan's start-up on Python 3.11: with the standard library's
``entry_points(group=...)`` in its place, an empty tree's scan took 155 ms of CPU instead of
137 ms (session 10), so this module stays. In a plain environment (every ``sys.path`` entry
a directory, no import hook that provides distributions of its own) the answer is read here
the way ``importlib.metadata.entry_points(group=...)`` reads it: the ``*.dist-info`` and
``*.egg-info`` directories of each ``sys.path`` entry in order, one distribution per
normalised name (the first found wins), each one's ``entry_points.txt``. Anything else
(a zip or egg on ``sys.path``, a meta-path finder with ``find_distributions``, an unusual
metadata directory name) is answered by ``importlib.metadata`` itself.
"""

from __future__ import annotations

import functools
import os
import re
import sys
from dataclasses import dataclass
from importlib import import_module
from importlib.machinery import PathFinder
from typing import Any

#: ``importlib.metadata.EntryPoint.pattern``
_PATTERN = re.compile(r"(?P<module>[\w.]+)\s*(:\s*(?P<attr>[\w.]+)\s*)?((?P<extras>\[.*\])\s*)?$")
_INFO = (".dist-info", ".egg-info")


@dataclass(frozen=True)
class EntryPoint:
    """What pipesec uses of ``importlib.metadata.EntryPoint``: name, value, load()."""

    name: str
    value: str
    group: str

    def load(self) -> Any:
        match = _PATTERN.match(self.value)
        if match is None:
            raise ValueError(f"entry point {self.name!r}: malformed value {self.value!r}")
        module = import_module(match.group("module"))
        attrs = filter(None, (match.group("attr") or "").split("."))
        return functools.reduce(getattr, attrs, module)


def entry_points(group: str) -> list[EntryPoint]:
    """The entry points of ``group``, in the order ``importlib.metadata`` gives them."""
    found = _plain_scan(group)
    if found is None:
        from importlib import metadata

        found = [EntryPoint(ep.name, ep.value, group) for ep in metadata.entry_points(group=group)]
    return found


def _normalize(name: str) -> str:
    """``importlib.metadata.Prepared.normalize``."""
    return re.sub(r"[-_.]+", "-", name).lower().replace("-", "_")


def _plain_scan(group: str) -> list[EntryPoint] | None:
    """The entry points of ``group``, or None when the environment is not plain."""
    if any(
        getattr(finder, "find_distributions", None) is not None and finder is not PathFinder
        for finder in sys.meta_path
    ):
        return None
    seen: set[str] = set()
    found: list[EntryPoint] = []
    for entry in sys.path:
        if not isinstance(entry, str):
            return None
        root = entry or "."
        try:
            children = os.listdir(root)
        except NotADirectoryError:
            return None  # a zip archive: importlib.metadata reads inside it
        except OSError:
            continue
        if os.path.basename(root).lower().endswith(".egg"):
            return None  # an egg directory holds EGG-INFO
        for child in children:
            low = child.lower()
            if not low.endswith(_INFO):
                continue
            stem, _, ext = child.rpartition(".")
            if "." + ext not in _INFO:
                return None  # FOO.DIST-INFO: importlib.metadata reads its Name instead
            name = _normalize(stem.partition("-")[0])
            if not name:
                return None  # importlib.metadata reads its Name instead
            if name in seen:
                continue
            seen.add(name)
            found += _read(os.path.join(root, child, "entry_points.txt"), group)
    return found


def _read(path: str, group: str) -> list[EntryPoint]:
    """``group``'s entries of one ``entry_points.txt`` (``importlib.metadata.Sectioned``)."""
    try:
        with open(path, encoding="utf-8") as fh:
            text = fh.read()
    except OSError:
        return []
    out = []
    section = None
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("[") and line.endswith("]"):
            section = line.strip("[]")
            continue
        if section == group:
            name, _, value = line.partition("=")
            out.append(EntryPoint(name.strip(), value.strip(), group))
    return out
