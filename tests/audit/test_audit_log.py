"""The audit log in Redis: admin actions are recorded, tampering is found by `flask audit verify`."""

from __future__ import annotations

import json
import threading

import redis

from bff.audit.log import RECORDS_KEY, AuditLog, actor_cli
from tests.rpc.test_campaigns_rpc import NEW_CAMPAIGN


def actions(app) -> list[str]:  # type: ignore[no-untyped-def]
    return [r["action"] for r in app.extensions["onsite.audit"].records()]


def test_admin_actions_are_recorded_without_raw_refs(app, admin_rpc, rpc, api_key) -> None:  # type: ignore[no-untyped-def]
    admin_rpc("campaigns.create", {"campaign": NEW_CAMPAIGN})
    admin_rpc("campaigns.archive", {"campaign_id": NEW_CAMPAIGN["id"]})
    rpc(
        "consent.update",
        {"client_id": "demo", "session_id": "6" * 32, "personalization": True, "customer_ref": "demo-anna"},
    )
    admin_rpc("profiles.export", {"customer_ref": "demo-anna"})
    admin_rpc("profiles.erase", {"customer_ref": "demo-anna"})
    assert actions(app)[-5:] == [
        "campaign.create",
        "campaign.archive",
        "consent.change",
        "profile.export",
        "profile.erase",
    ]
    raw = json.dumps(list(app.extensions["onsite.audit"].records()))
    assert "demo-anna" not in raw and api_key not in raw
    assert app.extensions["onsite.audit"].verify().ok


def test_cli_actions_are_recorded(app) -> None:  # type: ignore[no-untyped-def]
    app.test_cli_runner().invoke(args=["keys", "create", "--client", "demo"])
    assert actions(app)[-1] == "api_key.create"


def test_concurrent_appends_keep_one_linear_chain(redis_client: redis.Redis) -> None:
    log = AuditLog(redis_client)

    def write(n: int) -> None:
        for i in range(25):
            log.append("test.concurrent", actor_cli(f"w{n}"), details={"i": i})

    threads = [threading.Thread(target=write, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    verdict = log.verify()
    assert verdict.ok and verdict.checked == 100


def test_verify_command_finds_the_first_tampered_record(app, redis_client: redis.Redis) -> None:  # type: ignore[no-untyped-def]
    log = app.extensions["onsite.audit"]
    for i in range(4):
        log.append("test.event", actor_cli(), details={"i": i})
    runner = app.test_cli_runner()
    ok = runner.invoke(args=["audit", "verify"])
    assert ok.exit_code == 0 and "chain intact" in ok.output
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
