"""campaigns.* admin methods: API-key auth, validation by field path, versions, preview."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest

from bff.store import keys
from bff.store.config_version_watch import announce_config_change
from tests.rpc.test_placements_render import params

NEW_CAMPAIGN: dict[str, Any] = {
    "id": "gb-winter",
    "placements": ["badge"],
    "markets": {"countries": ["GB"]},
    "amount": {"currency": "GBP", "min": 1000, "max": 900000},
    "priority": 50,
    "payment_options": [{"id": "p30", "type": "pay_later", "days": 30}],
    "copy": {"en": {"badge": "Winter offer: pay {total} in {days} days"}},
}


@pytest.mark.parametrize("header", [None, "Bearer", "Bearer osk_not-a-real-key", "Basic abc"])
def test_admin_methods_need_a_valid_key(admin_rpc, header: str | None, client) -> None:  # type: ignore[no-untyped-def]
    headers = {"Authorization": header} if header else {}
    body = {"jsonrpc": "2.0", "id": 1, "method": "campaigns.list", "params": {}}
    error = client.post("/rpc", json=body, headers=headers).get_json()["error"]
    assert error["code"] == -32003


def test_keys_are_stored_hashed(app, api_key, redis_client) -> None:  # type: ignore[no-untyped-def]
    stored = redis_client.hgetall("onsite:api-keys")
    assert api_key.encode() not in b"".join([*stored.keys(), *stored.values()])


def test_key_records_last_use(app, api_key, admin_rpc) -> None:  # type: ignore[no-untyped-def]
    admin_rpc("campaigns.list", {})
    record = app.extensions["onsite.api_keys"].authenticate(api_key, dt.datetime.now(dt.UTC))
    assert record.last_used_at is not None and record.client_id == "demo"


def test_create_get_list_archive(admin_rpc) -> None:  # type: ignore[no-untyped-def]
    created = admin_rpc("campaigns.create", {"campaign": NEW_CAMPAIGN})["result"]
    assert created["version"] == 1
    assert admin_rpc("campaigns.get", {"campaign_id": "gb-winter"})["result"]["priority"] == 50
    ids = [c["id"] for c in admin_rpc("campaigns.list", {})["result"]]
    assert "gb-winter" in ids and "gb-pay-in-4" in ids
    archived = admin_rpc("campaigns.archive", {"campaign_id": "gb-winter"})["result"]
    assert archived["status"] == "archived" and archived["version"] == 2
    assert [c["id"] for c in admin_rpc("campaigns.list", {"status": "archived"})["result"]] == ["gb-winter"]


def test_create_twice_is_a_conflict(admin_rpc) -> None:  # type: ignore[no-untyped-def]
    admin_rpc("campaigns.create", {"campaign": NEW_CAMPAIGN})
    assert admin_rpc("campaigns.create", {"campaign": NEW_CAMPAIGN})["error"]["code"] == -32009


def test_update_with_a_stale_version_is_a_conflict(admin_rpc) -> None:  # type: ignore[no-untyped-def]
    admin_rpc("campaigns.create", {"campaign": NEW_CAMPAIGN})
    assert admin_rpc("campaigns.update", {"campaign": {**NEW_CAMPAIGN, "priority": 60}, "version": 1})[
        "result"
    ]
    error = admin_rpc("campaigns.update", {"campaign": {**NEW_CAMPAIGN, "priority": 70}, "version": 1})[
        "error"
    ]
    assert error["code"] == -32009
    assert "version 2" in error["message"]


def test_invalid_campaign_lists_every_problem(admin_rpc) -> None:  # type: ignore[no-untyped-def]
    bad = {
        **NEW_CAMPAIGN,
        "id": "bad id",
        "amount": {"currency": "GBP", "min": 9, "max": 1},
        "priority": "high",
    }
    error = admin_rpc("campaigns.create", {"campaign": bad})["error"]
    assert error["code"] == -32602
    paths = {p["path"] for p in error["data"]["problems"]}
    assert {"id", "amount", "priority"} <= paths


def test_unknown_campaign_is_not_found(admin_rpc) -> None:  # type: ignore[no-untyped-def]
    assert admin_rpc("campaigns.get", {"campaign_id": "nope"})["error"]["code"] == -32004


def test_a_key_only_sees_its_own_merchant(app, admin_rpc) -> None:  # type: ignore[no-untyped-def]
    other, _ = app.extensions["onsite.api_keys"].create(
        "other-shop", "merchant_admin", "", dt.datetime.now(dt.UTC)
    )
    assert admin_rpc("campaigns.list", {}, key=other)["result"] == []
    assert admin_rpc("campaigns.get", {"campaign_id": "gb-pay-in-4"}, key=other)["error"]["code"] == -32004


def test_render_notices_a_new_campaign_version_without_restart(admin_rpc, rpc) -> None:  # type: ignore[no-untyped-def]
    before = rpc("placements.render", params(session_id="f" * 32))["result"]
    assert before["campaign_id"] == "gb-pay-in-4"
    admin_rpc("campaigns.create", {"campaign": NEW_CAMPAIGN})
    after = rpc("placements.render", params(session_id="e" * 32))["result"]
    assert after["campaign_id"] == "gb-winter"
    assert after["text"] == "Winter offer: pay £99.00 in 30 days"


def test_preview_explains_and_renders_without_storing(admin_rpc, redis_client) -> None:  # type: ignore[no-untyped-def]
    context = {"placement_key": "credit-badge", "locale": "en-GB", "purchase_amount": 5000}
    shown = admin_rpc("campaigns.preview", {"campaign": NEW_CAMPAIGN, "context": context})["result"]
    assert shown["reason"] == "eligible"
    assert shown["view_model"]["text"] == "Winter offer: pay £50.00 in 30 days"
    later = {**NEW_CAMPAIGN, "schedule": {"timezone": "Europe/London", "start": "2030-01-01T00:00"}}
    hidden = admin_rpc("campaigns.preview", {"campaign": later, "context": context})["result"]
    assert hidden["reason"] == "no_eligible_campaign"
    assert admin_rpc("campaigns.get", {"campaign_id": "gb-winter"})["error"]["code"] == -32004
    assert not list(redis_client.scan_iter("onsite:*:session:*"))


def test_preview_of_a_stored_campaign_as_interstitial(admin_rpc) -> None:  # type: ignore[no-untyped-def]
    context = {
        "placement_key": "credit-badge",
        "locale": "en-GB",
        "purchase_amount": 50000,
        "view": "interstitial",
        "now": "2026-12-01T10:00:00+00:00",
    }
    result = admin_rpc("campaigns.preview", {"campaign_id": "gb-pay-in-4", "context": context})["result"]
    assert [o["id"] for o in result["view_model"]["options"]] == [
        "pay_in_4",
        "pay_in_30",
        "financing_12",
        "financing_24",
    ]


@pytest.mark.parametrize(
    ("context", "param"),
    [
        ("x", "context"),
        ({"placement_key": "credit-badge", "locale": "en-GB"}, "purchase_amount"),
        (
            {"placement_key": "credit-badge", "locale": "en-GB", "purchase_amount": 1, "now": "yesterday"},
            "context.now",
        ),
        (
            {"placement_key": "credit-badge", "locale": "en-GB", "purchase_amount": 1, "device": "fridge"},
            "context.device",
        ),
    ],
)
def test_preview_bad_context(admin_rpc, context: Any, param: str) -> None:  # type: ignore[no-untyped-def]
    error = admin_rpc("campaigns.preview", {"campaign": NEW_CAMPAIGN, "context": context})["error"]
    assert error["code"] == -32602
    assert error["data"]["param"] == param


LOOPS = "{% for i in range(10000) %}{% for j in range(10000) %}{% endfor %}{% endfor %}"
OLD_SYNTAX = (
    "uses the old template syntax: write {name}, not {{ name }}; no loops or expressions (docs/copy.md)"
)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (LOOPS, OLD_SYNTAX),
        ("{{'a'*10**7}}", OLD_SYNTAX),
        (
            "Pay {foo}",
            "unknown placeholder {foo}; allowed: apr, days, first_name, installment, installments, "
            "monthly, months, place, repaid, total",
        ),
        ("x" * 1001, "is 1001 characters long; at most 1000 are allowed"),
        ("<img src=x onerror=alert(1)>", "markup <img> is not allowed; allowed: <strong>, <em>, <b>, <i>"),
    ],
    ids=["nested loops", "20 MB string", "unknown placeholder", "over-long", "markup"],
)
@pytest.mark.parametrize("method", ["campaigns.create", "campaigns.update"])
def test_bad_copy_is_refused_at_save(admin_rpc, method: str, text: str, message: str) -> None:  # type: ignore[no-untyped-def]
    if method == "campaigns.update":
        admin_rpc("campaigns.create", {"campaign": NEW_CAMPAIGN})
    bad = {**NEW_CAMPAIGN, "copy": {"en-GB": {"badge": text}}}
    error = admin_rpc(method, {"campaign": bad})["error"]
    assert error["code"] == -32602
    assert error["data"]["problems"] == [{"path": "copy.en-GB.badge", "message": message}]
    assert f"copy.en-GB.badge: {message}" in error["message"]


def store_as_before(redis_client, doc: dict[str, Any]) -> None:  # type: ignore[no-untyped-def]
    """A campaign document written by the code before docs/copy.md (no validation of its copy)."""
    redis_client.hset(keys.campaigns_key("demo"), doc["id"], json.dumps({**doc, "version": 1}))
    redis_client.incr(keys.config_version_key("demo"))
    announce_config_change(redis_client, "demo")


def test_stored_old_copy_is_converted_when_loaded(rpc, admin_rpc, redis_client) -> None:  # type: ignore[no-untyped-def]
    old = "Winter offer: pay <strong>{{ total }}</strong> in {{days}} days"
    store_as_before(redis_client, {**NEW_CAMPAIGN, "copy": {"en": {"badge": old}}})
    badge = rpc("placements.render", params(session_id="1" * 32))["result"]
    assert badge["campaign_id"] == "gb-winter"
    assert badge["html"] == "Winter offer: pay <strong>£99.00</strong> in 30 days"
    context = {"placement_key": "credit-badge", "locale": "en-GB", "purchase_amount": 5000}
    preview = admin_rpc("campaigns.preview", {"campaign_id": "gb-winter", "context": context})["result"]
    assert preview["view_model"]["text"] == "Winter offer: pay £50.00 in 30 days"
    archived = admin_rpc("campaigns.archive", {"campaign_id": "gb-winter"})["result"]
    assert archived["copy"]["en"]["badge"] == "Winter offer: pay <strong>{total}</strong> in {days} days"


def test_stored_old_template_code_is_dropped_and_logged(rpc, redis_client, caplog) -> None:  # type: ignore[no-untyped-def]
    caplog.set_level("WARNING")
    store_as_before(redis_client, {**NEW_CAMPAIGN, "copy": {"en": {"badge": LOOPS}}})
    badge = rpc("placements.render", params(session_id="2" * 32))["result"]
    assert badge["campaign_id"] == "gb-winter"  # the campaign still runs, with the built-in copy
    assert badge["text"] == "Buy now, pay £99.00 in 30 days"
    logs = "\n".join(record.getMessage() for record in caplog.records)
    assert "campaign.copy_dropped" in logs
    assert "gb-winter" in logs and "copy.en.badge" in logs
