"""``merchants.*`` over JSON-RPC: admin keys for everything, merchant_admin keys for their own
merchant's origins, markets and brand only (real Redis)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from bff.store.merchant_documents import HISTORY_LIMIT

SHOP = {
    "client_id": "rpc-shop",
    "name": "RPC Shop",
    "allowed_origins": ["https://rpc-shop.example"],
    "markets": [{"country": "DE", "locale": "de-DE", "currency": "EUR"}],
    "placements": {"badge": "badge"},
}


@pytest.fixture
def admin_key(app) -> str:  # type: ignore[no-untyped-def]
    """A global admin API key."""
    secret, _ = app.extensions["onsite.api_keys"].create("*", "admin", "tests", dt.datetime.now(dt.UTC))
    return str(secret)


def test_admin_creates_reads_updates_and_lists(admin_rpc, admin_key) -> None:  # type: ignore[no-untyped-def]
    created = admin_rpc("merchants.create", {"merchant": SHOP}, key=admin_key)["result"]["merchant"]
    assert created["version"] == 1 and created["updated_by"]["kind"] == "api_key"
    got = admin_rpc("merchants.get", {"client_id": "rpc-shop"}, key=admin_key)["result"]["merchant"]
    assert got == created
    changes = {"brand": {"primary_color": "#0055ff", "font": "system"}, "name": "RPC Shop GmbH"}
    updated = admin_rpc(
        "merchants.update", {"client_id": "rpc-shop", "version": 1, "changes": changes}, key=admin_key
    )["result"]["merchant"]
    assert updated["version"] == 2 and updated["name"] == "RPC Shop GmbH"
    listed = admin_rpc("merchants.list", {}, key=admin_key)["result"]["merchants"]
    assert [m["client_id"] for m in listed] == ["demo", "rpc-shop"]


def test_problems_are_named_by_field_path(admin_rpc, admin_key) -> None:  # type: ignore[no-untyped-def]
    bad = {**SHOP, "allowed_origins": ["http://rpc-shop.example"], "brand": {"corner_radius": 99}}
    error = admin_rpc("merchants.create", {"merchant": bad}, key=admin_key)["error"]
    assert error["code"] == -32602
    assert [p["path"] for p in error["data"]["problems"]] == ["allowed_origins[0]", "brand.corner_radius"]
    error = admin_rpc("merchants.create", {"merchant": {**SHOP, "version": 7}}, key=admin_key)["error"]
    assert error["code"] == -32602 and error["data"]["param"] == "merchant.version"


def test_a_stale_update_is_a_conflict(admin_rpc, admin_key) -> None:  # type: ignore[no-untyped-def]
    admin_rpc("merchants.create", {"merchant": SHOP}, key=admin_key)
    change = {"client_id": "rpc-shop", "version": 1, "changes": {"name": "First"}}
    assert admin_rpc("merchants.update", change, key=admin_key)["result"]["merchant"]["version"] == 2
    error = admin_rpc("merchants.update", change | {"changes": {"name": "Second"}}, key=admin_key)["error"]
    assert error["code"] == -32009 and "at version 2, not 1" in error["message"]
    error = admin_rpc("merchants.create", {"merchant": SHOP}, key=admin_key)["error"]
    assert error["code"] == -32009 and "exists already" in error["message"]


def test_history_and_rollback(admin_rpc, admin_key, app) -> None:  # type: ignore[no-untyped-def]
    admin_rpc("merchants.create", {"merchant": SHOP}, key=admin_key)
    change = {"allowed_origins": ["https://new.example"]}
    admin_rpc("merchants.update", {"client_id": "rpc-shop", "version": 1, "changes": change}, key=admin_key)
    versions = admin_rpc("merchants.history", {"client_id": "rpc-shop"}, key=admin_key)["result"]["versions"]
    assert [v["version"] for v in versions] == [2, 1]
    restored = admin_rpc("merchants.rollback", {"client_id": "rpc-shop", "to_version": 1}, key=admin_key)
    assert restored["result"]["merchant"]["version"] == 3
    assert app.extensions["onsite.merchants"].get("rpc-shop").allowed_origins == ("https://rpc-shop.example",)
    current = admin_rpc("merchants.rollback", {"client_id": "rpc-shop", "to_version": 3}, key=admin_key)[
        "error"
    ]
    assert current["code"] == -32602 and "current version" in current["message"]
    gone = admin_rpc("merchants.rollback", {"client_id": "rpc-shop", "to_version": 99}, key=admin_key)[
        "error"
    ]
    assert gone["code"] == -32004


def test_the_history_keeps_the_last_versions(app) -> None:  # type: ignore[no-untyped-def]
    configs = app.extensions["onsite.merchants"]
    for i in range(HISTORY_LIMIT + 5):
        configs.save_merchant({**SHOP, "name": f"name {i}"})
    assert configs.documents.current("rpc-shop")["version"] == HISTORY_LIMIT + 5
    kept = configs.documents.history("rpc-shop")
    assert len(kept) == HISTORY_LIMIT and kept[0]["version"] == HISTORY_LIMIT + 4


def test_each_save_moves_the_configuration_version(app) -> None:  # type: ignore[no-untyped-def]
    configs = app.extensions["onsite.merchants"]
    before = configs.read_version("demo")
    configs.save_merchant({**configs.documents.current("demo"), "name": "Renamed"})
    assert configs.read_version("demo") == before + 1
    assert configs.get("demo").name == "Renamed"


def test_merchant_admin_edits_only_its_own_origins_markets_and_brand(admin_rpc) -> None:  # type: ignore[no-untyped-def]
    version = admin_rpc("merchants.get", {})["result"]["merchant"]["version"]
    origins = ["http://localhost:5000", "https://nordhem.example", "https://www.nordhem.example"]
    allowed = admin_rpc("merchants.update", {"version": version, "changes": {"allowed_origins": origins}})
    assert allowed["result"]["merchant"]["allowed_origins"] == origins
    refusals: list[tuple[str, dict[str, Any], str]] = [
        (
            "merchants.update",
            {"version": version + 1, "changes": {"currencies": {}}},
            "may not change 'currencies'",
        ),
        (
            "merchants.update",
            {"version": version + 1, "changes": {"disabled": True}},
            "may not change 'disabled'",
        ),
        ("merchants.get", {"client_id": "other-shop"}, "only its own merchant"),
        ("merchants.history", {"client_id": "other-shop"}, "only its own merchant"),
        ("merchants.create", {"merchant": SHOP}, "may not call merchants.create"),
        ("merchants.disable", {"client_id": "demo"}, "may not call merchants.disable"),
        ("merchants.rollback", {"client_id": "demo", "to_version": 1}, "may not call merchants.rollback"),
        ("merchants.list", {}, "may not call merchants.list"),
    ]
    for method, params, expected in refusals:
        error = admin_rpc(method, params)["error"]
        assert error["code"] == -32003 and expected in error["message"], (method, error)
    versions = admin_rpc("merchants.history", {})["result"]["versions"]
    assert versions[0]["updated_by"]["kind"] == "api_key" and versions[0]["version"] == version + 1
