"""/metrics in one process: request rate and latency, RPC methods, cache hit ratio, decisions, access."""

from __future__ import annotations

import re

from bff import create_app
from tests.rpc.test_placements_render import params

TOKEN = "t" * 24


def sample(text: str, name: str, **labels: str) -> float:
    """The value of one series in a Prometheus text exposition (0 when absent)."""
    wanted = ",".join(f'{k}="{v}"' for k, v in sorted(labels.items()))
    for line in text.splitlines():
        match = re.fullmatch(rf"{name}\{{(.*)\}} (\S+)", line)
        if match and ",".join(sorted(match.group(1).split(","))) == wanted:
            return float(match.group(2))
    return 0.0


def scrape(client) -> str:  # type: ignore[no-untyped-def]
    response = client.get("/metrics")
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/plain")
    return response.get_data(as_text=True)


def test_render_calls_decisions_and_cache_hits_are_counted(client, rpc) -> None:  # type: ignore[no-untyped-def]
    before = scrape(client)
    first = rpc("placements.render", params(session_id="1" * 32))["result"]
    for n in range(2, 5):
        rpc("placements.render", params(session_id=str(n) * 32))
    rpc("placements.render", params(purchase_amount=1, session_id="5" * 32))  # below every minimum
    rpc("placements.render", params(locale="xx"))  # invalid params
    after = scrape(client)

    def delta(name: str, **labels: str) -> float:
        return sample(after, name, **labels) - sample(before, name, **labels)

    assert delta("onsite_rpc_calls_total", method="placements.render", outcome="ok") == 5
    assert delta("onsite_rpc_calls_total", method="placements.render", outcome="error") == 1
    assert delta("onsite_rpc_call_seconds_count", method="placements.render") == 6
    assert delta("onsite_http_requests_total", route="/rpc", status="200") == 6
    assert delta("onsite_http_request_seconds_count", route="/rpc") == 6
    # The first render of this app loads the configuration; the others hit the cache.
    assert delta("onsite_merchant_config_cache_total", result="miss") == 1
    assert delta("onsite_merchant_config_cache_total", result="hit") == 4
    decided = delta(
        "onsite_decisions_total", merchant="demo", campaign=first["campaign_id"], variant=first["variant"]
    )
    assert decided >= 1
    assert delta("onsite_empty_placements_total", merchant="demo", reason="outside_amount_range") == 1


def test_other_methods_and_unknown_ones_are_labelled(client, rpc) -> None:  # type: ignore[no-untyped-def]
    before = scrape(client)
    rpc("consent.update", {"client_id": "demo", "session_id": "1" * 32, "personalization": False})
    rpc("no.such.method", {})
    after = scrape(client)
    assert (
        sample(after, "onsite_rpc_calls_total", method="consent.update", outcome="ok")
        - sample(before, "onsite_rpc_calls_total", method="consent.update", outcome="ok")
        == 1
    )
    assert "no.such.method" not in after
    assert sample(after, "onsite_rpc_calls_total", method="unknown", outcome="error") >= 1


def test_only_private_addresses_may_scrape_without_a_token(client) -> None:  # type: ignore[no-untyped-def]
    # Addresses are only put in the WSGI environ: nothing is sent anywhere.
    assert client.get("/metrics", environ_base={"REMOTE_ADDR": "10.1.2.3"}).status_code == 200
    assert client.get("/metrics", environ_base={"REMOTE_ADDR": "8.8.4.4"}).status_code == 404


def test_with_a_token_every_scrape_needs_it(settings) -> None:  # type: ignore[no-untyped-def]
    client = create_app(settings.replace(metrics_token=TOKEN)).test_client()
    assert client.get("/metrics").status_code == 404
    assert (
        client.get("/metrics", headers={"Authorization": "Bearer wrong-token-wrong-token"}).status_code == 404
    )
    assert client.get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"}).status_code == 200
