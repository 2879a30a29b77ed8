"""GDPR export and erasure cover every key of a shopper: profile, consent, visits, day counters."""

from __future__ import annotations

import datetime as dt

import pytest
import redis

from bff.personalization.profile import Profile
from bff.store import keys
from bff.store.profiles import ProfileStore
from bff.store.session_decisions import SessionDecisionStore, SessionState

KEY = b"k" * 32
NOW = dt.datetime.now(dt.UTC)
TODAY = NOW.date().isoformat()
YESTERDAY = (NOW.date() - dt.timedelta(days=1)).isoformat()
VISITS = ("a" * 32, "b" * 32)


@pytest.fixture
def profiles(redis_client: redis.Redis) -> ProfileStore:
    """A profile store on the session's Redis (flushed), its clock fixed at NOW."""
    return ProfileStore(redis_client, KEY, bucket_bits=8, clock=lambda: NOW)


@pytest.fixture
def shopper(redis_client: redis.Redis, profiles: ProfileStore) -> str:
    """Shopper c-1: a profile, consent state and log, two identified visits (one auto-opened
    yesterday and today, one today) and, to stay untouched, shopper c-2 in the same bucket hash."""
    profiles.save_many("demo", [Profile("c-1", "Ada", city="Lund"), Profile("c-2", "Bo")])
    sessions = SessionDecisionStore(redis_client, KEY)
    sessions.write("demo", VISITS[0], SessionState(auto_opens=1, identified=True), None, "c-1")
    # Yesterday's counter lives on until 01:00 UTC (written directly: the store would let it
    # expire at once after that hour).
    redis_client.set(keys.auto_open_day_key("demo", VISITS[0], YESTERDAY), 1, ex=600)
    sessions.write("demo", VISITS[0], SessionState(auto_opens=2, identified=True), (VISITS[0], TODAY))
    sessions.write("demo", VISITS[1], SessionState(auto_opens=1, identified=True), (VISITS[1], TODAY), "c-1")
    sessions.write("demo", "c" * 32, SessionState(), ("c" * 32, TODAY), "c-2")
    ref_hash = profiles.ref_hash("demo", "c-1")
    redis_client.hset(keys.consent_state_key("demo", ref_hash), "personalization", "1")
    redis_client.rpush(keys.consent_log_key("demo", ref_hash), '{"personalization": true}')
    return "c-1"


def test_export_shows_every_key(profiles: ProfileStore, shopper: str) -> None:
    exported = profiles.export("demo", shopper)
    assert exported["profile"]["first_name"] == "Ada" and exported["profile"]["city"] == "Lund"
    assert exported["consent_state"] == {"personalization": "1"}
    assert exported["consent_log"] == [{"personalization": True}]
    assert exported["sessions"] == {
        VISITS[0]: {
            "decisions": {"picks": [], "auto_opens": 2, "identified": True},
            "auto_open_counters": {YESTERDAY: 1, TODAY: 1},
        },
        VISITS[1]: {
            "decisions": {"picks": [], "auto_opens": 1, "identified": True},
            "auto_open_counters": {TODAY: 1},
        },
    }


def test_export_of_an_unknown_shopper_is_empty(profiles: ProfileStore) -> None:
    assert profiles.export("demo", "nobody") == {
        "profile": None,
        "consent_log": [],
        "consent_state": None,
        "sessions": {},
    }


def test_erase_removes_every_key_and_only_the_shoppers(
    redis_client: redis.Redis, profiles: ProfileStore, shopper: str
) -> None:
    before = set(redis_client.keys("*"))
    removed = profiles.erase("demo", shopper)
    assert removed == {
        "profile": 1,
        "consent_log": 1,
        "consent_state": 1,
        "sessions": 2,
        "decisions": 2,
        "auto_open_counters": 3,
    }
    ref_hash = profiles.ref_hash("demo", shopper).encode()
    gone = {k for k in before if ref_hash in k or any(v.encode() in k for v in VISITS)}
    assert len(gone) == 1 + 1 + 1 + 2 + 3  # consent log and state, index, 2 visits, 3 counters
    bucket, other = (profiles.location("demo", ref)[0] for ref in (shopper, "c-2"))
    if bucket != other:  # the profile was alone in its bucket hash, so the hash went too
        gone.add(bucket.encode())
    assert set(redis_client.keys("*")) == before - gone
    assert profiles.get("demo", shopper) is None
    assert profiles.get("demo", "c-2") is not None
    assert profiles.export("demo", shopper)["sessions"] == {}
