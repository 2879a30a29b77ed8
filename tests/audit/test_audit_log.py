"""The audit log in Redis: admin actions are recorded, appends write checkpoints, tampering is
found by `flask audit verify`."""

from __future__ import annotations

import datetime as dt
import json
import threading
from pathlib import Path

import pytest
import redis

from bff import create_app
from bff.audit.checkpoint import CheckpointPolicy
from bff.audit.checkpoint_file import CheckpointFile
from bff.audit.log import RECORDS_KEY, AuditLog, actor_cli
from bff.errors import ConfigError
from bff.settings import Settings
from tests.rpc.test_campaigns_rpc import NEW_CAMPAIGN

CHAIN_KEY, CHECKPOINT_KEY = b"a" * 32, b"b" * 32
T0 = dt.datetime(2026, 5, 4, 10, 0, tzinfo=dt.UTC)


def audit_log(client: redis.Redis, path: Path, **policy: float) -> AuditLog:
    return AuditLog(client, CHAIN_KEY, CheckpointFile(path, CHECKPOINT_KEY), CheckpointPolicy(**policy))  # type: ignore[arg-type]


def actions(app) -> list[str]:  # type: ignore[no-untyped-def]
    return [r["action"] for r in app.extensions["onsite.audit"].records()]


def test_admin_actions_are_recorded_without_raw_refs(app, admin_rpc, api_key) -> None:  # type: ignore[no-untyped-def]
    # Consent changes are shopper data, not audit records (tests/rpc/test_consent_update.py).
    admin_rpc("campaigns.create", {"campaign": NEW_CAMPAIGN})
    admin_rpc("campaigns.archive", {"campaign_id": NEW_CAMPAIGN["id"]})
    admin_rpc("profiles.export", {"customer_ref": "demo-anna"})
    admin_rpc("profiles.erase", {"customer_ref": "demo-anna"})
    assert actions(app)[-4:] == ["campaign.create", "campaign.archive", "profile.export", "profile.erase"]
    raw = json.dumps(list(app.extensions["onsite.audit"].records()))
    assert "demo-anna" not in raw and api_key not in raw
    assert app.extensions["onsite.audit"].verify().ok


def test_cli_actions_are_recorded(app) -> None:  # type: ignore[no-untyped-def]
    app.test_cli_runner().invoke(args=["keys", "create", "--client", "demo"])
    assert actions(app)[-1] == "api_key.create"


