"""``flask --app bff identity list|create|rotate|revoke --client ID``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import click
from flask.cli import AppGroup

from bff.audit.log import actor_cli
from bff.errors import RpcError
from bff.identity import admin

identity_group = AppGroup("identity", help="Identity secrets that sign customer tokens (docs/identity.md).")
T = TypeVar("T")
client_option = click.option("--client", "client_id", required=True, help="The merchant's client id.")


@identity_group.command("list")
@client_option
def list_command(client_id: str) -> None:
    """List the merchant's identity secrets (ids and dates; secrets are never shown again)."""
    for record in _run(admin.list_secrets, client_id):
        state = "active" if record["active"] else f"revoked {record['revoked_at']}"
        click.echo(f"{record['id']}  created {record['created_at']}  {state}")


@identity_group.command("create")
@client_option
def create_command(client_id: str) -> None:
    """Create an identity secret (at most two are active)."""
    _show(_run(admin.create_secret, client_id, actor_cli()))


@identity_group.command("rotate")
@client_option
def rotate_command(client_id: str) -> None:
    """Create a new secret; the previous one stays valid, older ones are revoked."""
    _show(_run(admin.rotate_secret, client_id, actor_cli()))


@identity_group.command("revoke")
@client_option
@click.argument("secret_id")
def revoke_command(client_id: str, secret_id: str) -> None:
    """Revoke SECRET_ID now: tokens it signed are refused."""
    result = _run(admin.revoke_secret, client_id, secret_id, actor_cli())
    click.echo(f"revoked {secret_id}; active now: {', '.join(result['active']) or 'none'}")


def _run(action: Callable[..., T], *args: Any) -> T:
    try:
        return action(*args)
    except RpcError as exc:
        raise click.ClickException(exc.message) from exc


def _show(result: dict[str, Any]) -> None:
    click.echo(f"secret id {result['id']}; active: {', '.join(result['active'])}")
    click.echo("Give this secret to the merchant's server now; it is not shown again:")
    click.echo(result["secret"])
