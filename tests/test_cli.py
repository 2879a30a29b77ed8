"""CLI: campaigns import/export and API keys, through Flask's CLI runner."""

from __future__ import annotations

import json
from pathlib import Path

from tests.rpc.test_campaigns_rpc import NEW_CAMPAIGN


def test_export_then_import_round_trips(app, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    runner = app.test_cli_runner()
    exported = runner.invoke(args=["campaigns", "export", "--client", "demo"])
    assert exported.exit_code == 0, exported.output
    docs = json.loads(exported.output)
    assert {d["id"] for d in docs} >= {"gb-pay-in-4", "us-lead-test"}
    file = tmp_path / "campaigns.json"
    file.write_text(json.dumps([*docs, NEW_CAMPAIGN]), encoding="utf-8")
    imported = runner.invoke(args=["campaigns", "import", str(file), "--client", "demo"])
    assert imported.exit_code == 0, imported.output
    assert f"{len(docs) + 1} imported, 0 rejected" in imported.output
    assert app.extensions["onsite.campaigns"].get("demo", "gb-winter")["priority"] == 50


def test_import_reports_bad_campaigns_and_keeps_good_ones(app, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    file = tmp_path / "campaigns.json"
    file.write_text(json.dumps([{**NEW_CAMPAIGN, "priority": "high"}, {**NEW_CAMPAIGN, "id": "ok-one"}]))
    result = app.test_cli_runner().invoke(args=["campaigns", "import", str(file), "--client", "demo"])
    assert result.exit_code == 1
    assert "error [0] priority: expected integer, got string" in result.output
    assert "1 imported, 1 rejected" in result.output
    assert app.extensions["onsite.campaigns"].get("demo", "ok-one")["id"] == "ok-one"


def test_import_converts_old_copy_and_rejects_old_template_code(app, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    old = {**NEW_CAMPAIGN, "id": "old-copy", "copy": {"en": {"badge": "Pay {{ total }} in {{days}} days"}}}
    loops = "{% for i in range(10000) %}{% for j in range(10000) %}{% endfor %}{% endfor %}"
    code = {**NEW_CAMPAIGN, "id": "old-code", "copy": {"en": {"badge": loops}}}
    file = tmp_path / "campaigns.json"
    file.write_text(json.dumps([old, code]), encoding="utf-8")
    result = app.test_cli_runner().invoke(args=["campaigns", "import", str(file), "--client", "demo"])
    assert result.exit_code == 1
    assert "note  [0] copy.en.badge: converted from the old {{ name }} syntax" in result.output
    assert "error [1] copy.en.badge: uses the old template syntax" in result.output
    assert "1 imported, 1 rejected" in result.output
    stored = app.extensions["onsite.campaigns"].get("demo", "old-copy")
    assert stored["copy"] == {"en": {"badge": "Pay {total} in {days} days"}}


def test_import_rejects_a_file_that_is_not_json(app, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    file = tmp_path / "campaigns.json"
    file.write_text("{oops")
    result = app.test_cli_runner().invoke(args=["campaigns", "import", str(file), "--client", "demo"])
    assert result.exit_code != 0
    assert "not valid JSON" in result.output


def test_keys_create_prints_the_secret_once(app) -> None:  # type: ignore[no-untyped-def]
    import datetime as dt

    result = app.test_cli_runner().invoke(args=["keys", "create", "--client", "demo", "--label", "ci"])
    assert result.exit_code == 0
    secret = result.output.strip().splitlines()[-1]
    assert app.extensions["onsite.api_keys"].authenticate(secret, dt.datetime.now(dt.UTC)).client_id == "demo"
