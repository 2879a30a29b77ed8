"""The rollup worker: a consumer of the events stream's consumer group (``flask monitor run``).

Run as many as you like; each needs a unique consumer name (default: host and pid). Each
loop it:

1. claims entries another consumer left pending for longer than ``claim_idle_ms`` (a
   worker that died mid-batch), then reads new entries (``XREADGROUP >``); at start it
   first re-reads its own pending entries (a restarted worker with the same name);
2. enriches and counts them, and commits counts, dedup marks and ``XACK`` atomically
   (``RollupStore.commit``): delivery is at-least-once, counts are exactly-once;
3. now and then trims entries that every consumer has acknowledged, keeping
   ``retention_ms`` of them for inspection, and runs its ``chores`` (``flask monitor run``
   gives it the AOF rewrite that erasures leave due, ``bff/store/aof_rewrites.py``).
"""

from __future__ import annotations

import os
import socket
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import redis
import structlog

from bff.errors import StoreUnavailable
from bff.monitoring import keys
from bff.monitoring.ingest import stream
from bff.monitoring.ingest.enrichment import enrich
from bff.monitoring.rollups.aggregation import CountedEvent, counted_event
from bff.monitoring.rollups.store import RollupStore

log = structlog.get_logger(__name__)

MAX_EVENTS_PER_COMMIT = 2000


@dataclass(frozen=True)
class WorkerConfig:
    """Tuning of one worker; the defaults suit production and the tests alike."""

    consumer: str = f"{socket.gethostname()}-{os.getpid()}"
    batch_entries: int = 200
    block_ms: int = 500
    claim_idle_ms: int = 5_000
    trim_every_s: float = 30.0
    retention_ms: int = 10 * 60_000


class RollupWorker:
    """Consume, enrich, count and acknowledge; ``run()`` loops until ``should_stop()``."""

    def __init__(
        self,
        client: redis.Redis,
        config: WorkerConfig | None = None,
        chores: Sequence[Callable[[], object]] = (),
    ) -> None:
        self.client = client
        self.chores = tuple(chores)
        self.config = config or WorkerConfig()
        self.store = RollupStore(client)
        self.counted = 0
        self._last_trim = 0.0

    def run(self, should_stop: Callable[[], bool] = lambda: False) -> None:
        """Process until ``should_stop()``; a Redis outage is logged and retried, never fatal."""
        stream.ensure_group(self.client)
        self.process_own_pending()
        while not should_stop():
            try:
                self.step()
            except (StoreUnavailable, redis.RedisError) as exc:
                log.warning("monitor.worker.redis_unavailable", error=type(exc).__name__)
                time.sleep(1.0)

    def step(self) -> int:
        """One loop: claim stale entries, read new ones, commit; return the events counted."""
        counted = self._process(self._claim_stale())
        response = self.client.xreadgroup(
            keys.GROUP, self.config.consumer, {keys.events_stream(): ">"},
            count=self.config.batch_entries, block=self.config.block_ms,
        )  # fmt: skip
        counted += self._process(_entries(response))
        self._maybe_trim()
        return counted

    def process_own_pending(self) -> int:
        """Re-process this consumer's own pending entries (after a restart under the same name)."""
        counted = 0
        while True:
            response = self.client.xreadgroup(
                keys.GROUP, self.config.consumer, {keys.events_stream(): "0"}, count=self.config.batch_entries
            )
            entries = [e for e in _entries(response) if e[1]]
            if not entries:
                return counted
            counted += self._process(entries)

    def _claim_stale(self) -> list[tuple[bytes, dict[bytes, bytes]]]:
        result = self.client.xautoclaim(
            keys.events_stream(), keys.GROUP, self.config.consumer,
            min_idle_time=self.config.claim_idle_ms, start_id="0-0", count=self.config.batch_entries,
        )  # fmt: skip
        claimed = result[1] if len(result) > 1 else []
        return [(entry_id, fields) for entry_id, fields in claimed if fields]

    def _process(self, entries: list[tuple[bytes, dict[bytes, bytes]]]) -> int:
        counted = 0
        events: list[CountedEvent] = []
        entry_ids: list[str] = []
        for raw_id, fields in entries:
            entry = stream.decode_entry(raw_id, fields)
            for wire in entry.events:
                values = enrich(
                    wire, from_frame=entry.from_frame,
                    request_user_agent=entry.user_agent, accept_language=entry.accept_language,
                )  # fmt: skip
                events.append(counted_event(wire, entry.received_ms, values))
            entry_ids.append(entry.entry_id)
            if len(events) >= MAX_EVENTS_PER_COMMIT:
                counted += self.store.commit(events, entry_ids)
                events, entry_ids = [], []
        if entry_ids:
            counted += self.store.commit(events, entry_ids)
        self.counted += counted
        return counted

    def _maybe_trim(self) -> None:
        now = time.monotonic()
        if now - self._last_trim < self.config.trim_every_s:
            return
        self._last_trim = now
        watermark = stream.applied_watermark_ms(self.client, int(time.time() * 1000))
        self.client.xtrim(
            keys.events_stream(), minid=f"{watermark - self.config.retention_ms}-0", approximate=True
        )
        for chore in self.chores:
            chore()


def _entries(response: Any) -> list[tuple[bytes, dict[bytes, bytes]]]:
    if not response:
        return []
    # redis-py returns [[stream, [(id, fields), ...]]] for RESP2
    return [(entry_id, fields) for _, items in response for entry_id, fields in items]
