"""``flask --app bff ...`` commands."""

from __future__ import annotations

import datetime as dt
import json
import signal
import sys
import threading
import time
from types import FrameType
from typing import Any
from urllib.parse import urlsplit

import click
from flask import Flask, current_app
from flask.cli import AppGroup
from werkzeug.serving import run_simple

from bff.audit.commands import audit_group
from bff.audit.log import AuditLog, actor_cli, record_safely
from bff.auth.commands import users_group
from bff.cli_profiles import catalogue_group, delivery_group, profiles_group
from bff.errors import InvalidDocument, OnsiteError
from bff.identity.commands import identity_group
from bff.merchants.commands import merchants_group
from bff.monitoring.cli import start_pipeline
from bff.personalization.copy_migration import convert_legacy_copy
from bff.settings import Settings
from bff.store.api_keys import ROLES, ApiKeyStore
from bff.store.campaigns import CampaignRepository

PIPELINE_STOP_TIMEOUT_S = 2.0


def init_app(app: Flask) -> None:
    app.cli.add_command(demo_command)
    app.cli.add_command(campaigns_group)
    app.cli.add_command(keys_group)
    app.cli.add_command(users_group)
    groups = (profiles_group, catalogue_group, delivery_group, audit_group, identity_group, merchants_group)
    for group in groups:
        app.cli.add_command(group)


def _audit() -> AuditLog:
    found: AuditLog = current_app.extensions["onsite.audit"]
    return found


def _campaigns() -> CampaignRepository:
    repository: CampaignRepository = current_app.extensions["onsite.campaigns"]
    return repository


@click.group("campaigns", cls=AppGroup)
def campaigns_group() -> None:
    """Import and export a merchant's campaigns (JSON array files)."""


@campaigns_group.command("import")
@click.argument("file", type=click.File("r", encoding="utf-8"))
@click.option("--client", "client_id", required=True, help="The merchant's client id.")
def import_campaigns(file: Any, client_id: str) -> None:
    """Create or update every campaign in FILE; report each invalid one with its field paths.

    Valid campaigns are stored even when others in the file are invalid; the exit code
    is 1 when any campaign was rejected. Copy in the old ``{{ name }}`` syntax is converted
    (and reported); other old template code is rejected with its path (docs/copy.md).
    """
    try:
        docs = json.load(file)
    except ValueError as exc:
        raise click.ClickException(f"{file.name} is not valid JSON: {exc}") from exc
    if not isinstance(docs, list):
        raise click.ClickException(f"{file.name} must hold a JSON array of campaigns")
    repository, rejected = _campaigns(), 0
    existing = {c["id"] for c in repository.list(client_id)}
    for index, doc in enumerate(docs):
        try:
            campaign_id = doc.get("id") if isinstance(doc, dict) else None
            doc, converted = convert_legacy_copy(doc)
            for path in converted:
                click.echo(f"note  [{index}] {path}: converted from the old {{{{ name }}}} syntax")
            if campaign_id in existing:
                stored = repository.update(client_id, doc)
            else:
                stored = repository.create(client_id, doc)
            click.echo(f"ok    [{index}] {stored['id']} (version {stored['version']})")
        except InvalidDocument as exc:
            rejected += 1
            for problem in exc.problems:
                click.echo(f"error [{index}] {problem['path']}: {problem['message']}", err=True)
        except OnsiteError as exc:
            rejected += 1
            click.echo(f"error [{index}] {exc}", err=True)
    click.echo(f"{len(docs) - rejected} imported, {rejected} rejected")
    record_safely(
        _audit(),
        "campaign.import",
        actor_cli(),
        target={"merchant": client_id},
        details={"imported": len(docs) - rejected, "rejected": rejected},
    )
    if rejected:
        sys.exit(1)


@campaigns_group.command("export")
@click.option("--client", "client_id", required=True, help="The merchant's client id.")
@click.option(
    "--output", type=click.File("w", encoding="utf-8"), default="-", help="File to write (default: stdout)."
)
def export_campaigns(client_id: str, output: Any) -> None:
    """Write every campaign of the merchant as a JSON array (re-importable)."""
    json.dump(_campaigns().list(client_id), output, indent=2, ensure_ascii=False)
    output.write("\n")


