"""Onboarding a merchant from the CLI alone: create, import a campaign, render, change,
roll back, disable; every change versioned and audited (real Redis)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tests.rpc.test_campaigns_rpc import NEW_CAMPAIGN

SESSION = "b" * 32


def invoke(app: Any, *args: str) -> Any:
    """Run ``flask --app bff <args>``; returns the click result."""
    return app.test_cli_runner().invoke(args=list(args))


def create_shop(app: Any, *extra: str) -> Any:
    result = invoke(
        app,
        *("merchants", "create", "nordic-chairs", "--name", "Nordic Chairs"),
        *("--origin", "https://Shop.example/", "--with-www"),
        *("--market", "GB:en-GB:GBP", "--market", "SE:sv-SE:SEK"),
        *("--placement", "product-badge=badge"),
        *extra,
    )
    assert result.exit_code == 0, result.output
    return result


def render(rpc: Any, **overrides: Any) -> dict[str, Any]:
    params = {
        "client_id": "nordic-chairs",
        "placement_key": "product-badge",
        "locale": "en-GB",
        "purchase_amount": 9900,
        "session_id": SESSION,
    }
    answer: dict[str, Any] = rpc("placements.render", params | overrides)
    return answer


def frame_ancestors(client: Any) -> str:
    csp = client.get("/frame/placement?client_id=nordic-chairs").headers["Content-Security-Policy"]
    return next(part for part in csp.split("; ") if part.startswith("frame-ancestors"))


def audit_actions(app: Any) -> list[tuple[str, int]]:
    return [
        (r["action"], r["target"]["version"])
        for r in app.extensions["onsite.audit"].records()
        if r["action"].startswith("merchant.")
    ]


def test_create_then_import_a_campaign_then_render(app, rpc, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    created = create_shop(app)
    assert "created nordic-chairs (version 1)" in created.output
    assert "https://shop.example, https://www.shop.example" in created.output
    campaigns = tmp_path / "campaigns.json"
    campaigns.write_text(json.dumps([NEW_CAMPAIGN]), encoding="utf-8")
    imported = invoke(app, "campaigns", "import", str(campaigns), "--client", "nordic-chairs")
    assert imported.exit_code == 0, imported.output
    result = render(rpc)["result"]  # no currency param: the market gives en-GB its GBP
    assert result["kind"] == "badge" and "Winter offer" in result["text"]
    assert (
        frame_ancestors(app.test_client()) == "frame-ancestors https://shop.example https://www.shop.example"
    )


def test_show_is_readable(app) -> None:  # type: ignore[no-untyped-def]
    create_shop(app)
    shown = invoke(app, "merchants", "show", "nordic-chairs").output
    assert "Nordic Chairs" in shown and "state        live" in shown
    assert "market       SE sv-SE SEK" in shown and "placement    product-badge (badge)" in shown
    assert "nordic-chairs  v1  live  Nordic Chairs" in invoke(app, "merchants", "list").output


def test_bad_options_are_refused_with_the_reason(app) -> None:  # type: ignore[no-untyped-def]
    cases = {
        ("--origin", "https://shop.example/checkout"): "no path, query or user name",
        ("--origin", "http://shop.example"): "http is allowed only for localhost",
        ("--origin", "https://*.shop.example"): "wildcards are not allowed",
        ("--market", "GB-en-GB-GBP"): "COUNTRY:LOCALE:CURRENCY",
        ("--market", "GB:english:GBP"): "markets[0].locale",
        ("--placement", "product-badge=popup"): "placements.product-badge",
    }
    for args, expected in cases.items():
        result = invoke(app, "merchants", "create", "bad-shop", *args)
        assert result.exit_code != 0 and expected in result.output, (args, result.output)
    assert "No merchant 'bad-shop'" in invoke(app, "merchants", "show", "bad-shop").output
    again = invoke(app, "merchants", "create", "demo")
    assert again.exit_code == 1 and "exists already" in again.output


def test_update_history_and_rollback_restore_the_origins(app, rpc) -> None:  # type: ignore[no-untyped-def]
    create_shop(app)
    client = app.test_client()
    added = invoke(app, "merchants", "update", "nordic-chairs", "--add-origin", "https://shop.example:8443")
    assert "version 2" in added.output, added.output
    removed = invoke(
        app, "merchants", "update", "nordic-chairs", "--remove-origin", "https://www.shop.example"
    )
    assert "version 3" in removed.output, removed.output
    assert frame_ancestors(client) == "frame-ancestors https://shop.example https://shop.example:8443"
    history = invoke(app, "merchants", "history", "nordic-chairs").output.splitlines()
    assert [line.split()[0] for line in history] == ["v3", "v2", "v1"]
    assert "cli:cli" in history[0] and "https://www.shop.example" in history[2]
    rolled = invoke(app, "merchants", "rollback", "nordic-chairs", "1")
    assert "restored version 1 of nordic-chairs as version 4" in rolled.output, rolled.output
    assert frame_ancestors(client) == "frame-ancestors https://shop.example https://www.shop.example"
    assert invoke(app, "merchants", "rollback", "nordic-chairs", "9").exit_code == 1
    assert audit_actions(app) == [
        ("merchant.create", 1),
        ("merchant.update", 2),
        ("merchant.update", 3),
        ("merchant.rollback", 4),
    ]


def test_a_stale_version_is_a_conflict(app) -> None:  # type: ignore[no-untyped-def]
    create_shop(app)
    invoke(app, "merchants", "update", "nordic-chairs", "--name", "Nordic Chairs Ltd")
    stale = invoke(app, "merchants", "update", "nordic-chairs", "--name", "Other", "--version", "1")
    assert stale.exit_code == 1
    assert "it is at version 2, not 1. Read it again and reapply the change." in stale.output


def test_a_disabled_merchant_renders_nothing_until_enabled(app, rpc, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    create_shop(app)
    campaigns = tmp_path / "campaigns.json"
    campaigns.write_text(json.dumps([NEW_CAMPAIGN]), encoding="utf-8")
    invoke(app, "campaigns", "import", str(campaigns), "--client", "nordic-chairs")
    assert render(rpc)["result"]["kind"] == "badge"
    assert "disabled nordic-chairs (version 2)" in invoke(app, "merchants", "disable", "nordic-chairs").output
    error = render(rpc)["error"]
    assert error["code"] == -32001 and "Unknown client_id 'nordic-chairs'" in error["message"]
    assert "DISABLED" in invoke(app, "merchants", "show", "nordic-chairs").output
    client = app.test_client()
    assert client.get("/frame/placement?client_id=nordic-chairs").status_code == 404
    assert "enabled nordic-chairs (version 3)" in invoke(app, "merchants", "enable", "nordic-chairs").output
    assert render(rpc)["result"]["kind"] == "badge"
    assert client.get("/frame/placement?client_id=nordic-chairs").status_code == 200
    assert audit_actions(app)[-2:] == [("merchant.disable", 2), ("merchant.enable", 3)]


def test_an_unchanged_save_writes_and_records_nothing(app) -> None:  # type: ignore[no-untyped-def]
    create_shop(app)
    again = invoke(app, "merchants", "update", "nordic-chairs", "--name", "Nordic Chairs")
    assert "version 1" in again.output
    assert audit_actions(app) == [("merchant.create", 1)]
