"""``flask --app bff ...`` commands."""

from __future__ import annotations

import datetime as dt
import json
import sys
from typing import Any

import click
from flask import Flask, current_app
from flask.cli import AppGroup

from bff.audit.commands import audit_group
from bff.audit.log import AuditLog, actor_cli, record_safely
from bff.auth.commands import users_group
from bff.cli_profiles import catalogue_group, delivery_group, profiles_group
from bff.demo_commands import demo_group
from bff.errors import InvalidDocument, OnsiteError
from bff.identity.commands import identity_group
from bff.merchants.commands import merchants_group
from bff.personalization.copy_migration import convert_legacy_copy
from bff.store.api_keys import ROLES, ApiKeyStore
from bff.store.campaigns import CampaignRepository


def init_app(app: Flask) -> None:
    app.cli.add_command(demo_group)
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
