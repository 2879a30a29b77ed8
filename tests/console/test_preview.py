"""The live preview's routes: frame shells, drafts, the preview RPC and the discarded events.

Real Redis, the demo merchant, console users signed in with password and TOTP.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from bff.console.campaign_form import form_from_campaign
from bff.console.drafts import draft_key
from bff.console.preview_render import preview_session_id
from bff.merchants import admin
from tests.console.conftest import csrf_of, signed_in

BASE = "/console/m/demo/preview"
LEAN = "placements.render"
EMPTY = {"kind": "empty", "placement_key": "credit-badge", "locale": "en-GB"}
EDITOR_PAGE = "/console/m/demo"  # any console page of the merchant carries the CSRF token


def campaign_form(app: Any, campaign_id: str = "gb-pay-in-4", **changes: Any) -> dict[str, Any]:
    """The editor form's fields for a demo campaign, with ``changes``."""
    doc = app.extensions["onsite.campaigns"].get("demo", campaign_id)
    with app.app_context():
        merchant = admin.get("demo")
    return {**form_from_campaign(doc, merchant), **changes}


def csrf_header(client: Any) -> dict[str, str]:
    return {"X-CSRF-Token": csrf_of(client.get(EDITOR_PAGE).data)}


def save_draft(client: Any, form: dict[str, Any], client_id: str = "demo") -> dict[str, Any]:
    response = client.post(f"/console/m/{client_id}/preview/draft", data=form, headers=csrf_header(client))
    assert response.status_code == 200, response.data
    body: dict[str, Any] = response.get_json()
    return body


def session_of(client: Any, form: dict[str, Any], device: str = "desktop") -> str:
    """Save ``form`` as a draft; the session id of its preview."""
    draft = save_draft(client, form)
    assert draft["problems"] == [], draft
    return preview_session_id(device, draft["draft_id"])


def render(client: Any, session_id: str, client_id: str = "demo", **params: Any) -> dict[str, Any]:
    call = {
        "jsonrpc": "2.0",
        "id": 7,
        "method": "placements.render",
        "params": {
            "client_id": client_id,
            "placement_key": "credit-badge",
            "locale": "en-GB",
            "purchase_amount": 10000,
            "session_id": session_id,
            **params,
        },
    }
    response = client.post(f"/console/m/{client_id}/preview/rpc", json=call)
    assert response.status_code == 200
    body: dict[str, Any] = response.get_json()
    assert body["id"] == 7
    return body


def test_the_frame_shells_allow_only_the_console_origin(merchant_console) -> None:  # type: ignore[no-untyped-def]
    for view in ("placement", "interstitial"):
        response = merchant_console.get(f"{BASE}/frame/{view}")
        assert response.status_code == 200
        csp = response.headers["Content-Security-Policy"]
        assert "frame-ancestors http://localhost" in csp and "script-src 'self'" in csp
        assert "unsafe" not in csp
        assert response.headers["X-Frame-Options"] == "SAMEORIGIN"
        assert f'data-rpc-url="{BASE}/rpc"' in response.text
        assert f'data-collect-url="{BASE}/collect"' in response.text
        assert "data-allowed-origins='[&#34;http://localhost&#34;]'" in response.text
    assert merchant_console.get(f"{BASE}/frame/other").status_code == 404


def test_the_preview_needs_a_console_session(client) -> None:  # type: ignore[no-untyped-def]
    assert client.get(f"{BASE}/frame/placement").status_code == 302
    assert client.post(f"{BASE}/rpc", json={}).status_code == 302


def test_setup_lists_the_merchants_markets_and_keys(merchant_console) -> None:  # type: ignore[no-untyped-def]
    setup = merchant_console.get(f"{BASE}/setup").get_json()
    assert {"locale": "sv-SE", "currency": "SEK", "country": "SE"} in setup["markets"]
    assert setup["keys"] == {"badge": "cart-badge", "strip": "top-strip"}
    assert setup["frame_urls"]["interstitial"] == f"{BASE}/frame/interstitial"


def test_a_draft_without_its_csrf_token_is_refused(app, merchant_console) -> None:  # type: ignore[no-untyped-def]
    response = merchant_console.post(f"{BASE}/draft", data=campaign_form(app))
    assert response.status_code == 400


