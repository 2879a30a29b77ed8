"""CLI: profiles load (JSONL, CSV, bad rows by line), export and erase; catalogue and delivery import."""

from __future__ import annotations

import json
from pathlib import Path

from bff.store import keys
from bff.store.aof_rewrites import AofRewrites


def test_load_jsonl_reports_bad_lines_and_loads_the_rest(app, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    file = tmp_path / "profiles.jsonl"
    file.write_text(
        "\n".join(
            [
                json.dumps({"customer_ref": "a-1", "first_name": "Ada", "interests": ["home"]}),
                "{not json",
                json.dumps({"customer_ref": "bad ref", "first_name": 3}),
                "",
                json.dumps({"customer_ref": "a-2", "consent": {"personalization": True}}),
            ]
        ),
        encoding="utf-8",
    )
    result = app.test_cli_runner().invoke(args=["profiles", "load", str(file), "--client", "demo"])
    assert result.exit_code == 1
    assert "line 2: row: not valid JSON" in result.output
    assert (
        "line 3: customer_ref: must be" in result.output and "first_name: must be a string" in result.output
    )
    assert "2 profiles loaded, 2 rows rejected" in result.output
    store = app.extensions["onsite.profiles"]
    assert store.get("demo", "a-1").first_name == "Ada"
    assert store.get("demo", "a-2").consent == frozenset({"personalization"})


def test_load_csv(app, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    file = tmp_path / "profiles.csv"
    file.write_text(
        "customer_ref,first_name,country,interests,consent\n"
        "c-1,Bea,SE,home|garden,personalization\n"
        "c-2,Cid,Sweden,,\n",
        encoding="utf-8",
    )
    result = app.test_cli_runner().invoke(args=["profiles", "load", str(file), "--client", "demo"])
    assert "line 3: country: must be an ISO 3166 code" in result.output
    assert "1 profiles loaded, 1 rows rejected" in result.output
    assert app.extensions["onsite.profiles"].get("demo", "c-1").interests == ("home", "garden")


def test_csv_with_unknown_columns_is_rejected(app, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    file = tmp_path / "profiles.csv"
    file.write_text("customer_ref,email\nc-1,a@b.c\n", encoding="utf-8")
    result = app.test_cli_runner().invoke(args=["profiles", "load", str(file), "--client", "demo"])
    assert result.exit_code == 1
    assert "unknown: ['email']" in result.output


def test_export_and_erase(app) -> None:  # type: ignore[no-untyped-def]
    runner = app.test_cli_runner()
    exported = json.loads(runner.invoke(args=["profiles", "export", "demo-anna", "--client", "demo"]).output)
    assert exported["profile"]["first_name"] == "Anna"
    erased = runner.invoke(args=["profiles", "erase", "demo-anna", "--client", "demo"])
    assert '"profile": 1' in erased.output
    # The first erasure rewrites at once (unless an earlier test's rewrite still runs).
    assert "AOF rewrite: started" in erased.output or "AOF rewrite: busy" in erased.output
    assert app.extensions["onsite.profiles"].get("demo", "demo-anna") is None
    # Both requests are audited as the CLI, with the shopper only as a keyed hash.
    records = [r for r in app.extensions["onsite.audit"].records() if r["action"].startswith("profile.")]
    assert [(r["action"], r["actor"]["kind"]) for r in records] == [
        ("profile.export", "cli"),
        ("profile.erase", "cli"),
    ]
    assert "demo-anna" not in json.dumps(records)


def test_compact_runs_a_due_rewrite_once_per_interval(app, redis_client) -> None:  # type: ignore[no-untyped-def]
    runner = app.test_cli_runner()
    assert runner.invoke(args=["profiles", "compact"]).output == "AOF rewrite: idle\n"
    assert AofRewrites(redis_client, 0).wait_until_rewritten(30)  # an earlier test's rewrite is over
    redis_client.hset(keys.aof_rewrite_key(), "erasures", 1)  # an erasure waits, none was attempted
    rewrites_before = redis_client.info("persistence")["aof_rewrites"]
    compacted = runner.invoke(args=["profiles", "compact", "--wait", "30"])
    assert (compacted.exit_code, compacted.output) == (0, "AOF rewrite: started\nAOF rewrite: done\n")
    assert redis_client.info("persistence")["aof_rewrites"] == rewrites_before + 1
    assert runner.invoke(args=["profiles", "compact"]).output == "AOF rewrite: idle\n"
    redis_client.hincrby(keys.aof_rewrite_key(), "erasures", 1)
    assert runner.invoke(args=["profiles", "compact"]).output == "AOF rewrite: deferred\n"  # 1 h not passed


def test_export_rejects_a_bad_ref_with_a_clear_message(app) -> None:  # type: ignore[no-untyped-def]
    result = app.test_cli_runner().invoke(args=["profiles", "export", "x" * 300, "--client", "demo"])
    assert result.exit_code == 2
    assert "Invalid value for CUSTOMER_REF" in result.output
    assert "Traceback" not in result.output


def test_catalogue_and_delivery_import(app, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    runner = app.test_cli_runner()
    good = tmp_path / "catalogue.json"
    good.write_text(json.dumps([{"sku": "s1", "name": "Stool", "url": "/stool", "interests": ["home"]}]))
    assert (
        "1 products imported"
        in runner.invoke(args=["catalogue", "import", str(good), "--client", "demo"]).output
    )
    assert [p.sku for p in app.extensions["onsite.merchants"].load("demo").catalogue] == ["s1"]
    bad = tmp_path / "delivery.json"
    bad.write_text(json.dumps({"Sweden": {}}))
    result = runner.invoke(args=["delivery", "import", str(bad), "--client", "demo"])
    assert result.exit_code != 0 and "ISO 3166" in result.output
