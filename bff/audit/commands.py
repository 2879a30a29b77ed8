"""``flask --app bff audit verify|export``."""

from __future__ import annotations

import json
import sys
from typing import Any

import click
from flask import current_app
from flask.cli import AppGroup

from bff.audit.log import AuditLog

audit_group = AppGroup("audit", help="The hash-chained audit log.")


def audit_log() -> AuditLog:
    found: AuditLog = current_app.extensions["onsite.audit"]
    return found


@audit_group.command("verify")
def verify_command() -> None:
    """Check every record's hash and link; exit 1 naming the first bad record."""
    verdict = audit_log().verify()
    if verdict.ok:
        click.echo(f"audit log OK: {verdict.checked} records, chain intact")
        return
    click.echo(f"audit log BROKEN at record {verdict.first_bad}: {verdict.reason}", err=True)
    sys.exit(1)


@audit_group.command("export")
@click.option(
    "--output", type=click.File("w", encoding="utf-8"), default="-", help="File to write (default: stdout)."
)
def export_command(output: Any) -> None:
    """Write every record as JSON Lines, oldest first (verifiable offline with the same chain)."""
    for record in audit_log().records():
        output.write(json.dumps(record, sort_keys=True, ensure_ascii=False) + "\n")
