"""Lifetimes of a visit's keys: day counters end an hour after their UTC day; the ref index outlives them."""

from __future__ import annotations

import datetime as dt

import redis

from bff.store import keys
from bff.store.session_decisions import (
    DAY_COUNTER_GRACE_S,
    REF_INDEX_TTL_S,
    SessionDecisionStore,
    SessionState,
    counter_days,
    counter_expiry,
)

KEY = b"k" * 32


def test_a_day_counter_expires_an_hour_after_its_day() -> None:
    assert counter_expiry("2026-11-25") == int(dt.datetime(2026, 11, 26, 1, tzinfo=dt.UTC).timestamp())


def test_only_yesterdays_and_todays_counters_can_exist() -> None:
    just_after_midnight = dt.datetime(2026, 11, 26, 0, 30, tzinfo=dt.UTC)
    assert counter_days(just_after_midnight) == ("2026-11-25", "2026-11-26")
    # Days are UTC days whatever the clock's zone.
    evening_in_stockholm = dt.datetime(2026, 11, 26, 0, 30, tzinfo=dt.timezone(dt.timedelta(hours=1)))
    assert counter_days(evening_in_stockholm) == ("2026-11-24", "2026-11-25")


def test_the_ref_index_outlives_the_counters_of_its_day() -> None:
    # Identified at 00:00 UTC, a visit's counter of that day ends at 01:00 the next day.
    assert REF_INDEX_TTL_S >= 24 * 3600 + DAY_COUNTER_GRACE_S


def test_write_sets_the_counter_expiry_and_indexes_by_pseudonym(redis_client: redis.Redis) -> None:
    store = SessionDecisionStore(redis_client, KEY)
    today = dt.datetime.now(dt.UTC).date().isoformat()
    store.write("demo", "s" * 32, SessionState(auto_opens=1, identified=True), ("s" * 32, today), "c-1")
    counter = keys.auto_open_day_key("demo", "s" * 32, today)
    assert redis_client.get(counter) == b"1"
    assert redis_client.expiretime(counter) == counter_expiry(today)
    ref_hash = keys.ref_digest(KEY, "demo", "c-1").hex()
    assert redis_client.smembers(keys.ref_sessions_key("demo", ref_hash)) == {b"s" * 32}
    assert not any(b"c-1" in k for k in redis_client.keys("*"))
