"""Merchant configuration versions known in-process, pushed by Redis pub/sub: no read per render.

Every write of a merchant's configuration bumps its version key and then calls
``announce_config_change``, which forgets the version in every watch of this process at
once and publishes the merchant id on ``CHANNEL``. Each process runs one watcher thread
per ``ConfigVersionWatch`` (started lazily by the first ``trusted`` call in the process,
so a forked worker starts its own): it subscribes to ``CHANNEL`` and forgets the version
of every merchant it hears about, and it re-reads the versions it knows (one pipeline)
every ``subscribed_recheck_s`` while subscribed, every ``fallback_recheck_s`` while the
subscription is down.

Staleness contract: ``trusted(client_id)`` returns a version only if it was read from
Redis at most ``trust_s`` ago (two re-check periods: 1 s subscribed, 0.2 s not) and no
change of it was announced since; otherwise None, and the caller reads the version
itself (one round trip, as every render used to). So whatever the thread does (stalled,
disconnected, a message lost), a render never uses a configuration version older than
``trust_s`` plus one round trip; with the subscription up, a change reaches the worker
with its message (about a millisecond on loopback), and in this process at once.
"""

from __future__ import annotations

import contextlib
import os
import threading
import time
import weakref
from collections.abc import Callable
from typing import Any

import redis
import structlog

from bff.store import keys

log = structlog.get_logger(__name__)

CHANNEL = f"{keys.PREFIX}:config-changes"
SUBSCRIBED_RECHECK_S = 0.5
FALLBACK_RECHECK_S = 0.1
SUBSCRIBE_TIMEOUT_S = 2.0
_WATCHES: weakref.WeakSet[ConfigVersionWatch] = weakref.WeakSet()


def announce_config_change(client: Any, client_id: str) -> None:
    """Call after a write that bumped ``client_id``'s version: every watch here forgets it now,
    every other process when the message arrives. Publishing is best effort: a lost
    message costs at most the watches' trust window, never a wrong version beyond it."""
    for watch in list(_WATCHES):
        watch.forget(client_id)
    try:
        client.publish(CHANNEL, client_id)
    except redis.RedisError as exc:
        log.warning("config_version.publish_failed", error=type(exc).__name__)


class ConfigVersionWatch:
    """Versions of merchants' configurations this process may use without reading Redis."""

    def __init__(
        self,
        client: Any,
        subscribed_recheck_s: float = SUBSCRIBED_RECHECK_S,
        fallback_recheck_s: float = FALLBACK_RECHECK_S,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.client = client
        self.subscribed_recheck_s = subscribed_recheck_s
        self.fallback_recheck_s = fallback_recheck_s
        self.clock = clock
        self.subscribed = False
        self._known: dict[str, tuple[int, float]] = {}  # client id -> (version, read at)
        self._started = False  # in this process (reset in a forked child: _forget_parent)
        self._lock = threading.Lock()
        self._stopped = threading.Event()
        _WATCHES.add(self)

    @property
    def trust_s(self) -> float:
        """How long a version read from Redis is used without reading it again."""
        return 2 * (self.subscribed_recheck_s if self.subscribed else self.fallback_recheck_s)

    def trusted(self, client_id: str) -> int | None:
        """The version of ``client_id`` if known fresh (see the module's contract), else None."""
        if not self._started:
            self._start()
        entry = self._known.get(client_id)
        if entry is None or self.clock() - entry[1] > self.trust_s:
            return None
        return entry[0]

    def confirm(self, client_id: str, version: int, read_at: float) -> None:
        """Record a version the caller read from Redis at ``read_at`` (``clock()`` before the read)."""
        if not self._started:
            self._start()
        if version > 0:
            self._known[client_id] = (version, read_at)

    def forget(self, client_id: str) -> None:
        self._known.pop(client_id, None)

    def stop(self) -> None:
        """End the watcher thread (tests; a process that exits needs nothing)."""
        self._stopped.set()

    def _start(self) -> None:
        with self._lock:
            if self._started:
                return
            self._started = True
            if self._stopped.is_set():
                return
            args = (weakref.ref(self), self._stopped)
            threading.Thread(target=_watch, args=args, name="config-version-watch", daemon=True).start()

    def recheck(self) -> None:
        """Re-read every known version in one MGET (raises ``redis.RedisError``); a Cluster
        client splits it per slot."""
        ids = list(self._known)
        if not ids:
            return
        read_at = self.clock()
        names = [keys.config_version_key(client_id) for client_id in ids]
        if isinstance(self.client, redis.RedisCluster):
            values = self.client.mget_nonatomic(names)
        else:
            values = self.client.mget(names)
        for client_id, raw in zip(ids, values, strict=True):
            if client_id in self._known:
                self._known[client_id] = (int(raw or 0), read_at)

    def on_message(self, message: dict[str, Any] | None) -> None:
        if message is not None and message.get("type") == "message":
            data = message["data"]
            self.forget(data.decode() if isinstance(data, bytes) else str(data))


def _forget_parent() -> None:
    """In a forked child: the parent's versions and watcher thread are not this process's."""
    for watch in list(_WATCHES):
        watch._lock = threading.Lock()
        watch._known = {}
        watch.subscribed = False
        watch._started = False


# A per-render os.getpid() check showed in py-spy profiles (3% of samples); this runs once per fork.
os.register_at_fork(after_in_child=_forget_parent)


def _watch(ref: weakref.ref[ConfigVersionWatch], stopped: threading.Event) -> None:
    """The watcher thread: subscribed when it can, polling when not; ends with its watch.

    It holds its watch only weakly, so an app that is dropped (tests build many) takes its
    thread with it."""
    while not stopped.is_set():
        watch = ref()
        if watch is None:
            return
        client, interval = watch.client, watch.fallback_recheck_s
        del watch
        try:
            _listen(ref, stopped, client)
        except Exception as exc:  # noqa: BLE001 - the thread outlives any failure; renders read meanwhile
            log.info("config_version.subscription_down", error=type(exc).__name__)
        watch = ref()
        if watch is None:
            return
        watch.subscribed = False
        # Redis unreachable: nothing is trusted past its window, renders read (and fail over
        # to the cached configuration) as before.
        with contextlib.suppress(redis.RedisError, OSError, ValueError, TypeError):
            watch.recheck()
        del watch
        stopped.wait(interval)


def _listen(ref: weakref.ref[ConfigVersionWatch], stopped: threading.Event, client: Any) -> None:
    pubsub = client.pubsub()
    try:
        pubsub.subscribe(CHANNEL)
        confirmed = pubsub.get_message(timeout=SUBSCRIBE_TIMEOUT_S)
        if confirmed is None or confirmed.get("type") != "subscribe":
            raise redis.ConnectionError("no subscription confirmation")
        due = 0.0
        while not stopped.is_set():
            watch = ref()
            if watch is None:
                return
            if not watch.subscribed:
                # Messages published before the subscription took effect are lost: re-read.
                watch.subscribed = True
                due = 0.0
            now = watch.clock()
            if now >= due:
                watch.recheck()
                pubsub.ping()  # a dead subscription connection shows here
                due = now + watch.subscribed_recheck_s
            timeout = max(0.0, min(due - now, watch.subscribed_recheck_s))
            del watch
            message = pubsub.get_message(timeout=timeout)
            watch = ref()
            if watch is None:
                return
            watch.on_message(message)
            del watch
    finally:
        pubsub.close()
