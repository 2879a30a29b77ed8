"""The deployed partition count, read from Redis so that every writer and reader agrees.

The count lives in ``keys.partition_count_key()`` (absent: ``DEFAULT_PARTITIONS``, the
layout before partitions). ``flask monitor partitions --set N`` changes it. Processes
re-read it at most every ``REFRESH_S`` seconds (``layout_of(client).count()``), so a change
reaches the API, the workers and the detector within that time (docs/monitoring.md,
"Partitions").
"""

from __future__ import annotations

import time
import weakref
from collections.abc import Callable

import redis

from bff.errors import StoreUnavailable
from bff.monitoring import keys
from bff.monitoring.partitions import DEFAULT_PARTITIONS, checked_count

REFRESH_S = 5.0


class PartitionLayout:
    """The partition count of one Redis, cached for ``refresh_s`` seconds."""

    def __init__(
        self, client: redis.Redis, refresh_s: float = REFRESH_S, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self._client = client
        self._refresh_s = refresh_s
        self._clock = clock
        self._count = DEFAULT_PARTITIONS
        self._read_at: float | None = None

    def count(self) -> int:
        """The partition count (raises ``StoreUnavailable`` when Redis cannot be read)."""
        now = self._clock()
        if self._read_at is None or now - self._read_at >= self._refresh_s:
            try:
                raw = self._client.get(keys.partition_count_key())
            except redis.RedisError as exc:
                raise StoreUnavailable("could not read the partition count") from exc
            self._count = DEFAULT_PARTITIONS if raw is None else checked_count(raw)
            self._read_at = now
        return self._count


_LAYOUTS: weakref.WeakKeyDictionary[redis.Redis, PartitionLayout] = weakref.WeakKeyDictionary()


def layout_of(client: redis.Redis) -> PartitionLayout:
    """The shared ``PartitionLayout`` of a client (one cache per client object)."""
    layout = _LAYOUTS.get(client)
    if layout is None:
        layout = _LAYOUTS[client] = PartitionLayout(client)
    return layout


def set_partition_count(client: redis.Redis, count: int) -> int:
    """Store a new partition count (1 to ``MAX_PARTITIONS``, else ``ValueError``); return it.

    What a change does to merchants that move to another partition is in docs/monitoring.md
    ("Partitions"): their minute rollups before the change stay where they were.
    """
    count = checked_count(count)
    try:
        client.set(keys.partition_count_key(), count)
    except redis.RedisError as exc:
        raise StoreUnavailable("could not store the partition count") from exc
    _LAYOUTS.pop(client, None)
    return count
