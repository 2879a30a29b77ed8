"""The configuration version watch on a real Redis: pushed changes, the polling fallback when
the subscription is down, and the staleness bound of renders whatever the watcher does.

"Another process" writes here with raw Redis commands (INCR, PUBLISH), which skips the
in-process invalidation that ``announce_config_change`` also does."""

from __future__ import annotations

import json
import os
import secrets
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import redis

from bff.store import keys
from bff.store.config_version_watch import CHANNEL, ConfigVersionWatch, announce_config_change
from bff.store.embedded import EmbeddedRedis
from bff.store.merchant_config import MerchantConfigStore
from tests.redis_commands import calls_of
from tests.rpc.test_placements_render import params

WAIT_S = 5.0


def eventually(check: Callable[[], bool], within_s: float = WAIT_S) -> float:
    """Seconds until ``check()`` held (fails past ``within_s``)."""
    started = time.monotonic()
    while not check():
        assert time.monotonic() - started < within_s, "condition not reached"
        time.sleep(0.005)
    return time.monotonic() - started


@pytest.fixture
def watched(app) -> Iterator[MerchantConfigStore]:  # type: ignore[no-untyped-def]
    """The app's configuration store with the demo merchant loaded and its watcher subscribed."""
    store: MerchantConfigStore = app.extensions["onsite.merchants"]
    assert store.load("demo") is not None
    eventually(lambda: store.versions.subscribed and store.fresh("demo") is not None)
    yield store
    store.versions.stop()


def remote_bump(client: redis.Redis, client_id: str = "demo", publish: bool = True) -> int:
    """A configuration write by another process: the version moves (and is announced)."""
    version = int(client.incr(keys.config_version_key(client_id)))
    if publish:
        client.publish(CHANNEL, client_id)
    return version


def test_a_render_of_a_known_fresh_configuration_reads_no_version(
    watched: MerchantConfigStore, rpc, redis_client
) -> None:  # type: ignore[no-untyped-def]
    before = calls_of(redis_client, "get")
    for _ in range(5):
        assert rpc("placements.render", params())["result"]["kind"] == "badge"
    after = calls_of(redis_client, "get")
    # Each render still reads its day count (GET) and its visit state (GETEX); the version
    # would be a sixth to tenth GET.
    assert after - before == 5


def test_a_pushed_change_reaches_the_worker_before_any_recheck(app, redis_client) -> None:  # type: ignore[no-untyped-def]
    store = MerchantConfigStore(redis_client, ConfigVersionWatch(redis_client, subscribed_recheck_s=60))
    try:
        assert store.load("demo") is not None
        eventually(lambda: store.versions.subscribed and store.fresh("demo") is not None)
        remote_bump(redis_client)
        # Re-checks are a minute apart here: only the message can have done it.
        assert eventually(lambda: store.fresh("demo") is None) < store.versions.trust_s
        config = store.load("demo")
        assert config is not None and config.version == int(redis_client.get(keys.config_version_key("demo")))
    finally:
        store.versions.stop()


def test_a_local_save_is_seen_by_the_next_render_at_once(watched: MerchantConfigStore) -> None:
    catalogue = [{"sku": "s-1", "name": "Desk", "url": "https://shop.example/desk", "interests": ["home"]}]
    watched.save_catalogue("demo", catalogue)
    assert watched.fresh("demo") is None  # no waiting for the message
    config = watched.load("demo")
    assert config is not None and [p.sku for p in config.catalogue] == ["s-1"]


def test_without_a_subscription_the_versions_are_polled(
    redis_server: EmbeddedRedis, app, redis_client
) -> None:  # type: ignore[no-untyped-def]
    # A user that may read and write but not subscribe: the subscription can never come up.
    password = secrets.token_hex(16)
    user = f"nosub-{secrets.token_hex(4)}"
    redis_client.acl_setuser(
        user, enabled=True, passwords=[f"+{password}"], keys=["*"], channels=["*"],
        commands=["+@all", "-subscribe", "-psubscribe", "-ssubscribe"],
    )  # fmt: skip
    client = redis.Redis(
        unix_socket_path=redis_server.url.removeprefix("unix://"), username=user, password=password
    )
    store = MerchantConfigStore(client, ConfigVersionWatch(client, fallback_recheck_s=0.05))
    try:
        assert store.load("demo") is not None
        assert store.versions.trusted("demo") is not None
        time.sleep(0.3)
        assert not store.versions.subscribed
        new = remote_bump(redis_client, publish=False)
        eventually(lambda: store.versions.trusted("demo") == new, within_s=store.versions.trust_s + 1.0)
        assert store.fresh("demo") is None  # cached config is older than the known version: reload
    finally:
        store.versions.stop()
        client.close()
        redis_client.acl_deluser(user)


def test_a_dropped_subscription_comes_back_and_misses_nothing(
    watched: MerchantConfigStore, redis_client
) -> None:
    killed = redis_client.client_kill_filter(_type="pubsub")
    assert killed >= 1
    new = remote_bump(redis_client, publish=False)  # while nobody listens
    eventually(lambda: watched.versions.trusted("demo") == new)
    eventually(lambda: watched.versions.subscribed)
    newer = remote_bump(redis_client)
    eventually(lambda: watched.versions.trusted("demo") in (None, newer))


def disable_demo_behind_the_watchers_back(client: redis.Redis) -> None:
    """Another process disables the merchant and its message is lost (no PUBLISH)."""
    doc = json.loads(client.get(keys.merchant_key("demo")))  # type: ignore[arg-type]
    client.set(keys.merchant_key("demo"), json.dumps({**doc, "disabled": True}))
    remote_bump(client, publish=False)


def render_kind(rpc: Any) -> str:
    reply = rpc("placements.render", params())
    return "error" if "error" in reply else str(reply["result"]["kind"])


@pytest.mark.parametrize("watcher", ["running", "stalled"])
def test_no_render_uses_a_version_older_than_the_bound(
    watched: MerchantConfigStore, rpc, redis_client, watcher: str
) -> None:  # type: ignore[no-untyped-def]
    assert render_kind(rpc) == "badge"
    if watcher == "stalled":
        watched.versions.stop()  # no more pushes nor re-checks: the renders' own reads must do
    changed_at = time.monotonic()
    disable_demo_behind_the_watchers_back(redis_client)
    bound = watched.versions.trust_s
    while time.monotonic() - changed_at < bound + 0.2:
        kind = render_kind(rpc)
        if time.monotonic() - changed_at > bound + 0.05:
            assert kind == "error", "a render used a configuration older than the bound"
        time.sleep(0.02)
    assert render_kind(rpc) == "error"


def test_an_announce_that_cannot_publish_still_invalidates_here(watched: MerchantConfigStore) -> None:
    broken = redis.Redis(unix_socket_path="/nonexistent/redis.sock", socket_connect_timeout=0.2)
    announce_config_change(broken, "demo")
    assert watched.fresh("demo") is None


def test_a_forked_worker_trusts_nothing_of_its_parent(watched: MerchantConfigStore) -> None:
    assert watched.versions.trusted("demo") is not None
    pid = os.fork()
    if pid == 0:  # the child: what a gunicorn or granian worker is after the fork
        os._exit(0 if watched.versions._known == {} and not watched.versions._started else 1)
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0
    assert watched.versions.trusted("demo") is not None  # the parent keeps its own