def test_concurrent_appends_keep_one_linear_chain_and_true_checkpoints(
    redis_client: redis.Redis, tmp_path: Path
) -> None:
    """Four writers (each its own AuditLog, as in separate workers) checkpoint after appends."""
    path = tmp_path / "checkpoints.jsonl"
    logs = [audit_log(redis_client, path, every_records=1) for _ in range(4)]

    def write(n: int) -> None:
        for i in range(25):
            logs[n].append("test.concurrent", actor_cli(f"w{n}"), details={"i": i})

    threads = [threading.Thread(target=write, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    verdict = logs[0].verify()
    assert verdict.ok and verdict.checked == 100
    # A writer skips its checkpoint when another already anchored a later record.
    checkpoints, bad = logs[0].checkpoints.read()
    assert bad == [] and 50 <= len(checkpoints) == verdict.checkpoints
    assert max(c.records for c in checkpoints) == 100


def test_appends_write_a_checkpoint_every_n_records_or_seconds(
    redis_client: redis.Redis, tmp_path: Path
) -> None:
    log = audit_log(redis_client, tmp_path / "checkpoints.jsonl", every_records=3, every_s=60)
    for i in range(7):
        log.append("test.event", actor_cli(), now=T0 + dt.timedelta(seconds=i))
    log.append("test.event", actor_cli(), now=T0 + dt.timedelta(seconds=70))
    checkpoints, bad = log.checkpoints.read()
    assert [c.records for c in checkpoints] == [1, 4, 7, 8] and bad == []
    records = list(log.records())
    assert [c.head for c in checkpoints] == [records[n - 1]["hash"] for n in (1, 4, 7, 8)]


def test_a_new_process_continues_from_the_checkpoint_file(redis_client: redis.Redis, tmp_path: Path) -> None:
    path = tmp_path / "checkpoints.jsonl"
    audit_log(redis_client, path, every_records=5).append("test.event", actor_cli(), now=T0)
    restarted = audit_log(redis_client, path, every_records=5)
    for i in range(3):
        restarted.append("test.event", actor_cli(), now=T0 + dt.timedelta(seconds=i))
    assert [c.records for c in restarted.checkpoints.read()[0]] == [1]


def test_a_checkpoint_that_cannot_be_written_does_not_fail_the_append(
    redis_client: redis.Redis, tmp_path: Path
) -> None:
    (tmp_path / "not-a-dir").write_text("")
    log = audit_log(redis_client, tmp_path / "not-a-dir" / "checkpoints.jsonl")
    record = log.append("test.event", actor_cli())
    assert list(log.records()) == [record]


def test_rpc_verify_names_the_cut_off_position(app, admin_rpc, redis_client) -> None:  # type: ignore[no-untyped-def]
    secret, _ = app.extensions["onsite.api_keys"].create("*", "auditor", "", T0)
    log = app.extensions["onsite.audit"]
    for i in range(3):
        log.append("test.event", actor_cli(), details={"i": i})
    log.anchor()
    redis_client.rpop(RECORDS_KEY)
    result = admin_rpc("audit.verify", {}, key=secret)["result"]
    assert result["ok"] is False and (result["first_bad"], result["checkpoint_line"]) == (2, None)
    assert result["checkpoints"] == 2 and "cut off" in result["reason"]


def test_verify_command_finds_the_first_tampered_record(app, redis_client: redis.Redis) -> None:  # type: ignore[no-untyped-def]
    log = app.extensions["onsite.audit"]
    for i in range(4):
        log.append("test.event", actor_cli(), details={"i": i})
    runner = app.test_cli_runner()
    ok = runner.invoke(args=["audit", "verify"])
    assert ok.exit_code == 0 and "4 records, chain intact, consistent with 1 checkpoints" in ok.output
    record = json.loads(redis_client.lindex(RECORDS_KEY, 2))
    record["details"]["i"] = 99
    redis_client.lset(RECORDS_KEY, 2, json.dumps(record))
    broken = runner.invoke(args=["audit", "verify"])
    assert broken.exit_code == 1
    assert "BROKEN at record 2" in broken.output and "edited" in broken.output
    redis_client.lrem(RECORDS_KEY, 1, redis_client.lindex(RECORDS_KEY, 2))
    assert "BROKEN at record 2" in runner.invoke(args=["audit", "verify"]).output


def test_export_is_jsonl(app) -> None:  # type: ignore[no-untyped-def]
    app.extensions["onsite.audit"].append("test.export", actor_cli())
    lines = app.test_cli_runner().invoke(args=["audit", "export"]).output.strip().splitlines()
    assert json.loads(lines[-1])["action"] == "test.export"


def test_the_checkpoint_file_and_interval_come_from_the_settings(settings: Settings) -> None:
    assert Settings.from_env({"ONSITE_AUDIT_CHECKPOINT_S": "5"}).audit_checkpoint_s == 5
    with pytest.raises(ConfigError, match="ONSITE_AUDIT_CHECKPOINT_S"):
        Settings.from_env({"ONSITE_AUDIT_CHECKPOINT_S": "0"})
    log = create_app(settings.replace(audit_checkpoint_s=5)).extensions["onsite.audit"]
    assert log.policy.every_s == 5
    assert log.checkpoints.path == settings.var_dir / "audit-checkpoints.jsonl"


def test_an_unreadable_last_record_does_not_stop_appends(app, redis_client) -> None:  # type: ignore[no-untyped-def]
    from bff.audit.log import RECORDS_KEY

    audit = app.extensions["onsite.audit"]
    audit.append("a.first", {"kind": "cli", "id": "t"})
    redis_client.rpush(RECORDS_KEY, b"not json")
    record = audit.append("a.after", {"kind": "cli", "id": "t"})
    assert record["seq"] == 2 and record["prev"] == "unreadable"
    assert audit.verify().first_bad == 1  # the garbage is reported where it is
