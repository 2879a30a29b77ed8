"""Hour and day rollups against a real Redis: exact sums, re-runs and crashes never double count."""

from __future__ import annotations

import random
from collections import Counter

import pytest
import redis

from bff.errors import StoreUnavailable
from bff.monitoring import keys
from bff.monitoring.metrics import COUNTERS
from bff.monitoring.partition_layout import set_partition_count
from bff.monitoring.partitions import partition_of
from bff.monitoring.rollups.aggregation import CountedEvent, Increment, increments
from bff.monitoring.rollups.hours import HourDayRollups
from bff.monitoring.rollups.ranges import DAY_MINUTES, MINUTE_MS
from bff.monitoring.rollups.store import RollupStore

MERCHANTS = ("m0", "m1", "m2", "m3")
KINDS = (("session",), ("impression",), ("click",), ("authorization", "authorization_success"))


def seed(client: redis.Redis, first_minute: int, minutes: int) -> Counter[Increment]:
    """Random events in each minute, written as the rollups store them; returns the increments."""
    rng = random.Random(7)
    events = [
        CountedEvent(
            f"{merchant}:{minute}-{i}",
            minute * MINUTE_MS + rng.randrange(MINUTE_MS),
            {
                "merchant": merchant,
                "country": rng.choice(("SE", "DE")),
                "browser": rng.choice(("Chrome", "Firefox")),
            },
            rng.choice(KINDS),
        )
        for minute in range(first_minute, first_minute + minutes)
        for merchant in MERCHANTS
        for i in range(rng.randrange(0, 4))
    ]
    counts = increments(events)
    RollupStore(client).add_counts(counts)
    return counts


def expected(counts: Counter[Increment], bucket: str, first: int, last: int) -> dict[str, int]:
    total: Counter[str] = Counter()
    for (minute, b, field), delta in counts.items():
        if b == bucket and first <= minute <= last:
            total[field] += delta
    return dict(total)


def stored(client: redis.Redis, key: str) -> dict[str, int]:
    return {f.decode(): int(v) for f, v in client.hgetall(key).items()}


