"""Redis writes sent without the request waiting for the reply.

``BackgroundWrites.submit(write)`` hands a write (a callable doing its own round trip) to
one daemon thread per process and returns at once; a failure is logged (its exception
type only: never arguments, which may name a visit) and counted in ``failures``, and the
thread goes on with the next write whatever the exception. When
more than ``max_pending`` writes wait (Redis slow or down), ``submit`` runs the write
in the caller instead: back-pressure, never an unbounded queue nor a silent drop.

Only writes whose loss is tolerable may go here: the caller decides (see
``PlacementRenderer``: a new visit's sticky state, which the render's reply also carries
in its signed visit token). The thread starts in the process that first submits, so an
app built in a gunicorn master (``preload_app``) starts its own in each worker; writes
still queued when the process exits are lost (``drain`` waits for them, for tests and
shutdown hooks).
"""

from __future__ import annotations

import os
import queue
import threading
from collections.abc import Callable

import redis
import structlog

from bff.errors import StoreUnavailable

log = structlog.get_logger(__name__)

MAX_PENDING = 1000

Write = Callable[[], None]


class BackgroundWrites:
    """A bounded queue of writes and the thread that runs them, one per process."""

    def __init__(self, max_pending: int = MAX_PENDING) -> None:
        self._queue: queue.Queue[Write] = queue.Queue(max_pending)
        self._pid = 0
        self._lock = threading.Lock()
        self.failures = 0

    def submit(self, write: Write) -> None:
        """Run ``write`` soon on the background thread (or now, in the caller, when the queue is full)."""
        if self._pid != os.getpid():
            self._start()
        try:
            self._queue.put_nowait(write)
        except queue.Full:
            self._run(write)

    def drain(self, timeout_s: float = 5.0) -> bool:
        """Wait until every submitted write has run; False when ``timeout_s`` passed first."""
        if self._pid != os.getpid():
            self._start()
        done = threading.Event()
        try:
            self._queue.put(done.set, timeout=timeout_s)
        except queue.Full:
            return False
        return done.wait(timeout_s)

    def _start(self) -> None:
        with self._lock:
            if self._pid == os.getpid():
                return
            # A queue inherited through fork may hold the parent's writes; they were the
            # parent's to run, and its lock may be held by a thread that no longer exists.
            self._queue = queue.Queue(self._queue.maxsize)
            threading.Thread(target=self._loop, name="onsite-background-writes", daemon=True).start()
            self._pid = os.getpid()

    def _loop(self) -> None:
        while True:
            write = self._queue.get()
            try:
                self._run(write)
            except Exception as exc:  # noqa: BLE001 - a bug in one write (a closed client) must not stop the rest
                self.failures += 1
                log.error("background_write.crashed", error=type(exc).__name__)

    def _run(self, write: Write) -> None:
        try:
            write()
        except (redis.RedisError, StoreUnavailable) as exc:
            self.failures += 1
            log.warning("background_write.failed", error=type(exc).__name__)
