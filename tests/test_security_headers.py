"""Security headers on every response, and no personal data in the logs."""

from __future__ import annotations

import json

import pytest

from bff.security_headers import csp_hash, frame_csp
from tests.rpc.test_placements_render import params

PATHS = [
    "/rpc",
    "/healthz",
    "/onsite.js",
    "/frame/placement?client_id=demo",
    "/nope",
    "/static/demo/shop.css",
]


@pytest.mark.parametrize("path", PATHS)
def test_every_response_has_csp_nosniff_and_referrer_policy(client, path: str) -> None:  # type: ignore[no-untyped-def]
    response = client.post(path, json={}) if path == "/rpc" else client.get(path)
    assert "default-src" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert "Strict-Transport-Security" not in response.headers


def test_hsts_over_tls(client) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/healthz", base_url="https://onsite.example")
    assert response.headers["Strict-Transport-Security"].startswith("max-age=31536000")


def test_logs_hold_no_personal_data(client, rpc, monkeypatch, caplog) -> None:  # type: ignore[no-untyped-def]
    """Drive flows that log (internal errors, refused input, consent) with personal values, then grep."""
    caplog.set_level("INFO")
    personal = {"customer_ref": "jane.doe@example.com", "first": "Jane-Unique-Name"}
    rpc("placements.render", params(customer_ref="jane.doe@example.com", consent={"personalization": True}))
    rpc(
        "consent.update",
        {
            "client_id": "demo",
            "session_id": "7" * 32,
            "personalization": True,
            "customer_ref": "jane.doe@example.com",
        },
    )

    def broken(*_: object) -> None:
        raise RuntimeError(f"boom for {personal['first']} / {personal['customer_ref']}")

    monkeypatch.setattr("bff.placement_renderer.decide", broken)
    assert (
        rpc(
            "placements.render",
            params(customer_ref="jane.doe@example.com", consent={"personalization": True}),
        )["error"]["code"]
        == -32603
    )
    client.post("/rpc", data=json.dumps({"not": "jane.doe@example.com"}), content_type="application/json")
    logs = "\n".join(record.getMessage() for record in caplog.records)
    assert "rpc.internal_error" in logs  # something was logged, as JSON lines
    for line in (line for line in logs.splitlines() if line.startswith("{")):
        json.loads(line)
    for value in personal.values():
        assert value not in logs


def test_frame_csp_allows_inline_scripts_and_styles_by_hash_only() -> None:
    # The example of the CSP specification (w3c/webappsec-csp, "hash-source").
    digest = csp_hash("alert('Hello, world.');")
    assert digest == "qznLcsROx4GACP2dm0UCKCzCG+HiZ1guq6ZZDob/Tng="
    style = csp_hash("p{color:red}")
    csp = frame_csp(["https://shop.example"], script_hashes=[digest], style_hashes=[style])
    assert f"script-src 'self' 'sha256-{digest}';" in csp
    assert f"style-src 'self' 'sha256-{style}';" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    plain = frame_csp(["https://shop.example"])
    assert "script-src 'self';" in plain and "style-src 'self';" in plain
