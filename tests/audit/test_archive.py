"""Logs sealed before the chain was keyed: reported at record 0, set aside by `audit archive`."""

from __future__ import annotations

import hashlib
import json
from typing import Any

import redis

from bff.audit.chain import GENESIS, unkeyed_hash
from bff.audit.log import RECORDS_KEY, AuditLog, actor_cli


def write_unkeyed_log(client: redis.Redis, n: int) -> list[dict[str, Any]]:
    """A log as the plain SHA-256 chain wrote it."""
    records, prev = [], GENESIS
    for i in range(n):
        record = {"at": "2026-01-01T00:00:00.000+00:00", "action": "campaign.create", "actor": actor_cli()}
        record.update(target={}, details={"i": i}, seq=i, prev=prev)
        record["hash"] = unkeyed_hash(record)
        records.append(record)
        prev = record["hash"]
    client.rpush(RECORDS_KEY, *(json.dumps(r, sort_keys=True) for r in records))
    return records


def test_an_unkeyed_log_is_reported_at_record_0_naming_the_archive_command(app, redis_client) -> None:  # type: ignore[no-untyped-def]
    write_unkeyed_log(redis_client, 3)
    verdict = app.extensions["onsite.audit"].verify()
    assert (verdict.ok, verdict.first_bad) == (False, 0)
    broken = app.test_cli_runner().invoke(args=["audit", "verify"])
    assert broken.exit_code == 1
    assert "BROKEN at record 0" in broken.output and "flask --app bff audit archive" in broken.output


def test_archive_moves_the_records_to_a_file_and_starts_a_chain_naming_it(
    app, redis_client, settings
) -> None:  # type: ignore[no-untyped-def]
    old = write_unkeyed_log(redis_client, 3)
    log: AuditLog = app.extensions["onsite.audit"]
    log.append("test.after_upgrade", actor_cli())  # appended to the old chain before anyone noticed
    old_checkpoints = log.checkpoints.path.read_text()
    runner = app.test_cli_runner()

    archived = runner.invoke(args=["audit", "archive", "--yes"])
    assert archived.exit_code == 0, archived.output
    [path] = settings.var_dir.glob("audit-archive-*Z.jsonl")
    lines = path.read_bytes().splitlines()
    assert [json.loads(line) for line in lines[:3]] == old and len(lines) == 4
    assert path.with_suffix(".checkpoints.jsonl").read_text() == old_checkpoints

    [first] = list(log.records())
    assert (first["seq"], first["action"], first["target"]) == (0, "audit.archive", {"archive": path.name})
    assert first["details"]["records"] == 4
    assert first["details"]["head"] == json.loads(lines[-1])["hash"]
    assert first["details"]["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()
    assert first["details"]["verdict"].startswith("BROKEN at record 0")
    assert first["details"]["unkeyed_chain"].startswith("BROKEN at record 3")  # the keyed append

    verdict = log.verify()
    assert verdict.ok and (verdict.checked, verdict.checkpoints) == (1, 1)
    assert runner.invoke(args=["audit", "verify"]).exit_code == 0


def test_an_intact_log_is_not_archived(app) -> None:  # type: ignore[no-untyped-def]
    app.extensions["onsite.audit"].append("test.event", actor_cli())
    refused = app.test_cli_runner().invoke(args=["audit", "archive", "--yes"])
    assert refused.exit_code == 1 and "nothing to archive" in refused.output
    assert len(list(app.extensions["onsite.audit"].records())) == 1
