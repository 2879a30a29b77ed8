"""The whole app against a real 3-master Redis Cluster on loopback (redis+cluster:// URL).

Render (sticky and personalized), campaign admin (WATCH/MULTI), profiles, GDPR export
and erasure, consent, events (stream + the rollup worker's Lua commit) and the audit log
run through ``create_app(Settings(redis_url=...))``; any CROSSSLOT or MOVED problem would
surface as a failed call. The cluster is started once for the module and stopped at the end.
"""

from __future__ import annotations

import datetime as dt
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import redis
from redis.cluster import RedisCluster, key_slot

from bff import create_app
from bff.audit.log import AuditLog, actor_cli
from bff.demo import customer_token
from bff.monitoring import keys as monitoring_keys
from bff.monitoring.rollups.worker import RollupWorker, WorkerConfig
from bff.personalization.profile import Profile
from bff.settings import Settings
from bff.store import keys
from bff.store.connection import is_cluster
from tests.rpc.test_campaigns_rpc import NEW_CAMPAIGN
from tests.rpc.test_placements_render import params
from tests.store.local_cluster import LocalCluster

CONSENT = {"personalization": True}
# Keys deliberately outside any hash tag: single keys that no multi-key operation touches.
UNTAGGED = {b"onsite:api-keys"}


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalCluster]:
    """Three masters on free loopback ports, joined into one cluster; stopped after the module."""
    local = LocalCluster(tmp_path_factory.mktemp("cluster"))
    local.start()
    yield local
    local.stop()


@pytest.fixture
def cluster_app(cluster: LocalCluster, tmp_path: Path):  # type: ignore[no-untyped-def]
    """The app on the cluster (flushed first), demo merchant seeded."""
    for node in cluster.node_clients():
        node.flushall()
    settings = Settings(redis_url=cluster.url, var_dir=tmp_path / "var", testing=True, log_level="warning")
    app = create_app(settings)
    yield app
    app.extensions["onsite.redis"].close()


@pytest.fixture
def call(cluster_app):  # type: ignore[no-untyped-def]
    """Call a JSON-RPC method (optionally with an API key); returns the response object."""
    client = cluster_app.test_client()

    def rpc(method: str, rpc_params: object, key: str | None = None) -> dict[str, Any]:
        headers = {"Authorization": f"Bearer {key}"} if key else {}
        body = {"jsonrpc": "2.0", "id": 1, "method": method, "params": rpc_params}
        response = client.post("/rpc", json=body, headers=headers)
        assert response.status_code == 200, response.data
        return response.get_json()  # type: ignore[no-any-return]

    return rpc


def all_keys(cluster: LocalCluster) -> list[bytes]:
    return [k for node in cluster.node_clients() for k in node.scan_iter(count=1000)]


def test_the_app_uses_a_cluster_client(cluster_app) -> None:  # type: ignore[no-untyped-def]
    client = cluster_app.extensions["onsite.redis"]
    assert is_cluster(client) and isinstance(client, RedisCluster)
    assert len(client.get_primaries()) == 3


def test_render_is_sticky_and_personal_on_the_cluster(cluster_app, call, cluster) -> None:  # type: ignore[no-untyped-def]
    first = call("placements.render", params())["result"]
    assert first["text"] == "Pay in 4 interest-free payments of £24.75"
    again = call("placements.render", params(purchase_amount=11900))["result"]
    assert (again["campaign_id"], again["variant"]) == (first["campaign_id"], first["variant"])
    personal = call(
        "placements.render",
        params(
            customer_token=customer_token(cluster_app, "demo", "demo-anna"),
            consent=CONSENT,
            session_id="a" * 32,
        ),
    )["result"]
    assert personal["text"].startswith("Hi Anna!")
    session_slot = key_slot(keys.session_key("demo", params()["session_id"]).encode())
    assert session_slot == key_slot(keys.config_version_key("demo").encode())


def test_campaign_admin_transactions_stay_in_one_slot(cluster_app, call) -> None:  # type: ignore[no-untyped-def]
    secret, _ = cluster_app.extensions["onsite.api_keys"].create(
        "demo", "merchant_admin", "cluster", dt.datetime.now(dt.UTC)
    )
    assert call("campaigns.create", {"campaign": NEW_CAMPAIGN}, secret)["result"]["version"] == 1
    assert call("campaigns.create", {"campaign": NEW_CAMPAIGN}, secret)["error"]["code"] == -32009
    updated = call("campaigns.update", {"campaign": {**NEW_CAMPAIGN, "priority": 60}, "version": 1}, secret)
    assert updated["result"]["version"] == 2
    stale = call("campaigns.update", {"campaign": NEW_CAMPAIGN, "version": 1}, secret)
    assert stale["error"]["code"] == -32009
    assert call("campaigns.get", {"campaign_id": "gb-winter"}, secret)["result"]["priority"] == 60
    assert "gb-winter" in [c["id"] for c in call("campaigns.list", {}, secret)["result"]]
    assert call("campaigns.archive", {"campaign_id": "gb-winter"}, secret)["result"]["status"] == "archived"
    preview = call("campaigns.preview", {"context": {"placement_key": "credit-badge", "locale": "en-GB",
                                                     "purchase_amount": 9900}, "campaign_id": "gb-pay-in-4"},
                   secret)  # fmt: skip
    assert "result" in preview, preview
    # The render process sees the new configuration version (read in its cross-slot pipeline).
    call("campaigns.update", {"campaign": {**NEW_CAMPAIGN, "priority": 99}}, secret)
    assert call("placements.render", params(session_id="b" * 32))["result"]["campaign_id"] == "gb-winter"


