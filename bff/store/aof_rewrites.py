"""Batched AOF rewrites after erasures, so that an erased value leaves the disk within a bound.

Redis appends every write to its append-only file (AOF): after an erasure the deleted
values are still on disk until Redis rewrites the file from memory (``BGREWRITEAOF``).
Redis 7's multi-part AOF (``appendonlydir/``: a manifest, one base file, incr files)
deletes the old base and incr files once the rewrite completes. A rewrite forks Redis
and writes the whole dataset, so rewrites are batched: at most one attempt per
``interval_s`` (``ONSITE_ERASURE_REWRITE_S``).

State, in one hash (``keys.aof_rewrite_key()``): ``erasures`` (counted so far),
``covered`` (how many of them the latest started rewrite covers) and ``attempted_at``
(unix time of the latest attempt that started or was refused).

Contract:

* ``erasure_done(now)`` counts one erasure (call it after the erasure's deletes have
  returned), then does what ``run_due(now)`` does.
* ``run_due(now)`` returns an ``Outcome``: ``"idle"`` (no erasure waits for a rewrite),
  ``"deferred"`` (one waits, but the latest attempt is less than ``interval_s`` old), or
  the result of asking every server (each node of a cluster, replicas included) for
  ``BGREWRITEAOF``: ``"started"`` (started or scheduled everywhere AOF is on),
  ``"aof_off"`` (no server keeps an AOF: nothing to rewrite), ``"busy"`` (a rewrite was
  already running; it may have forked before the erasure, so the erasure stays due and
  the next call retries), ``"refused"`` (a server refused the command, as managed
  services do: logged, the erasure stays due and is retried after ``interval_s``).
* Neither ever raises: a Redis error is logged and returned as ``"unavailable"``; the
  erasure itself has already happened, and stays due (a timeout while a rewrite did start
  costs at most one more rewrite later).
* ``wait_until_rewritten(timeout_s)``: True once no server has a rewrite running or
  scheduled and each one's last rewrite succeeded (``profiles compact --wait``, tests).

Covering is counted, not timed: the erasure count is read before ``BGREWRITEAOF``, so a
started rewrite forked after every erasure it marks covered.

The bound (docs/security.md, "Erasure"): with the monitoring worker calling ``run_due``
every 30 s (``WorkerConfig.trim_every_s``), an erased value is gone from the AOF files at
most ``interval_s`` + 30 s + one rewrite's duration after the erasure; without a worker,
``flask --app bff profiles compact`` from cron does it (the cron period replaces the 30 s).
"""

from __future__ import annotations

import time
from typing import Any, Literal

import redis
import structlog
from redis.exceptions import RedisClusterException

from bff.store import keys
from bff.store.connection import is_cluster


def _log() -> Any:
    # Looked up per event (erasures are rare) rather than cached at import: structlog caches
    # a logger's configuration on first use, and these events must follow the current one
    # (the tests capture them).
    return structlog.get_logger(__name__)


Outcome = Literal["idle", "deferred", "started", "aof_off", "busy", "refused", "unavailable"]
# Over several servers the worst outcome wins, in this order.
_SEVERITY: tuple[Outcome, ...] = ("aof_off", "started", "busy", "refused")


class AofRewrites:
    """Counts erasures and asks for batched ``BGREWRITEAOF`` (see the module docstring)."""

    def __init__(self, client: redis.Redis, interval_s: int) -> None:
        self.client = client
        self.interval_s = interval_s

    def erasure_done(self, now: float) -> Outcome:
        """Count one erasure, then rewrite if due (never raises)."""
        try:
            self.client.hincrby(keys.aof_rewrite_key(), "erasures", 1)
        except (redis.RedisError, RedisClusterException) as exc:
            _log().warning("erasure.aof_rewrite_unavailable", error=type(exc).__name__)
            return "unavailable"
        return self.run_due(now)

    def run_due(self, now: float) -> Outcome:
        """Rewrite the AOF if an erasure waits for it and ``interval_s`` has passed (never raises)."""
        try:
            return self._run_due(now)
        except (redis.RedisError, RedisClusterException) as exc:
            _log().warning("erasure.aof_rewrite_unavailable", error=type(exc).__name__)
            return "unavailable"

    def wait_until_rewritten(self, timeout_s: float, poll_s: float = 0.05) -> bool:
        """Wait until no server has a rewrite running or scheduled; True if the last one of each
        server with AOF on succeeded, False on a failed rewrite, a Redis error or after
        ``timeout_s``."""
        try:
            return self._wait_until_rewritten(timeout_s, poll_s)
        except (redis.RedisError, RedisClusterException) as exc:
            _log().warning("erasure.aof_rewrite_unavailable", error=type(exc).__name__)
            return False

    def _wait_until_rewritten(self, timeout_s: float, poll_s: float) -> bool:
        deadline = time.monotonic() + timeout_s
        while True:
            states = [server.info("persistence") for server in _servers(self.client)]
            states = [s for s in states if s.get("aof_enabled")]
            if not any(s.get("aof_rewrite_in_progress") or s.get("aof_rewrite_scheduled") for s in states):
                return all(s.get("aof_last_bgrewrite_status") == "ok" for s in states)
            if time.monotonic() >= deadline:
                return False
            time.sleep(poll_s)

    def _run_due(self, now: float) -> Outcome:
        key = keys.aof_rewrite_key()
        state = {k.decode(): v.decode() for k, v in self.client.hgetall(key).items()}  # type: ignore[union-attr]
        erasures = int(state.get("erasures", 0))
        if erasures <= int(state.get("covered", 0)):
            return "idle"
        if now - float(state.get("attempted_at", 0)) < self.interval_s:
            return "deferred"
        outcome: Outcome = max(
            (_rewrite(s) for s in _servers(self.client)), key=_SEVERITY.index, default="aof_off"
        )
        if outcome in ("started", "refused"):
            self.client.hset(key, "attempted_at", repr(now))
        if outcome in ("started", "aof_off"):
            # Two processes racing here may set a lower count last: that only costs one
            # more rewrite later, never a missed one.
            self.client.hset(key, "covered", erasures)
        logger = _log()
        log_event = logger.warning if outcome in ("busy", "refused") else logger.info
        log_event("erasure.aof_rewrite", outcome=outcome, erasures=erasures)
        return outcome


def _rewrite(server: redis.Redis) -> Outcome:
    """Ask one server for BGREWRITEAOF (if it keeps an AOF)."""
    try:
        if not server.info("persistence").get("aof_enabled"):
            return "aof_off"
        server.bgrewriteaof()
    except redis.ResponseError as exc:
        # "already in progress" is the one refusal that passes by itself.
        return "busy" if "in progress" in str(exc) else "refused"
    return "started"


def _servers(client: redis.Redis) -> list[redis.Redis]:
    """The client itself, or one client per node (masters and replicas) of a cluster."""
    if not is_cluster(client):
        return [client]
    nodes = client.get_nodes()  # type: ignore[attr-defined]
    return [node.redis_connection for node in nodes if node.redis_connection is not None]