@click.group("keys", cls=AppGroup)
def keys_group() -> None:
    """API keys for the admin RPC methods."""


@keys_group.command("create")
@click.option("--client", "client_id", default="*", help="The merchant a merchant_admin key is scoped to.")
@click.option("--role", type=click.Choice(ROLES), default="merchant_admin")
@click.option("--label", default="", help="A note to recognise the key by.")
def create_key(client_id: str, role: str, label: str) -> None:
    """Create an API key. The secret is printed once and never stored (only its SHA-256)."""
    store: ApiKeyStore = current_app.extensions["onsite.api_keys"]
    try:
        secret, record = store.create(client_id, role, label, dt.datetime.now(dt.UTC))
    except ValueError as exc:
        raise click.ClickException(str(exc)) from exc
    record_safely(
        _audit(),
        "api_key.create",
        actor_cli(),
        target={"merchant": client_id, "key_id": record.key_id},
        details={"role": record.role, "label": label},
    )
    click.echo(f"key id {record.key_id} ({role}, {client_id}); store this secret now, it is not shown again:")
    click.echo(secret)


@keys_group.command("revoke")
@click.argument("key_id")
def revoke_key(key_id: str) -> None:
    """Revoke the API key with KEY_ID."""
    store: ApiKeyStore = current_app.extensions["onsite.api_keys"]
    revoked = store.revoke(key_id, dt.datetime.now(dt.UTC))
    if revoked is None:
        raise click.ClickException(f"no API key {key_id}")
    record_safely(
        _audit(), "api_key.revoke", actor_cli(), target={"merchant": revoked.client_id, "key_id": key_id}
    )
    click.echo(f"revoked {key_id} ({revoked.client_id})")


@click.command("demo")
@click.option(
    "--monitoring", is_flag=True, help="Also run the rollup worker, the detector and the Slack notifier."
)
def demo_command(monitoring: bool) -> None:
    """Serve the demo shop and the frames with the dev server (not for production); with
    ``--monitoring`` (what bin/demo passes) the monitoring pipeline runs in the same process."""
    settings: Settings = current_app.extensions["onsite.settings"]
    public = urlsplit(settings.public_origin)
    port = public.port or 80
    click.echo(f"Demo shop:  {settings.demo_origin}/demo")
    click.echo(f"Frames/BFF: {settings.public_origin}  (Ctrl+C to stop)")
    click.echo(f"Console:    {settings.public_origin}/console  (first user: docs/merchants.md)")
    click.echo(f"Dashboard:  {settings.public_origin}/monitoring")
    # SIGTERM (a service manager, `kill`) stops it like Ctrl+C: Python's default for SIGTERM
    # ends the process without unwinding, so the atexit hook that stops the embedded
    # redis-server would not run and the server would outlive the demo.
    signal.signal(signal.SIGTERM, _interrupt)
    # SIGINT too, explicitly: a shell starting the demo as a background job ignores SIGINT,
    # and Python then keeps it ignored; Ctrl+C or `kill -INT` must still stop the demo.
    signal.signal(signal.SIGINT, _interrupt)
    # Not app.run(): inside a `flask` command Flask turns it into a no-op (FLASK_RUN_FROM_CLI).
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    stopped = threading.Event()
    threads = start_pipeline(app, stopped.is_set) if monitoring else []
    try:
        run_simple(public.hostname or "127.0.0.1", port, app, threaded=True)
    finally:
        # One short wait for all three: they are daemon threads, and what they leave undone
        # is safe (rollups commit atomically; unacknowledged events are claimed next time).
        stopped.set()
        deadline = time.monotonic() + PIPELINE_STOP_TIMEOUT_S
        for thread in threads:
            thread.join(timeout=max(0.0, deadline - time.monotonic()))


def _interrupt(signum: int, frame: FrameType | None) -> None:
    """Signal handler: raise ``KeyboardInterrupt`` in the main thread, as Ctrl+C does."""
    raise KeyboardInterrupt