def test_profiles_spread_over_every_master_and_gdpr_works(cluster_app, call, cluster) -> None:  # type: ignore[no-untyped-def]
    store = cluster_app.extensions["onsite.profiles"]
    today = dt.date(2026, 11, 25)
    profiles = [
        Profile(f"cust-{i}", "Zofia", "en-GB", "GB", "London", "E1", ("home",), "pay_in_n",
                frozenset({"personalization"}), today)
        for i in range(600)
    ]  # fmt: skip
    assert store.save_many("demo", profiles, batch=200) == 600
    nodes = cluster.node_clients()
    per_node = [sum(1 for _ in node.scan_iter("onsite:profiles:*", count=1000)) for node in nodes]
    assert all(count > 0 for count in per_node), per_node
    assert store.get("demo", "cust-42").first_name == "Zofia"

    secret, _ = cluster_app.extensions["onsite.api_keys"].create(
        "demo", "merchant_admin", "gdpr", dt.datetime.now(dt.UTC)
    )
    token = customer_token(cluster_app, "demo", "cust-7")
    consent = {"client_id": "demo", "session_id": "c" * 32, "personalization": True, "customer_token": token}
    assert call("consent.update", consent)["result"]["recorded"] is True
    for session in ("c" * 32, "d" * 32):
        shopper = params(customer_token=token, consent=CONSENT, session_id=session)
        rendered = call("placements.render", shopper)
        assert rendered["result"]["text"].startswith("Hi Zofia!")
    exported = call("profiles.export", {"customer_ref": "cust-7"}, secret)["result"]
    assert exported["profile"]["first_name"] == "Zofia"
    assert sorted(exported["sessions"]) == ["c" * 32, "d" * 32] and len(exported["consent_log"]) == 1
    erased = call("profiles.erase", {"customer_ref": "cust-7"}, secret)["result"]
    assert erased["aof_rewrite"] == "aof_off"  # every node was asked; none keeps an AOF here
    removed = erased["removed"]
    assert removed == {
        "profile": 1,
        "consent_log": 1,
        "consent_state": 1,
        "sessions": 2,
        "decisions": 2,
        "auto_open_counters": 0,
    }
    assert call("profiles.export", {"customer_ref": "cust-7"}, secret)["result"]["profile"] is None


def test_events_reach_the_stream_and_the_rollup_commit(cluster_app, call) -> None:  # type: ignore[no-untyped-def]
    now_ms = int(time.time() * 1000)
    events = [
        {"id": str(uuid.uuid4()), "type": kind, "ts": now_ms, "client_id": "demo",
         "placement_key": "credit-badge", "session_id": "e" * 32, "page_url": "http://localhost:5000/demo"}
        for kind in ("impression", "view", "click")
    ]  # fmt: skip
    assert call("events.track", {"events": events})["result"]["accepted"] == 3
    client: redis.Redis = cluster_app.extensions["onsite.redis"]
    worker = RollupWorker(client, WorkerConfig(consumer="cluster-test", block_ms=100))
    from bff.monitoring.ingest import stream

    stream.ensure_group(client)
    counted = 0
    deadline = time.monotonic() + 10
    while counted < 3 and time.monotonic() < deadline:
        counted += worker.step()
    assert counted == 3
    assert client.xpending(monitoring_keys.events_stream(), monitoring_keys.GROUP)["pending"] == 0


def test_every_key_is_hash_tagged_by_merchant_or_subsystem(cluster_app, call, cluster) -> None:  # type: ignore[no-untyped-def]
    anna = customer_token(cluster_app, "demo", "demo-anna")
    call("placements.render", params(customer_token=anna, consent=CONSENT, session_id="f" * 32))
    call("placements.render", params(placement_key="learn-more", view="interstitial",
                                     session_id="f" * 32))  # fmt: skip
    found = all_keys(cluster)
    assert any(b":auto-open:" in k for k in found), found  # the interstitial's day counter
    untagged = [k for k in found if b"{" not in k and k not in UNTAGGED]
    assert untagged == []
    merchant_slots = {key_slot(k) for k in found if b"{m:demo}" in k}
    assert merchant_slots == {key_slot(keys.merchant_key("demo").encode())}


def test_the_audit_chain_appends_under_watch_on_the_cluster(cluster_app) -> None:  # type: ignore[no-untyped-def]
    audit: AuditLog = cluster_app.extensions["onsite.audit"]
    for n in range(3):
        audit.append("cluster.test", actor_cli(), {"n": n})
    verdict = audit.verify()
    assert verdict.ok and verdict.checked >= 3, verdict
