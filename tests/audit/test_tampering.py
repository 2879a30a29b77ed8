"""Every way someone with write access to Redis (but not the server secret) can tamper with the
audit log is reported at its first bad position, by ``AuditLog.verify`` and ``audit verify``.

The cases are data (``tamperings.json``): a log of 10 records with a checkpoint of all 10 is
tampered with, then verified. A forger re-seals with plain SHA-256 (what the chain was before
it was keyed) or with a key of their own.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import redis

from bff.audit.chain import GENESIS, record_mac, unkeyed_hash
from bff.audit.log import RECORDS_KEY, AuditLog, actor_cli

CASES = json.loads((Path(__file__).parent / "tamperings.json").read_text())
WRONG_KEY = b"w" * 32
SEALERS = {"sha256": unkeyed_hash, "wrong-key": lambda record: record_mac(record, WRONG_KEY)}
RECORDS = 10


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "tampering" in metafunc.fixturenames:
        metafunc.parametrize("tampering", CASES, ids=[case["name"] for case in CASES])


@pytest.fixture
def sealed_log(app) -> AuditLog:  # type: ignore[no-untyped-def]
    """The app's audit log with 10 records, anchored by ``audit checkpoint``."""
    log: AuditLog = app.extensions["onsite.audit"]
    assert log.length() == 0
    for i in range(RECORDS):
        log.append("test.event", actor_cli(), details={"i": i})
    anchored = app.test_cli_runner().invoke(args=["audit", "checkpoint"])
    assert anchored.exit_code == 0 and f"checkpoint: {RECORDS} records" in anchored.output
    return log


def reseal(records: list[dict[str, Any]], start: int, stop: int, sealer: str) -> None:
    """Renumber, relink and re-hash ``records[start:stop]`` as a forger without the key would."""
    prev = records[start - 1]["hash"] if start else GENESIS
    for position in range(start, stop):
        record = {k: v for k, v in records[position].items() if k != "hash"}
        record["seq"], record["prev"] = position, prev
        record["hash"] = SEALERS[sealer](record)
        records[position] = record
        prev = record["hash"]


def tamper(records: list[dict[str, Any]], case: dict[str, Any]) -> None:
    at, forged = case.get("at", 0), {"action": "api_key.create", "actor": actor_cli("mallory")}
    if case["op"] == "edit":
        records[at]["details"] = {"i": 99}
    elif case["op"] == "delete":
        del records[at]
    elif case["op"] == "swap":
        records[at], records[case["with"]] = records[case["with"]], records[at]
    elif case["op"] == "insert":
        records.insert(at, forged)
    elif case["op"] == "append":
        records.append(forged)
    elif case["op"] == "truncate":
        del records[-case["n"] :]
    elif case["op"] == "delete_all":
        records.clear()
    stop = {"none": at, "record": at + 1, "rest": len(records)}[case.get("reseal", "none")]
    reseal(records, at, stop, case.get("sealer", "sha256"))


def test_the_cases_cover_the_13_tamperings() -> None:
    assert len(CASES) == 13 and len({case["name"] for case in CASES}) == 13


def test_every_tampering_is_reported_at_its_first_bad_position(  # type: ignore[no-untyped-def]
    app, sealed_log: AuditLog, redis_client: redis.Redis, tampering: dict[str, Any]
) -> None:
    runner = app.test_cli_runner()
    assert runner.invoke(args=["audit", "verify"]).exit_code == 0
    records = [json.loads(raw) for raw in redis_client.lrange(RECORDS_KEY, 0, -1)]  # type: ignore[union-attr]
    tamper(records, tampering)
    redis_client.delete(RECORDS_KEY)
    if records:
        redis_client.rpush(RECORDS_KEY, *(json.dumps(record) for record in records))

    verdict = sealed_log.verify()
    assert (verdict.ok, verdict.first_bad) == (False, tampering["first_bad"]), verdict
    assert tampering["reason"] in verdict.reason
    broken = runner.invoke(args=["audit", "verify"])
    assert broken.exit_code == 1
    assert f"audit log BROKEN at record {tampering['first_bad']}: " in broken.output
    assert tampering["reason"] in broken.output


def test_a_forged_checkpoint_line_is_reported_at_its_line(app, sealed_log: AuditLog) -> None:  # type: ignore[no-untyped-def]
    path = sealed_log.checkpoints.path
    lines = path.read_text().splitlines()
    forged = {**json.loads(lines[-1]), "records": RECORDS + 5}
    with path.open("a") as out:
        out.write(json.dumps(forged) + "\n")
    verdict = sealed_log.verify()
    assert (verdict.ok, verdict.first_bad, verdict.checkpoint_line) == (False, None, len(lines) + 1)
    assert "HMAC" in verdict.reason
    broken = app.test_cli_runner().invoke(args=["audit", "verify"])
    assert broken.exit_code == 1
    assert f"audit log BROKEN at checkpoint line {len(lines) + 1}: " in broken.output


def test_checkpoint_refuses_to_anchor_a_broken_log(app, sealed_log: AuditLog, redis_client) -> None:  # type: ignore[no-untyped-def]
    redis_client.rpop(RECORDS_KEY)
    before = sealed_log.checkpoints.path.read_text()
    refused = app.test_cli_runner().invoke(args=["audit", "checkpoint"])
    assert refused.exit_code == 1 and f"BROKEN at record {RECORDS - 1}" in refused.output
    assert sealed_log.checkpoints.path.read_text() == before