def test_the_preview_renders_the_draft_as_typed(app, merchant_console) -> None:  # type: ignore[no-untyped-def]
    typed = {"copy-en-badge.pay_in_n": "First {installment}"}
    first = save_draft(merchant_console, campaign_form(app, **typed))
    assert first["problems"] == [] and first["draft_id"]
    result = render(merchant_console, preview_session_id("desktop", first["draft_id"]))["result"]
    assert result["kind"] == "badge" and result["text"].startswith("First £")
    second = session_of(
        merchant_console, campaign_form(app, **{"copy-en-badge.pay_in_n": "Second"}), "mobile"
    )
    assert first["draft_id"] not in second
    result = render(merchant_console, second, theme="dark")["result"]
    assert result["text"].startswith("Second") and result["theme"] == "dark"


def test_a_draft_is_shown_as_published_even_when_paused(app, merchant_console) -> None:  # type: ignore[no-untyped-def]
    session = session_of(merchant_console, campaign_form(app, status="paused"))
    assert render(merchant_console, session)["result"]["kind"] == "badge"


def test_the_interstitial_view_renders_every_option(app, merchant_console) -> None:  # type: ignore[no-untyped-def]
    draft = save_draft(merchant_console, campaign_form(app))
    session = preview_session_id("desktop", draft["draft_id"])
    result = render(merchant_console, session, view="interstitial", purchase_amount=50000)["result"]
    assert result["kind"] == "interstitial" and len(result["options"]) >= 2


def test_problems_come_back_with_their_fields_and_no_draft(app, merchant_console) -> None:  # type: ignore[no-untyped-def]
    answer = save_draft(merchant_console, campaign_form(app, amount_min="lots"))
    assert answer["draft_id"] is None
    assert any(p["field"] == "amount_min" for p in answer["problems"])


def test_a_rendered_draft_writes_no_sticky_state(app, merchant_console, redis_client) -> None:  # type: ignore[no-untyped-def]
    draft = save_draft(merchant_console, campaign_form(app))
    session = preview_session_id("desktop", draft["draft_id"])
    render(merchant_console, session)
    assert list(redis_client.scan_iter(f"*session:{session}*")) == []


@pytest.mark.parametrize("draft_id", ["A" * 22, "not-a-draft-id-at-all!"])
def test_an_unknown_draft_renders_empty_with_a_reason(merchant_console, draft_id: str) -> None:  # type: ignore[no-untyped-def]
    body = render(merchant_console, f"pv-desktop-{draft_id}")
    if "result" in body:
        assert body["result"]["kind"] == "empty" and body["result"]["reason"] == "draft_expired"
    else:
        assert body["error"]["code"] == -32602


def test_an_expired_draft_renders_empty(app, merchant_console, redis_client) -> None:  # type: ignore[no-untyped-def]
    draft = save_draft(merchant_console, campaign_form(app))
    redis_client.delete(draft_key(merchant_console.username, "demo", draft["draft_id"]))
    result = render(merchant_console, preview_session_id("desktop", draft["draft_id"]))["result"]
    assert result == {**EMPTY, "reason": "draft_expired"}


def test_another_users_draft_renders_empty(app, merchant_console) -> None:  # type: ignore[no-untyped-def]
    draft = save_draft(merchant_console, campaign_form(app))
    other = signed_in(app, "merchant_admin", "demo")
    result = render(other, preview_session_id("desktop", draft["draft_id"]))["result"]
    assert result["kind"] == "empty" and result["reason"] == "draft_expired"


def test_a_draft_of_another_merchant_renders_empty(app, admin_console) -> None:  # type: ignore[no-untyped-def]
    other = {
        "client_id": "other-shop",
        "name": "Other",
        "allowed_origins": [],
        "currencies": {"en-GB": "GBP"},
        "placements": {"credit-badge": "badge"},
    }
    documents = app.extensions["onsite.merchants"].documents
    documents.save(other, {"kind": "test", "id": "t"}, "2026-12-06T00:00:00+00:00", 0)
    draft = save_draft(admin_console, campaign_form(app))
    session = preview_session_id("desktop", draft["draft_id"])
    assert render(admin_console, session)["result"]["kind"] == "badge"
    result = render(admin_console, session, client_id="other-shop")["result"]
    assert result["kind"] == "empty" and result["reason"] == "draft_expired"


