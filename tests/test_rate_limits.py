"""Rate limits on events.track: per address for frames, per API key for servers."""

from __future__ import annotations

import datetime as dt
import time

import pytest

from bff import create_app
from bff.rate_limits import storage_uri
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


def test_storage_uri_for_the_embedded_socket() -> None:
    assert storage_uri("unix:///srv/var/redis.sock") == "redis+unix:///srv/var/redis.sock"
    assert storage_uri("redis://h:6379/0") == "redis://h:6379/0"


def test_bad_limit_setting_is_a_config_error() -> None:
    from bff.errors import ConfigError

    with pytest.raises(ConfigError, match="EVENTS_RATE_PER_IP"):
        Settings.from_env({"ONSITE_EVENTS_RATE_PER_IP": "lots"})
