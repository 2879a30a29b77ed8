"""Hour and day rollups: the roll-up step, and reads of a bucket over a range.

``HourDayRollups(store).step(partition, watermark_ms)`` rolls up the next hours whose
minutes the watermark has passed (every event of them counted), then the days whose 24
hours are rolled up. Rolling up one hour of one bucket **replaces** the hour's hash with
the sum of its 60 minute hashes (a Lua script: ``DEL``, ``HSET``, ``EXPIRE``, atomic on its
one key). The minutes are final once the watermark has passed them, so a re-run writes the
same values: re-running any part of the step never double counts. The step's progress is
``keys.rolled_key`` (the first hour, and day, of the partition not rolled up yet), advanced
only after every bucket of the hour (day) is written; a crash in between leaves it behind,
and the next step writes that hour again, to the same values. The buckets rolled up for an
hour (day) are added to ``keys.coarse_buckets_key``, which the day's roll-up reads.

Limits: counts added to a minute after its hour was rolled up (``RollupStore.add_counts``
backfills) are not in the hour; an hour not rolled up within the minutes' 8 days is lost.

``totals(bucket, first_minute, last_minute, now_minute)`` sums a bucket over a range from
the pieces ``ranges.plan_range`` chooses: days and hours rolled up in every partition the
bucket lives in, minutes for the rest (one pipelined read).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import redis

from bff.errors import StoreUnavailable
from bff.monitoring import keys
from bff.monitoring.rollups.ranges import (
    HOUR_MINUTES,
    RETENTION_S,
    RangePlan,
    due_days,
    due_hours,
    plan_range,
)
from bff.monitoring.rollups.store import MinuteCounts, RollupStore

# KEYS: the hash. ARGV: ttl, then field, value pairs (none: the hash is deleted).
_REPLACE_SCRIPT = """
redis.call('DEL', KEYS[1])
if #ARGV > 1 then
  redis.call('HSET', KEYS[1], unpack(ARGV, 2))
  redis.call('EXPIRE', KEYS[1], ARGV[1])
end
return 1
"""
# KEYS: the progress key. ARGV: the new value; never moves it back (a stale owner's step).
_ADVANCE_SCRIPT = """
local current = tonumber(redis.call('GET', KEYS[1]) or '-1')
if tonumber(ARGV[1]) > current then redis.call('SET', KEYS[1], ARGV[1]) end
return 1
"""
HOURS_PER_STEP = 2
DAYS_PER_STEP = 1
_SUB = {"h": ("m", HOUR_MINUTES), "d": ("h", 24)}


def summed(hashes: Iterable[dict[bytes, bytes]]) -> dict[str, int]:
    """Field-wise sum of raw hashes (``<combo>#<counter> -> count``), zeros left out (pure)."""
    total: dict[str, int] = {}
    for fields in hashes:
        for raw_field, raw_value in fields.items():
            name = raw_field.decode()
            total[name] = total.get(name, 0) + int(raw_value)
    return {name: value for name, value in total.items() if value}


class HourDayRollups:
    """The roll-up step and the range reads over one ``RollupStore``'s Redis."""

    def __init__(self, store: RollupStore) -> None:
        self.store = store
        self.client = store.client
        self._replace = self.client.register_script(_REPLACE_SCRIPT)
        self._advance = self.client.register_script(_ADVANCE_SCRIPT)

    def step(self, partition: int, watermark_ms: int) -> int:
        """Roll up the next due hours (at most ``HOURS_PER_STEP``) and days of ``partition``;
        return how many periods were completed. Raises ``StoreUnavailable``."""
        try:
            done = 0
            for hour in due_hours(self._progress("h", partition), watermark_ms, HOURS_PER_STEP):
                self.roll("h", partition, hour)
                done += 1
            next_hour = self._progress("h", partition)
            if next_hour is not None:
                for day in due_days(self._progress("d", partition), next_hour, DAYS_PER_STEP):
                    self.roll("d", partition, day)
                    done += 1
            return done
        except redis.RedisError as exc:
            raise StoreUnavailable("could not roll up hours and days") from exc

    def roll(self, resolution: str, partition: int, period: int) -> None:
        """Write every bucket of one hour (``h``) or day (``d``) of ``partition``, then mark it done."""
        sub, parts = _SUB[resolution]
        periods = range(period * parts, (period + 1) * parts)
        with self.client.pipeline(transaction=False) as pipe:
            for p in periods:
                if sub == "m":
                    pipe.smembers(keys.minute_buckets_key(p, partition))
                else:
                    pipe.smembers(keys.coarse_buckets_key(sub, p, partition))
            buckets = sorted({b.decode() for members in pipe.execute() for b in members})
        ttl = RETENTION_S[resolution]
        for bucket in buckets:
            with self.client.pipeline(transaction=False) as pipe:
                for p in periods:
                    pipe.hgetall(self._sub_key(sub, p, bucket, partition))
                total = summed(pipe.execute())
            args: list[str | int] = [ttl]
            for name, value in total.items():
                args += [name, value]
            self._replace(keys=[keys.coarse_key(resolution, period, bucket, partition)], args=args)
        if buckets:
            index = keys.coarse_buckets_key(resolution, period, partition)
            self.client.sadd(index, *buckets)
            self.client.expire(index, ttl)
        self._advance(keys=[keys.rolled_key(resolution, partition)], args=[period + 1])

    def progress(self, resolution: str, partition: int) -> int | None:
        """The first hour or day of ``partition`` not rolled up (``None``: never rolled up)."""
        try:
            return self._progress(resolution, partition)
        except redis.RedisError as exc:
            raise StoreUnavailable("could not read the roll-up progress") from exc

    def totals(
        self, bucket: str, first_minute: int, last_minute: int, now_minute: int
    ) -> tuple[RangePlan, MinuteCounts]:
        """A bucket's combos summed over a range (see the module docstring) and the plan read."""
        partitions = self.store.bucket_partitions(bucket)
        try:
            hours_before = min(self._progress("h", p) or 0 for p in partitions)
            days_before = min(self._progress("d", p) or 0 for p in partitions)
        except redis.RedisError as exc:
            raise StoreUnavailable("could not read the roll-up progress") from exc
        plan = plan_range(first_minute, last_minute, now_minute=now_minute,
                          hours_before=hours_before, days_before=days_before)  # fmt: skip
        return plan, self.store.summed_hashes(self._plan_keys(plan, bucket, partitions))

    def _plan_keys(self, plan: RangePlan, bucket: str, partitions: Sequence[int]) -> list[str]:
        names = []
        for p in partitions:
            names += [keys.coarse_key("d", day, bucket, p) for day in plan.days]
            names += [keys.coarse_key("h", hour, bucket, p) for hour in plan.hours]
            names += [keys.rollup_key(minute, bucket, p) for minute in plan.minutes]
        return names

    def _sub_key(self, sub: str, period: int, bucket: str, partition: int) -> str:
        if sub == "m":
            return keys.rollup_key(period, bucket, partition)
        return keys.coarse_key(sub, period, bucket, partition)

    def _progress(self, resolution: str, partition: int) -> int | None:
        raw = self.client.get(keys.rolled_key(resolution, partition))
        return None if raw is None else int(raw)
