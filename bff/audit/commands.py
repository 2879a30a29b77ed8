"""``flask --app bff audit verify|checkpoint|archive|export``."""

from __future__ import annotations

import datetime as dt
import json
import sys
from typing import Any

import click
from flask import current_app
from flask.cli import AppGroup

from bff.audit.archive import archive_log
from bff.audit.chain import Verdict
from bff.audit.log import AuditLog
from bff.settings import Settings

audit_group = AppGroup("audit", help="The keyed hash-chained audit log and its checkpoints.")


def audit_log() -> AuditLog:
    found: AuditLog = current_app.extensions["onsite.audit"]
    return found


def _fail(verdict: Verdict) -> None:
    click.echo(f"audit log BROKEN at {verdict.position}: {verdict.reason}", err=True)
    sys.exit(1)


@audit_group.command("verify")
def verify_command() -> None:
    """Check every record's seal and link, and the chain against every checkpoint.

    Exits 1 naming the first problem: a record position, or a line of the checkpoint file.
    """
    verdict = audit_log().verify()
    if not verdict.ok:
        _fail(verdict)
    click.echo(
        f"audit log OK: {verdict.checked} records, chain intact, "
        f"consistent with {verdict.checkpoints} checkpoints ({audit_log().checkpoints.path})"
    )


@audit_group.command("checkpoint")
def checkpoint_command() -> None:
    """Verify, then append a signed checkpoint of the verified chain (run it from cron).

    Exits 1 without writing a checkpoint when the log does not verify.
    """
    audit = audit_log()
    try:
        verdict = audit.anchor(dt.datetime.now(dt.UTC))
    except OSError as exc:
        raise click.ClickException(f"cannot write {audit.checkpoints.path}: {exc.strerror}") from exc
    if not verdict.ok:
        _fail(verdict)
    click.echo(f"checkpoint: {verdict.checked} records, head {verdict.head}")


@audit_group.command("archive")
@click.confirmation_option(prompt="Move every audit record to a file under VAR_DIR and start a new chain?")
def archive_command() -> None:
    """Set aside a log that does not verify (e.g. one sealed before the chain was keyed).

    Writes the records to VAR_DIR/audit-archive-<time>.jsonl, moves the checkpoint file next
    to it, and starts a new chain whose first record names the archive and its head hash.
    """
    audit = audit_log()
    verdict = audit.verify()
    if verdict.ok:
        raise click.ClickException(f"the audit log verifies ({verdict.checked} records): nothing to archive")
    settings: Settings = current_app.extensions["onsite.settings"]
    try:
        archived = archive_log(audit, settings.var_dir, dt.datetime.now(dt.UTC), verdict)
    except OSError as exc:
        raise click.ClickException(f"cannot archive to {settings.var_dir}: {exc}") from exc
    click.echo(f"archived {archived.records} records (head {archived.head}) to {archived.path}")
    if archived.checkpoints_path is not None:
        click.echo(f"their checkpoints: {archived.checkpoints_path}")
    click.echo(f"new chain started: record 0 names the archive (sha256 {archived.sha256})")


@audit_group.command("export")
@click.option(
    "--output", type=click.File("w", encoding="utf-8"), default="-", help="File to write (default: stdout)."
)
def export_command(output: Any) -> None:
    """Write every record as JSON Lines, oldest first (verifiable offline with the chain key)."""
    for record in audit_log().records():
        output.write(json.dumps(record, sort_keys=True, ensure_ascii=False) + "\n")
