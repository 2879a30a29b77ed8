"""Per-minute rollups in Redis: the atomic idempotent commit, minute tables and series.

``commit(events, entry_ids)`` runs one Lua script, so that for one batch of stream
entries the duplicate check, the counter increments, the dedup marks and the ``XACK``
happen together or not at all. A worker that dies before the script leaves its entries
pending (another worker claims them and counts them once); a worker that dies after it
has already acknowledged them. Events already counted (a redelivery, or a client that
sent the same event twice) are found by the script, which then writes nothing and returns
their identities; the batch is recounted without them and committed again.

Partitions (``bff/monitoring/partitions.py``): a commit writes the keys of one partition
(its stream, dedup sets and minute hashes). A merchant's bucket is in its partition; the
``*`` bucket (cross-merchant combos) has a part in every partition, and the reads sum them.
Minutes are kept ``ROLLUP_TTL_S`` (8 days: the detector compares with the same minute a
week ago and the spans before it); hours and days are rolled up from them
(``rollups/hours.py``) for the long ranges (``rollups/ranges.py``).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

import redis

from bff.errors import StoreUnavailable
from bff.monitoring import keys
from bff.monitoring.dimensions import GLOBAL, bucket_of
from bff.monitoring.metrics import COUNTER_INDEX, COUNTERS
from bff.monitoring.partition_layout import PartitionLayout, layout_of
from bff.monitoring.partitions import partition_of
from bff.monitoring.rollups.aggregation import (
    DEDUP_BUCKET_MS,
    DEDUP_BUCKETS_CHECKED,
    CountedEvent,
    Increment,
    dedup_bucket,
    dedup_buckets_to_check,
    increments,
    unique_by_identity,
)

ROLLUP_TTL_S = 8 * 24 * 3600
SEEN_TTL_S = (DEDUP_BUCKETS_CHECKED + 1) * DEDUP_BUCKET_MS // 1000

# KEYS: stream, seen sets (ns), rollup hashes (nh), minute bucket sets (nm)
# ARGV: group, rollup ttl, seen ttl, ns, ne, ni, nm, na,
#       ne x (identity, seen index), ni x (hash index, field, delta), nm x (set index, member), na x entry id
COMMIT_SCRIPT = """
local group, rollup_ttl, seen_ttl = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3])
local ns, ne, ni = tonumber(ARGV[4]), tonumber(ARGV[5]), tonumber(ARGV[6])
local nm, na = tonumber(ARGV[7]), tonumber(ARGV[8])
local pos = 9
local ids, homes = {}, {}
for i = 1, ne do ids[i] = ARGV[pos]; homes[i] = tonumber(ARGV[pos + 1]); pos = pos + 2 end
local dups = {'dup'}
if ne > 0 then
  for s = 1, ns do
    local flags = redis.call('SMISMEMBER', KEYS[1 + s], unpack(ids))
    for i = 1, ne do if flags[i] == 1 then dups[#dups + 1] = ids[i] end end
  end
end
if #dups > 1 then return dups end
for i = 1, ne do redis.call('SADD', KEYS[homes[i]], ids[i]) end
for s = 1, ns do redis.call('EXPIRE', KEYS[1 + s], seen_ttl) end
local touched = {}
for i = 1, ni do
  local k = KEYS[tonumber(ARGV[pos])]
  redis.call('HINCRBY', k, ARGV[pos + 1], tonumber(ARGV[pos + 2]))
  touched[k] = true
  pos = pos + 3
end
for i = 1, nm do
  local k = KEYS[tonumber(ARGV[pos])]
  redis.call('SADD', k, ARGV[pos + 1])
  touched[k] = true
  pos = pos + 2
end
for k, _ in pairs(touched) do redis.call('EXPIRE', k, rollup_ttl) end
if na > 0 then
  local acks = {}
  for i = 1, na do acks[i] = ARGV[pos + i - 1] end
  redis.call('XACK', KEYS[1], group, unpack(acks))
end
return {'ok'}
"""

MinuteCounts = dict[str, list[int]]


class RollupStore:
    """Counts per minute and combo; see the module docstring for the commit contract."""

    def __init__(self, client: redis.Redis, layout: PartitionLayout | None = None) -> None:
        self.client = client
        self.layout = layout or layout_of(client)
        self._commit = client.register_script(COMMIT_SCRIPT)

    def commit(self, events: Sequence[CountedEvent], entry_ids: Sequence[str], partition: int = 0) -> int:
        """Count ``events`` once each and acknowledge ``entry_ids`` of ``partition``'s stream
        (the events' merchants must be of that partition); return how many were new."""
        pending = unique_by_identity(events)
        seen_buckets = dedup_buckets_to_check(e.received_ms for e in pending)
        while True:
            keys_, argv = self._commit_arguments(pending, seen_buckets, entry_ids, partition)
            try:
                result = self._commit(keys=keys_, args=argv)
            except redis.RedisError as exc:
                raise StoreUnavailable("could not commit rollups") from exc
            if result[0] == b"ok":
                return len(pending)
            duplicates = {item.decode() for item in result[1:]}
            pending = [e for e in pending if e.identity not in duplicates]

    def add_counts(self, counts: Counter[Increment]) -> None:
        """Add counts directly, without dedup (backfills and benchmarks only; the ``*``
        bucket goes to partition 0). Hours already rolled up do not see them."""
        count = self.layout.count()
        with self.client.pipeline(transaction=False) as pipe:
            for (minute, bucket, field), delta in counts.items():
                partition = partition_of(bucket, count) if bucket != GLOBAL else 0
                pipe.hincrby(keys.rollup_key(minute, bucket, partition), field, delta)
                pipe.sadd(keys.minute_buckets_key(minute, partition), bucket)
            for minute, bucket in {(m, b) for m, b, _ in counts}:
                partition = partition_of(bucket, count) if bucket != GLOBAL else 0
                pipe.expire(keys.rollup_key(minute, bucket, partition), ROLLUP_TTL_S)
                pipe.expire(keys.minute_buckets_key(minute, partition), ROLLUP_TTL_S)
            pipe.execute()

    def bucket_partitions(self, bucket: str) -> list[int]:
        """The partitions holding a bucket's minutes: a merchant's one, or every one for ``*``."""
        count = self.layout.count()
        return list(range(count)) if bucket == GLOBAL else [partition_of(bucket, count)]

    def minute(self, minute: int, bucket: str | None = None) -> MinuteCounts:
        """Every combo of one minute (or of one bucket of it): combo -> counts in ``COUNTERS`` order."""
        try:
            if bucket:
                names = [keys.rollup_key(minute, bucket, p) for p in self.bucket_partitions(bucket)]
            else:
                names = self._minute_keys(minute)
        except redis.RedisError as exc:
            raise StoreUnavailable("could not read rollups") from exc
        return self.summed_hashes(names)

    def summed_hashes(self, names: Iterable[str]) -> MinuteCounts:
        """Rollup hashes (minutes, hours or days) read in one pipeline and added up per combo."""
        try:
            with self.client.pipeline(transaction=False) as pipe:
                for name in names:
                    pipe.hgetall(name)
                hashes = pipe.execute()
        except redis.RedisError as exc:
            raise StoreUnavailable("could not read rollups") from exc
        table: MinuteCounts = {}
        for fields in hashes:
            merge_fields(table, fields)
        return table

    def series(
        self, combo: str, counters: Iterable[str], first_minute: int, last_minute: int
    ) -> dict[str, list[int]]:
        """Per-minute counts of ``combo`` from ``first_minute`` to ``last_minute`` inclusive."""
        names = list(counters)
        fields = [f"{combo}#{name}" for name in names]
        minutes = range(first_minute, last_minute + 1)
        bucket = bucket_of(combo)
        partitions = self.bucket_partitions(bucket)
        parts = len(partitions)
        try:
            with self.client.pipeline(transaction=False) as pipe:
                for minute in minutes:
                    for p in partitions:
                        pipe.hmget(keys.rollup_key(minute, bucket, p), fields)
                rows = pipe.execute()
        except redis.RedisError as exc:
            raise StoreUnavailable("could not read rollups") from exc
        return {
            name: [sum(int(row[i] or 0) for row in rows[j : j + parts]) for j in range(0, len(rows), parts)]
            for i, name in enumerate(names)
        }

    def _minute_keys(self, minute: int) -> list[str]:
        count = self.layout.count()
        with self.client.pipeline(transaction=False) as pipe:
            for p in range(count):
                pipe.smembers(keys.minute_buckets_key(minute, p))
            members = pipe.execute()
        return [keys.rollup_key(minute, _text(b), p) for p in range(count) for b in sorted(members[p])]

    def _commit_arguments(
        self,
        events: Sequence[CountedEvent],
        seen_buckets: list[int],
        entry_ids: Sequence[str],
        partition: int,
    ) -> tuple[list[str], list[Any]]:
        counts = increments(events)
        seen_index = {b: 2 + i for i, b in enumerate(seen_buckets)}
        hash_names = sorted({(m, b) for m, b, _ in counts})
        first_hash = 2 + len(seen_buckets)
        hash_index = {name: first_hash + i for i, name in enumerate(hash_names)}
        set_minutes = sorted({m for m, _ in hash_names})
        first_set = first_hash + len(hash_names)
        set_index = {m: first_set + i for i, m in enumerate(set_minutes)}
        keys_ = [keys.events_stream(partition)]
        keys_ += [keys.seen_key(b, partition) for b in seen_buckets]
        keys_ += [keys.rollup_key(m, b, partition) for m, b in hash_names]
        keys_ += [keys.minute_buckets_key(m, partition) for m in set_minutes]
        argv: list[Any] = [keys.GROUP, ROLLUP_TTL_S, SEEN_TTL_S, len(seen_buckets), len(events), len(counts),
                           len(hash_names), len(entry_ids)]  # fmt: skip
        for event in events:
            argv += [event.identity, seen_index[dedup_bucket(event.received_ms)]]
        for (minute, bucket, field), delta in counts.items():
            argv += [hash_index[(minute, bucket)], field, delta]
        for minute, bucket in hash_names:
            argv += [set_index[minute], bucket]
        argv += list(entry_ids)
        return keys_, argv


def _text(value: bytes | str) -> str:
    return value.decode() if isinstance(value, bytes) else value


def merge_fields(table: MinuteCounts, fields: dict[bytes, bytes]) -> None:
    """Add one raw rollup hash (``<combo>#<counter> -> count``) into ``table``."""
    width = len(COUNTERS)
    for raw_field, raw_value in fields.items():
        combo, _, counter = raw_field.decode().rpartition("#")
        index = COUNTER_INDEX.get(counter)
        if index is None:
            continue
        row = table.get(combo)
        if row is None:
            row = table[combo] = [0] * width
        row[index] += int(raw_value)


def group_counts_by_minute(counts: Counter[Increment]) -> dict[int, Counter[Increment]]:
    """Split increments per minute (handy for backfills that write minute by minute)."""
    split: dict[int, Counter[Increment]] = defaultdict(Counter)
    for key, delta in counts.items():
        split[key[0]][key] += delta
    return split
