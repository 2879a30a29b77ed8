"""/metrics shows the newest checkpoint, its age and the log's length, read at scrape time."""

from __future__ import annotations

from bff.audit.checkpoint_metrics import CheckpointCollector
from bff.audit.log import RECORDS_KEY, AuditLog, actor_cli
from tests.test_metrics import scrape


def value(text: str, name: str) -> float | None:
    for line in text.splitlines():
        if line.startswith(name + " "):
            return float(line.split()[1])
    return None


def test_metrics_show_the_checkpoint_and_a_cut_off_log(app, client, redis_client) -> None:  # type: ignore[no-untyped-def]
    assert value(scrape(client), "onsite_audit_checkpoint_records") is None
    log: AuditLog = app.extensions["onsite.audit"]
    for i in range(4):
        log.append("test.event", actor_cli(), details={"i": i})
    log.anchor()
    text = scrape(client)
    assert value(text, "onsite_audit_checkpoint_records") == 4
    assert value(text, "onsite_audit_records") == 4
    age = value(text, "onsite_audit_checkpoint_age_seconds")
    assert age is not None and 0 <= age < 60
    redis_client.ltrim(RECORDS_KEY, 0, 1)
    assert value(scrape(client), "onsite_audit_records") == 2


def test_the_age_is_measured_from_the_checkpoint_time(app) -> None:  # type: ignore[no-untyped-def]
    log: AuditLog = app.extensions["onsite.audit"]
    log.append("test.event", actor_cli())
    latest = log.checkpoints.latest()
    assert latest is not None
    collector = CheckpointCollector(log, clock=lambda: latest.at.timestamp() + 42)
    gauges = {family.name: family.samples[0].value for family in collector.collect()}
    assert gauges == {
        "onsite_audit_checkpoint_records": 1,
        "onsite_audit_checkpoint_age_seconds": 42,
        "onsite_audit_records": 1,
    }
