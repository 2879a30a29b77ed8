"""The rollup worker: a consumer of the events stream's partitions (``flask monitor run``).

Run as many as you like; each needs a unique consumer name (default: host and pid). The
workers share the stream's partitions (``partition_claims``: one owner per partition, each
worker a fair share), so a partition's entries are counted by one worker, in order. Each
loop it:

1. renews its partitions and takes or gives back some as workers come and go; for a
   partition it takes, it first counts the entries left pending there (its own after a
   restart under the same name, or a dead owner's);
2. claims entries left pending for longer than ``claim_idle_ms``, then reads new entries
   (``XREADGROUP >``) of each partition it owns;
3. enriches and counts them, and commits counts, dedup marks and ``XACK`` atomically
   (``RollupStore.commit``): delivery is at-least-once, counts are exactly-once;
4. rolls up the hours and days that are due in its partitions (``rollups/hours.py``);
5. now and then trims entries that every consumer has acknowledged, keeping
   ``retention_ms`` of them for inspection, and runs its ``chores`` (``flask monitor run``
   gives it the AOF rewrite that erasures leave due, ``bff/store/aof_rewrites.py``).
"""

from __future__ import annotations

import contextlib
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
from bff.monitoring.rollups.hours import HourDayRollups
from bff.monitoring.rollups.partition_claims import PartitionClaims
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
    lease_ms: int = 10_000
    rollup_every_s: float = 5.0


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
        self.rollups = HourDayRollups(self.store)
        self.claims = PartitionClaims(client, self.config.consumer, self.config.lease_ms)
        self.counted = 0
        self._last_trim = 0.0
        self._last_rollup = 0.0
        self._last_refresh = -float("inf")

    @property
    def partitions(self) -> list[int]:
        """The partitions this worker owns now."""
        return sorted(self.claims.owned)

    def run(self, should_stop: Callable[[], bool] = lambda: False) -> None:
        """Process until ``should_stop()``, then give the partitions back; a Redis outage is
        logged and retried, never fatal."""
        while not should_stop():
            try:
                self.step()
            except (StoreUnavailable, redis.RedisError) as exc:
                log.warning("monitor.worker.redis_unavailable", error=type(exc).__name__)
                time.sleep(1.0)
        with contextlib.suppress(redis.RedisError):  # else the leases expire by themselves
            self.claims.release_all()

    def step(self) -> int:
        """One loop: own partitions, claim stale entries, read new ones, commit, roll up;
        return the events counted."""
        counted = self.refresh_partitions()
        owned = self.partitions
        if not owned:
            time.sleep(self.config.block_ms / 1000)
            return counted
        for partition in owned:
            counted += self._process(self._claim_stale(partition, self.config.claim_idle_ms), partition)
        read = 0
        for block in (None, max(1, self.config.block_ms // len(owned))):
            for partition in owned:
                entries = self._read(partition, ">", block)
                read += len(entries)
                counted += self._process(entries, partition)
                if read and block is not None:
                    break
            if read:
                break
        self._maybe_roll_up()
        self._maybe_trim()
        return counted

    def refresh_partitions(self) -> int:
        """Renew and rebalance the owned partitions (every quarter lease) and count what
        newly taken ones hold pending; return the events counted."""
        now = time.monotonic()
        if now - self._last_refresh < self.config.lease_ms / 4000:
            return 0
        self._last_refresh = now
        counted = 0
        for partition in self.claims.refresh(self.store.layout.count(), int(time.time() * 1000)):
            stream.ensure_group(self.client, partition)
            counted += self.process_own_pending(partition)
            counted += self._drain_claims(partition)
        return counted

    def process_own_pending(self, partition: int = 0) -> int:
        """Re-process this consumer's own pending entries of a partition (after a restart
        under the same name)."""
        counted = 0
        while True:
            entries = [e for e in self._read(partition, "0", None) if e[1]]
            if not entries:
                return counted
            counted += self._process(entries, partition)

    def _drain_claims(self, partition: int) -> int:
        """Count every entry another consumer left pending in a partition just taken over."""
        counted = 0
        while entries := self._claim_stale(partition, 0):
            counted += self._process(entries, partition)
        return counted

    def _read(self, partition: int, start: str, block: int | None) -> list[tuple[bytes, dict[bytes, bytes]]]:
        response = self.client.xreadgroup(
            keys.GROUP, self.config.consumer, {keys.events_stream(partition): start},
            count=self.config.batch_entries, block=block,
        )  # fmt: skip
        return _entries(response)

    def _claim_stale(self, partition: int, min_idle_ms: int) -> list[tuple[bytes, dict[bytes, bytes]]]:
        result = self.client.xautoclaim(
            keys.events_stream(partition), keys.GROUP, self.config.consumer,
            min_idle_time=min_idle_ms, start_id="0-0", count=self.config.batch_entries,
        )  # fmt: skip
        claimed = result[1] if len(result) > 1 else []
        return [(entry_id, fields) for entry_id, fields in claimed if fields]

    def _process(self, entries: list[tuple[bytes, dict[bytes, bytes]]], partition: int = 0) -> int:
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
                counted += self.store.commit(events, entry_ids, partition)
                events, entry_ids = [], []
        if entry_ids:
            counted += self.store.commit(events, entry_ids, partition)
        self.counted += counted
        return counted

    def _maybe_roll_up(self) -> None:
        now = time.monotonic()
        if now - self._last_rollup < self.config.rollup_every_s:
            return
        self._last_rollup = now
        for partition in self.partitions:
            watermark = stream.partition_watermark_ms(self.client, partition, int(time.time() * 1000))
            self.rollups.step(partition, watermark)

    def _maybe_trim(self) -> None:
        now = time.monotonic()
        if now - self._last_trim < self.config.trim_every_s:
            return
        self._last_trim = now
        for partition in self.partitions:
            watermark = stream.partition_watermark_ms(self.client, partition, int(time.time() * 1000))
            oldest = f"{watermark - self.config.retention_ms}-0"
            self.client.xtrim(keys.events_stream(partition), minid=oldest, approximate=True)
        for chore in self.chores:
            chore()


def _entries(response: Any) -> list[tuple[bytes, dict[bytes, bytes]]]:
    if not response:
        return []
    # redis-py returns [[stream, [(id, fields), ...]]] for RESP2
    return [(entry_id, fields) for _, items in response for entry_id, fields in items]
