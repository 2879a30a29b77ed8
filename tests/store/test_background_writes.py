"""Writes sent without waiting: they run in order, failures are counted, and none stops the thread."""

from __future__ import annotations

import threading

import redis

from bff.store.background_writes import BackgroundWrites


def test_writes_run_in_order_and_a_failing_one_stops_nothing() -> None:
    writes = BackgroundWrites(max_pending=10)
    done: list[int] = []

    def broken() -> None:
        raise AttributeError("a closed client")  # not a Redis error: a bug must not kill the thread

    def down() -> None:
        raise redis.ConnectionError("refused")

    writes.submit(lambda: done.append(1))
    writes.submit(broken)
    writes.submit(down)
    writes.submit(lambda: done.append(2))
    assert writes.drain(timeout_s=5)
    assert done == [1, 2] and writes.failures == 2


def test_a_full_queue_runs_the_write_in_the_caller() -> None:
    writes = BackgroundWrites(max_pending=1)
    taken, release = threading.Event(), threading.Event()
    done: list[str] = []

    def hold() -> None:  # keeps the thread busy until released
        taken.set()
        release.wait(5)

    writes.submit(hold)
    assert taken.wait(5)
    writes.submit(lambda: done.append("queued"))  # fills the queue
    writes.submit(lambda: done.append("caller"))  # no room: runs here, now
    assert done == ["caller"]
    release.set()
    assert writes.drain(timeout_s=5) and done == ["caller", "queued"]