def test_a_merchant_admin_cannot_preview_another_merchant(merchant_console) -> None:  # type: ignore[no-untyped-def]
    assert merchant_console.get("/console/m/other-shop/preview/frame/placement").status_code == 404
    assert merchant_console.post("/console/m/other-shop/preview/rpc", json={}).status_code == 404


def test_a_locale_without_a_market_renders_empty(app, merchant_console) -> None:  # type: ignore[no-untyped-def]
    session = session_of(merchant_console, campaign_form(app))
    result = render(merchant_console, session, locale="ja-JP")["result"]
    assert result["kind"] == "empty" and result["reason"] == "no_market_for_locale"


def test_script_tags_in_copy_are_refused_or_escaped(app, merchant_console) -> None:  # type: ignore[no-untyped-def]
    hostile = "<script>alert(1)</script> {installment}"
    answer = save_draft(merchant_console, campaign_form(app, **{"copy-en-badge.pay_in_n": hostile}))
    if answer["draft_id"] is None:
        assert any("copy" in p["field"] or "copy" in p["message"] for p in answer["problems"])
        return
    result = render(merchant_console, preview_session_id("desktop", answer["draft_id"]))["result"]
    assert "<script" not in result["html"]


def test_a_thousand_variants_are_refused_with_a_clear_problem(app, merchant_console) -> None:  # type: ignore[no-untyped-def]
    form = campaign_form(app)
    for i in range(1000):
        form |= {f"variants-{i}-id": f"v{i}", f"variants-{i}-weight": "1", f"variants-{i}-lead": ""}
    answer = save_draft(merchant_console, form)
    assert answer["draft_id"] is None
    assert [p["field"] for p in answer["problems"]] == ["variants"]
    assert "1000" in answer["problems"][0]["message"]


def test_a_huge_form_is_refused_with_a_clear_problem(app, merchant_console) -> None:  # type: ignore[no-untyped-def]
    answer = save_draft(merchant_console, campaign_form(app, **{"copy-en-strip": "x" * 300_000}))
    assert answer["draft_id"] is None and answer["problems"][0]["field"] == "form"
    assert "KiB" in answer["problems"][0]["message"]


def test_collect_discards_events(merchant_console, redis_client) -> None:  # type: ignore[no-untyped-def]
    before = set(redis_client.scan_iter("*{mon}*"))
    event = {"jsonrpc": "2.0", "method": "events.track", "params": {"events": [{"type": "impression"}]}}
    response = merchant_console.post(f"{BASE}/collect", json=event)
    assert response.status_code == 204 and response.data == b""
    assert set(redis_client.scan_iter("*{mon}*")) == before


@pytest.mark.parametrize(
    ("body", "code"),
    [
        (b"{not json", -32700),
        (json.dumps({"jsonrpc": "2.0", "id": 1, "method": "events.track", "params": {}}).encode(), -32601),
        (json.dumps({"jsonrpc": "2.0", "id": 1, "method": LEAN, "params": [1]}).encode(), -32602),
        (json.dumps({"jsonrpc": "1.0", "id": 1, "method": LEAN}).encode(), -32600),
    ],
)
def test_the_preview_rpc_answers_json_rpc_errors(merchant_console, body: bytes, code: int) -> None:  # type: ignore[no-untyped-def]
    response = merchant_console.post(f"{BASE}/rpc", data=body, content_type="application/json")
    assert response.status_code == 200 and response.get_json()["error"]["code"] == code


def test_render_params_are_validated_like_placements_render(merchant_console) -> None:  # type: ignore[no-untyped-def]
    error = render(merchant_console, preview_session_id("desktop", "A" * 22), purchase_amount=-1)["error"]
    assert error["code"] == -32602 and "purchase_amount" in error["data"]["param"]
    error = render(merchant_console, "ordinary-shopper-session-1")["error"]
    assert error["data"]["param"] == "session_id"
