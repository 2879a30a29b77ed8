"""bff/proxy.py: forwarded headers are believed only for ONSITE_TRUSTED_PROXY_HOPS proxies."""

from __future__ import annotations

import time

import pytest

from bff import create_app
from bff.settings import Settings

PROXY = "10.0.0.5"  # a private address: /metrics answers it
CLIENT = "93.184.216.34"  # a public one: /metrics does not
SPOOFED = "198.51.100.99"


@pytest.fixture(params=[0, 1], ids=["0 hops", "1 hop"])
def hops(request: pytest.FixtureRequest) -> int:
    """How many proxies the app trusts."""
    return int(request.param)


@pytest.fixture
def proxied_app(settings: Settings, hops: int):  # type: ignore[no-untyped-def]
    """The app with a budget of 2 events per address and ``hops`` trusted proxies."""
    return create_app(settings.replace(trusted_proxy_hops=hops, events_rate_per_ip="2/minute"))


def track(client, forwarded_for: str | None) -> dict:  # type: ignore[no-untyped-def,type-arg]
    event = {
        "id": f"00000000-0000-4000-8000-{time.time_ns() % 10**12:012d}",
        "type": "impression",
        "client_id": "demo",
        "placement_key": "credit-badge",
        "session_id": "s" * 24,
        "ts": int(time.time() * 1000),
    }
    body = {"jsonrpc": "2.0", "id": 1, "method": "events.track", "params": {"events": [event]}}
    headers = {"X-Forwarded-For": forwarded_for} if forwarded_for else {}
    response = client.post("/rpc", json=body, headers=headers, environ_base={"REMOTE_ADDR": PROXY})
    return response.get_json()  # type: ignore[no-any-return]


def test_rate_limits_count_the_forwarded_client_only_behind_a_trusted_proxy(proxied_app, hops: int) -> None:  # type: ignore[no-untyped-def]
    client = proxied_app.test_client()
    # A client rotating a spoofed first hop: the proxy appends the real address last.
    answers = [track(client, f"{SPOOFED}{i}, {CLIENT}") for i in range(3)]
    assert [("result" in a) for a in answers] == [True, True, False]
    # Another client behind the same proxy: its own budget with one hop, the proxy's without.
    other = track(client, "93.184.216.35")
    assert ("result" in other) == (hops == 1)


def test_metrics_sees_the_client_address_behind_a_trusted_proxy(proxied_app, hops: int) -> None:  # type: ignore[no-untyped-def]
    client = proxied_app.test_client()
    direct = client.get("/metrics", environ_base={"REMOTE_ADDR": PROXY})
    forwarded = client.get(
        "/metrics", headers={"X-Forwarded-For": CLIENT}, environ_base={"REMOTE_ADDR": PROXY}
    )
    assert direct.status_code == 200
    # At 0 hops the header is ignored and the proxy's private address reads the metrics.
    assert forwarded.status_code == (404 if hops == 1 else 200)


def test_the_forwarded_scheme_is_believed_behind_a_trusted_proxy(proxied_app, hops: int) -> None:  # type: ignore[no-untyped-def]
    response = proxied_app.test_client().get(
        "/healthz", headers={"X-Forwarded-Proto": "https"}, environ_base={"REMOTE_ADDR": PROXY}
    )
    assert ("Strict-Transport-Security" in response.headers) == (hops == 1)
