"""The collector pause of large scans: cycles are still freed once a batch, and nested
pauses (scanners in threads) leave the collector as they found it."""

from __future__ import annotations

import gc
import threading
import weakref

import pytest

from pipesec.core.collector import GC_BATCH, GcBatches


class Node:
    other: Node


def test_cycles_are_freed_every_batch_with_the_collector_off() -> None:
    assert gc.isenabled()
    refs = []
    with GcBatches() as batches:
        assert not gc.isenabled()
        for _ in range(GC_BATCH):
            a, b = Node(), Node()
            a.other, b.other = b, a  # a cycle only the collector frees
            refs.append(weakref.ref(a))
            del a, b
            batches.tick()
        assert all(r() is None for r in refs)  # collected at the batch's end
        assert not gc.isenabled()
    assert gc.isenabled()


def test_state_restored_on_error_and_when_it_was_off() -> None:
    with pytest.raises(ValueError), GcBatches():
        raise ValueError
    assert gc.isenabled()
    gc.disable()
    try:
        with GcBatches():
            assert not gc.isenabled()
        assert not gc.isenabled()  # left off: it was off before
    finally:
        gc.enable()


def test_nested_pauses_in_threads_restore_on_the_last_exit() -> None:
    inner_entered, outer_left = threading.Event(), threading.Event()
    seen: list[bool] = []

    def other_scanner() -> None:
        with GcBatches():
            inner_entered.set()
            outer_left.wait(5)
            seen.append(gc.isenabled())  # still paused: this pause is not over

    t = threading.Thread(target=other_scanner)
    with GcBatches():
        t.start()
        inner_entered.wait(5)
    outer_left.set()
    t.join(5)
    assert seen == [False]
    assert gc.isenabled()