@pytest.fixture
def day_start() -> int:
    """The first minute of the UTC day before yesterday (so two whole days are complete)."""
    import time

    return (int(time.time() * 1000) // MINUTE_MS // DAY_MINUTES - 2) * DAY_MINUTES


def roll_all(rollups: HourDayRollups, partitions: int, watermark_ms: int) -> None:
    for partition in range(partitions):
        while rollups.step(partition, watermark_ms):
            pass


def start_at(client: redis.Redis, partitions: int, day_start: int) -> None:
    for partition in range(partitions):
        client.set(keys.rolled_key("h", partition), day_start // 60)
        client.set(keys.rolled_key("d", partition), day_start // DAY_MINUTES)


@pytest.mark.parametrize("partitions", [1, 3])
def test_hours_and_days_are_the_sums_of_their_minutes(
    redis_client: redis.Redis, day_start: int, partitions: int
) -> None:
    set_partition_count(redis_client, partitions)
    counts = seed(redis_client, day_start + 20 * 60, 30 * 60)  # 20:00 on day 1 to 02:00 on day 3
    start_at(redis_client, partitions, day_start)
    rollups = HourDayRollups(RollupStore(redis_client))
    roll_all(rollups, partitions, (day_start + 2 * DAY_MINUTES + 3 * 60) * MINUTE_MS)
    for merchant in MERCHANTS:
        for hour in (day_start // 60 + 20, day_start // 60 + 47, day_start // 60 + 49):
            first = hour * 60
            assert stored(redis_client, keys.coarse_key("h", hour, merchant)) == expected(
                counts, merchant, first, first + 59
            )
        day = day_start // DAY_MINUTES + 1
        assert stored(redis_client, keys.coarse_key("d", day, merchant)) == expected(
            counts, merchant, day * DAY_MINUTES, (day + 1) * DAY_MINUTES - 1
        )
        assert partition_of(merchant, partitions) in range(partitions)
    assert rollups.progress("h", 0) == day_start // 60 + 51  # through 02:59 on day 3
    assert rollups.progress("d", 0) == day_start // DAY_MINUTES + 2


def test_running_the_roll_up_again_never_double_counts(redis_client: redis.Redis, day_start: int) -> None:
    counts = seed(redis_client, day_start, 3 * 60)
    start_at(redis_client, 1, day_start)
    rollups = HourDayRollups(RollupStore(redis_client))
    watermark = (day_start + DAY_MINUTES + 60) * MINUTE_MS
    roll_all(rollups, 1, watermark)
    hour_key = keys.coarse_key("h", day_start // 60 + 1, "m1")
    before = stored(redis_client, hour_key)
    assert before == expected(counts, "m1", day_start + 60, day_start + 119)
    start_at(redis_client, 1, day_start)  # the progress forgotten: everything again
    roll_all(rollups, 1, watermark)
    rollups.roll("h", 0, day_start // 60 + 1)  # and one hour once more, directly
    assert stored(redis_client, hour_key) == before
    assert stored(redis_client, keys.coarse_key("d", day_start // DAY_MINUTES, "*")) == expected(
        counts, "*", day_start, day_start + DAY_MINUTES - 1
    )


def test_a_crash_between_writing_and_marking_an_hour_is_repaired(
    redis_client: redis.Redis, day_start: int
) -> None:
    counts = seed(redis_client, day_start, 2 * 60)
    start_at(redis_client, 1, day_start)
    rollups = HourDayRollups(RollupStore(redis_client))
    real_advance = rollups._advance

    def crash(**_: object) -> None:
        raise redis.ConnectionError("the worker lost Redis here")

    rollups._advance = crash  # type: ignore[assignment]  # every bucket written, the hour not marked
    with pytest.raises(StoreUnavailable):
        rollups.step(0, (day_start + 180) * MINUTE_MS)
    assert rollups.progress("h", 0) == day_start // 60
    written = stored(redis_client, keys.coarse_key("h", day_start // 60, "m2"))
    assert written == expected(counts, "m2", day_start, day_start + 59)

    calls = {"n": 0}
    real_replace = rollups._replace

    def crash_on_third_bucket(**kwargs: object) -> object:
        calls["n"] += 1
        if calls["n"] == 3:
            raise redis.ConnectionError("the worker died mid-hour")
        return real_replace(**kwargs)  # type: ignore[arg-type]

    rollups._advance = real_advance
    rollups._replace = crash_on_third_bucket  # type: ignore[assignment]
    with pytest.raises(StoreUnavailable):
        rollups.step(0, (day_start + 180) * MINUTE_MS)
    rollups._replace = real_replace
    roll_all(rollups, 1, (day_start + 180) * MINUTE_MS)
    for bucket in (*MERCHANTS, "*"):
        for hour in (day_start // 60, day_start // 60 + 1):
            assert stored(redis_client, keys.coarse_key("h", hour, bucket)) == expected(
                counts, bucket, hour * 60, hour * 60 + 59
            )


@pytest.mark.parametrize("partitions", [1, 2])
def test_a_range_read_from_days_hours_and_minutes_equals_the_minutes(
    redis_client: redis.Redis, day_start: int, partitions: int
) -> None:
    set_partition_count(redis_client, partitions)
    counts = seed(redis_client, day_start, DAY_MINUTES + 5 * 60)
    start_at(redis_client, partitions, day_start)
    store = RollupStore(redis_client)
    rollups = HourDayRollups(store)
    roll_all(rollups, partitions, (day_start + DAY_MINUTES + 3 * 60 + 10) * MINUTE_MS)
    first, last = day_start, day_start + DAY_MINUTES + 4 * 60 + 29
    now = last + 30
    for bucket in ("m3", "*"):
        plan, table = rollups.totals(bucket, first, last, now)
        assert plan.days == (day_start // DAY_MINUTES,) and len(plan.hours) == 3 and len(plan.minutes) == 90
        flat = {
            f"{combo}#{counter}": value
            for combo, row in table.items()
            for counter, value in zip(COUNTERS, row, strict=True)
            if value
        }
        assert flat == expected(counts, bucket, first, last)
