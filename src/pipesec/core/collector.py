"""The cyclic garbage collector paused while a scanner turns many files into findings.

A large scan keeps thousands of findings alive while it allocates millions of short-lived
objects. Left on, the collector traverses the findings kept so far again and again (its
oldest generation grows with them); paused, with the young generations collected by hand
every :data:`GC_BATCH` files, each object is looked at about once and memory stays bounded
by one batch of garbage. Scanners run in threads of one process and the collector is
process-wide, so pauses nest: the first one in switches it off, the last one out restores
what it found.
"""

from __future__ import annotations

import gc
import threading

#: files handled between two collections of the young generations
GC_BATCH = 256

_lock = threading.Lock()
_depth = 0
_was_enabled = False


class GcBatches:
    """``with GcBatches() as batches:`` around a run of files, ``batches.tick()`` after each."""

    def __init__(self) -> None:
        self.count = 0

    def __enter__(self) -> GcBatches:
        global _depth, _was_enabled
        with _lock:
            if _depth == 0:
                _was_enabled = gc.isenabled()
                gc.disable()
            _depth += 1
        return self

    def tick(self) -> None:
        self.count += 1
        if self.count % GC_BATCH == 0:
            gc.collect(1)

    def __exit__(self, *exc: object) -> None:
        global _depth
        gc.collect(1)
        with _lock:
            _depth -= 1
            if _depth == 0 and _was_enabled:
                gc.enable()
