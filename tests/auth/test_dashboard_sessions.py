"""Dashboard sessions in Redis (bff/auth/dashboard_sessions.py): tokens, timeouts, revocation.

Time is passed in, so idle and absolute expiry are checked at exact instants without sleeping.
"""

from __future__ import annotations

import redis
from redis.backoff import NoBackoff
from redis.retry import Retry

from bff.auth.dashboard_sessions import DashboardSessionStore, is_token
from bff.errors import StoreUnavailable

KEY = b"k" * 32
IDLE_S, ABSOLUTE_S = 1800, 43200
T0 = 1_800_000_000.0


def store(client: redis.Redis, idle_s: int = IDLE_S, absolute_s: int = ABSOLUTE_S) -> DashboardSessionStore:
    return DashboardSessionStore(client, KEY, idle_s, absolute_s)


def test_the_token_is_256_random_bits_and_redis_holds_only_its_hash(redis_client) -> None:  # type: ignore[no-untyped-def]
    sessions = store(redis_client)
    tokens = {sessions.create("ops", "admin", T0) for _ in range(20)}
    assert len(tokens) == 20 and all(is_token(t) and len(t) == 43 for t in tokens)
    stored = b""
    for key in redis_client.scan_iter("onsite:{auth}:*"):
        kind = redis_client.type(key)
        value = redis_client.get(key) if kind == b"string" else b" ".join(redis_client.zrange(key, 0, -1))
        stored += key + b" " + value + b"\n"
    assert stored.count(b"onsite:{auth}:session:") == 20
    assert not any(t.encode() in stored for t in tokens)


def test_a_session_is_loaded_and_its_idle_deadline_slides(redis_client) -> None:  # type: ignore[no-untyped-def]
    sessions = store(redis_client)
    token = sessions.create("ops", "admin", T0)
    # Each load within the idle window moves the deadline: three idle windows later, still live.
    for step in range(1, 4):
        loaded = sessions.load(token, T0 + step * (IDLE_S - 1))
        assert loaded is not None and (loaded.username, loaded.role) == ("ops", "admin")
        assert loaded.last_seen_s == T0 + step * (IDLE_S - 1)


def test_an_idle_session_ends_and_its_key_goes(redis_client) -> None:  # type: ignore[no-untyped-def]
    sessions = store(redis_client)
    token = sessions.create("ops", "admin", T0)
    assert sessions.load(token, T0 + IDLE_S) is None
    assert list(redis_client.scan_iter("onsite:{auth}:session:*")) == []
    assert sessions.load(token, T0 + 1) is None  # gone for good, even with an earlier clock


def test_a_busy_session_still_ends_at_its_absolute_lifetime(redis_client) -> None:  # type: ignore[no-untyped-def]
    sessions = store(redis_client, idle_s=600, absolute_s=3600)
    token = sessions.create("ops", "admin", T0)
    for minute in range(5, 60, 5):
        assert sessions.load(token, T0 + minute * 60) is not None
    assert sessions.load(token, T0 + 3600) is None


def test_redis_expires_the_key_at_the_earlier_deadline(redis_client) -> None:  # type: ignore[no-untyped-def]
    sessions = store(redis_client, idle_s=600, absolute_s=900)
    token = sessions.create("ops", "admin", T0)
    (key,) = redis_client.scan_iter("onsite:{auth}:session:*")
    assert 599_000 < redis_client.pttl(key) <= 600_000  # idle deadline first
    assert sessions.load(token, T0 + 500) is not None  # idle would end at +1100, absolute at +900
    assert 399_000 < redis_client.pttl(key) <= 400_000


def test_revoke_ends_one_session(redis_client) -> None:  # type: ignore[no-untyped-def]
    sessions = store(redis_client)
    first, second = sessions.create("ops", "admin", T0), sessions.create("ops", "admin", T0)
    assert sessions.revoke(first) is True
    assert sessions.revoke(first) is False
    assert sessions.load(first, T0 + 1) is None
    assert sessions.load(second, T0 + 1) is not None


def test_revoke_user_ends_all_of_that_users_sessions_only(redis_client) -> None:  # type: ignore[no-untyped-def]
    sessions = store(redis_client)
    ops = [sessions.create("ops", "admin", T0 + i) for i in range(3)]
    ana = sessions.create("ana", "analyst", T0)
    sessions.revoke(ops[0])
    assert sessions.revoke_user("ops") == 2
    assert all(sessions.load(t, T0 + 5) is None for t in ops)
    assert sessions.load(ana, T0 + 5) is not None
    assert sessions.revoke_user("ops") == 0


def test_the_user_index_drops_sessions_past_their_absolute_end(redis_client) -> None:  # type: ignore[no-untyped-def]
    sessions = store(redis_client, idle_s=60, absolute_s=120)
    for i in range(5):
        sessions.create("ops", "admin", T0 + i)
    sessions.create("ops", "admin", T0 + 500)  # a login much later prunes the index
    assert redis_client.zcard("onsite:{auth}:user-sessions:ops") == 1


def test_a_malformed_token_is_refused_without_asking_redis() -> None:
    dead = redis.Redis(unix_socket_path="/nonexistent/redis.sock", retry=Retry(NoBackoff(), 0))
    sessions = store(dead)
    for token in (None, "", "short", "x" * 42 + "!", "x" * 44):
        assert sessions.load(token, T0) is None
        assert sessions.revoke(token) is False
    try:
        sessions.load("x" * 43, T0)
    except StoreUnavailable:
        pass  # a well-formed token is looked up, and Redis errors are translated
    else:
        raise AssertionError("a well-formed token must be looked up in Redis")


def test_the_csrf_token_is_bound_to_the_cookie_token(redis_client) -> None:  # type: ignore[no-untyped-def]
    sessions = store(redis_client)
    a, b = sessions.create("ops", "admin", T0), sessions.create("ops", "admin", T0)
    assert sessions.csrf_token(a) == sessions.csrf_token(a) != sessions.csrf_token(b)
    assert DashboardSessionStore(redis_client, b"o" * 32, 1, 1).csrf_token(a) != sessions.csrf_token(a)
    assert a not in sessions.csrf_token(a)
