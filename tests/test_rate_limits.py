"""Rate limits on events.track, counted in events: per address for frames, per API key for servers."""

from __future__ import annotations

import datetime as dt
import time

import pytest

from bff import create_app
from bff.rate_limits import MAX_REMEMBERED, RefusalMemory, storage_uri
from bff.settings import Settings


@pytest.fixture
def strict_app(settings: Settings):  # type: ignore[no-untyped-def]
    """The app with tiny budgets so that a test can exhaust them."""
    return create_app(settings.replace(events_rate_per_ip="3/minute", events_rate_per_key="5/minute"))


def event(i: int) -> dict[str, object]:
    return {
        "id": f"00000000-0000-4000-8000-{i:012d}",
        "type": "impression",
        "client_id": "demo",
        "placement_key": "credit-badge",
        "ts": int(time.time() * 1000),
        "page_url": "http://localhost:5000/demo",
        "amount": 9900,
        "currency": "GBP",
        "locale": "en-GB",
    }


def track(client, i: int, headers: dict[str, str] | None = None, address: str = "10.0.0.1") -> dict:  # type: ignore[no-untyped-def,type-arg]
    body = {"jsonrpc": "2.0", "id": i, "method": "events.track", "params": {"events": [event(i)]}}
    response = client.post("/rpc", json=body, headers=headers or {}, environ_base={"REMOTE_ADDR": address})
    return response.get_json()  # type: ignore[no-any-return]


def test_per_address_limit_with_a_retry_hint(strict_app) -> None:  # type: ignore[no-untyped-def]
    client = strict_app.test_client()
    answers = [track(client, i) for i in range(4)]
    assert all("result" in a for a in answers[:3])
    error = answers[3]["error"]
    assert error["code"] == -32005
    assert 1 <= error["data"]["retry_after_s"] <= 60
    assert "retry in" in error["message"]
    assert "result" in track(client, 9, address="10.0.0.2")  # another address has its own budget


def test_per_key_limit(strict_app) -> None:  # type: ignore[no-untyped-def]
    secret, _ = strict_app.extensions["onsite.api_keys"].create(
        "demo", "merchant_admin", "", dt.datetime.now(dt.UTC)
    )
    client = strict_app.test_client()
    headers = {"Authorization": f"Bearer {secret}"}
    answers = [track(client, 100 + i, headers, address=f"10.1.0.{i}") for i in range(6)]
    assert [("result" in a) for a in answers] == [True] * 5 + [False]
    assert answers[5]["error"]["code"] == -32005


def track_batch(client, first: int, count: int, headers: dict[str, str] | None = None) -> dict:  # type: ignore[no-untyped-def,type-arg]
    events = [event(first + i) | {"session_id": "s" * 24} for i in range(count)]
    body = {"jsonrpc": "2.0", "id": first, "method": "events.track", "params": {"events": events}}
    response = client.post("/rpc", json=body, headers=headers or {}, environ_base={"REMOTE_ADDR": "10.0.0.3"})
    return response.get_json()  # type: ignore[no-any-return]


def test_limits_count_events_not_calls(strict_app) -> None:  # type: ignore[no-untyped-def]
    client = strict_app.test_client()
    assert track_batch(client, 200, 2)["result"]["accepted"] == 2
    refused = track_batch(client, 210, 2)  # 2 + 2 events > 3 per minute
    assert refused["error"]["code"] == -32005
    assert 1 <= refused["error"]["data"]["retry_after_s"] <= 60
    # All or nothing: the refused batch used none of the budget, so one more event fits.
    assert track_batch(client, 220, 1)["result"]["accepted"] == 1
    assert track_batch(client, 230, 1)["error"]["code"] == -32005


def test_per_key_limit_counts_events(strict_app) -> None:  # type: ignore[no-untyped-def]
    secret, _ = strict_app.extensions["onsite.api_keys"].create(
        "demo", "merchant_admin", "", dt.datetime.now(dt.UTC)
    )
    client = strict_app.test_client()
    headers = {"Authorization": f"Bearer {secret}"}
    assert "result" in track_batch(client, 300, 5, headers)
    assert track_batch(client, 310, 1, headers)["error"]["code"] == -32005


def test_a_batch_larger_than_the_whole_limit_is_invalid(strict_app) -> None:  # type: ignore[no-untyped-def]
    error = track_batch(strict_app.test_client(), 400, 4)["error"]
    assert error["code"] == -32602
    assert "at most 3 events" in error["data"]["reason"] and "3/minute" in error["data"]["reason"]


@pytest.mark.parametrize(
    ("cost", "now", "expected"),
    [(3, 100.0, 10), (2, 100.0, None), (3, 110.0, None), (3, 109.5, 1)],
    ids=["does not fit", "fits in what was left", "window freed", "rounded up"],
)
def test_refusal_memory_is_never_stricter_than_the_window(
    cost: int, now: float, expected: int | None
) -> None:
    memory = RefusalMemory()
    memory.remember("events.track/ip", "10.0.0.1", frees_at=110.0, remaining=2, now=100.0)
    assert memory.retry_after("events.track/ip", "10.0.0.1", cost, now) == expected
    assert memory.retry_after("events.track/ip", "10.0.0.2", cost, now) is None


def test_refusal_memory_is_bounded() -> None:
    memory = RefusalMemory()
    for i in range(MAX_REMEMBERED + 5):
        memory.remember("n", str(i), frees_at=200.0 if i % 2 else 50.0, remaining=0, now=100.0)
    assert len(memory) <= MAX_REMEMBERED
    assert memory.retry_after("n", str(MAX_REMEMBERED + 3), 1, 100.0) == 100  # the newest is kept


def test_storage_uri_for_the_embedded_socket() -> None:
    assert storage_uri("unix:///srv/var/redis.sock") == "redis+unix:///srv/var/redis.sock"
    assert storage_uri("redis://h:6379/0") == "redis://h:6379/0"


def test_bad_limit_setting_is_a_config_error() -> None:
    from bff.errors import ConfigError

    with pytest.raises(ConfigError, match="EVENTS_RATE_PER_IP"):
        Settings.from_env({"ONSITE_EVENTS_RATE_PER_IP": "lots"})
