"""Batched AOF rewrites after erasures, against the session's real redis-server (AOF on)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import redis
from redis.backoff import NoBackoff
from redis.retry import Retry
from structlog.testing import capture_logs

from bff.logs import configure_logging
from bff.store import keys
from bff.store.aof_rewrites import AofRewrites
from bff.store.embedded import EmbeddedRedis

T0 = 1_800_000_000.0
LIMITED_USER = "no-rewrites"


def rewrites_started(client: redis.Redis) -> int:
    return int(client.info("persistence")["aof_rewrites"])


def state(client: redis.Redis) -> dict[str, str]:
    return {k.decode(): v.decode() for k, v in client.hgetall(keys.aof_rewrite_key()).items()}


@pytest.fixture
def limited_client(redis_server: EmbeddedRedis, redis_client: redis.Redis) -> Iterator[redis.Redis]:
    """A client whose user may do everything but BGREWRITEAOF, as on a managed Redis."""
    redis_client.acl_setuser(
        LIMITED_USER, enabled=True, passwords=["+pw"], keys=["*"], channels=["*"],
        commands=["+@all", "-bgrewriteaof"],
    )  # fmt: skip
    client = redis.Redis(unix_socket_path=str(redis_server.socket_path), username=LIMITED_USER, password="pw")
    yield client
    client.close()
    redis_client.acl_deluser(LIMITED_USER)


def test_the_first_erasure_rewrites_at_once_later_ones_wait_for_the_interval(
    redis_client: redis.Redis,
) -> None:
    rewrites = AofRewrites(redis_client, interval_s=3600)
    assert rewrites.run_due(T0) == "idle"
    before = rewrites_started(redis_client)
    assert rewrites.erasure_done(T0) == "started"
    assert rewrites.wait_until_rewritten(timeout_s=30)
    assert rewrites_started(redis_client) == before + 1
    assert rewrites.erasure_done(T0 + 10) == "deferred"
    assert rewrites.erasure_done(T0 + 20) == "deferred"
    assert rewrites.run_due(T0 + 3599) == "deferred"
    assert rewrites_started(redis_client) == before + 1
    assert rewrites.run_due(T0 + 3600) == "started"  # one rewrite for both waiting erasures
    assert rewrites.wait_until_rewritten(timeout_s=30)
    assert rewrites.run_due(T0 + 7200) == "idle"
    assert rewrites_started(redis_client) == before + 2
    assert state(redis_client) == {"erasures": "3", "covered": "3", "attempted_at": repr(T0 + 3600)}


def test_a_rewrite_already_running_covers_nothing_and_is_retried(redis_client: redis.Redis) -> None:
    rewrites = AofRewrites(redis_client, interval_s=3600)
    redis_client.mset({f"k{i}": "v" for i in range(5)})
    redis_client.config_set("rdb-key-save-delay", 100_000)  # 0.1 s per key: a rewrite of ~0.5 s
    try:
        redis_client.bgrewriteaof()  # forked before the erasure below
        assert rewrites.erasure_done(T0) == "busy"
        assert state(redis_client) == {"erasures": "1"}
    finally:
        redis_client.config_set("rdb-key-save-delay", 0)
        assert rewrites.wait_until_rewritten(timeout_s=30)
    # Busy does not start the interval: the next call (the worker's, 30 s later) rewrites.
    assert rewrites.run_due(T0 + 30) == "started"
    assert rewrites.wait_until_rewritten(timeout_s=30)
    assert rewrites.run_due(T0 + 60) == "idle"


def test_a_redis_that_refuses_is_logged_and_retried_after_the_interval(
    redis_client: redis.Redis, limited_client: redis.Redis
) -> None:
    rewrites = AofRewrites(limited_client, interval_s=3600)
    before = rewrites_started(redis_client)
    configure_logging("warning")  # as the app does (an earlier test may have left "error")
    with capture_logs() as logs:
        assert rewrites.erasure_done(T0) == "refused"
    assert {
        "event": "erasure.aof_rewrite",
        "outcome": "refused",
        "erasures": 1,
        "log_level": "warning",
    } in logs
    assert rewrites.run_due(T0 + 60) == "deferred"  # not once per call: once per interval
    assert rewrites.run_due(T0 + 3600) == "refused"  # still due
    assert rewrites_started(redis_client) == before


def test_an_unreachable_redis_never_raises(tmp_path) -> None:  # type: ignore[no-untyped-def]
    no_retries = Retry(NoBackoff(), 0)
    nowhere = redis.Redis(unix_socket_path=str(tmp_path / "none.sock"), socket_timeout=0.1, retry=no_retries)
    rewrites = AofRewrites(nowhere, interval_s=0)
    assert rewrites.erasure_done(T0) == "unavailable"
    assert rewrites.run_due(T0) == "unavailable"
    assert rewrites.wait_until_rewritten(timeout_s=1) is False
