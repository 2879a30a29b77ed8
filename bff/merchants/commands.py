"""``flask --app bff merchants create|update|show|list|history|rollback|disable|enable``.

Each command calls ``bff.merchants.admin`` (the same code as the ``merchants.*`` RPC), so
every change is a new version in the history and an audit record with the CLI as actor.
Origins are read leniently (``origin_from_input``: trailing slash, case, default port and
Unicode hosts are corrected; paths, wildcards and plain http off loopback are refused).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import click
from flask.cli import AppGroup

from bff.audit.log import actor_cli
from bff.decisions.merchant_origins import origin_from_input, with_www_twins
from bff.errors import InvalidDocument, RpcError
from bff.merchants import admin

merchants_group = AppGroup(
    "merchants", help="Merchant documents: origins, markets, placements (docs/merchants.md)."
)
T = TypeVar("T")


def _origin(ctx: click.Context, param: click.Parameter, values: tuple[str, ...]) -> tuple[str, ...]:
    try:
        return tuple(origin_from_input(value) for value in values)
    except ValueError as exc:
        raise click.BadParameter(str(exc), ctx, param) from exc


def _market(ctx: click.Context, param: click.Parameter, values: tuple[str, ...]) -> list[dict[str, str]]:
    markets = []
    for value in values:
        parts = value.split(":")
        if len(parts) != 3:
            raise click.BadParameter(
                f"{value!r}: write COUNTRY:LOCALE:CURRENCY, e.g. GB:en-GB:GBP", ctx, param
            )
        markets.append({"country": parts[0].upper(), "locale": parts[1], "currency": parts[2].upper()})
    return markets


def _placement(ctx: click.Context, param: click.Parameter, values: tuple[str, ...]) -> dict[str, str]:
    placements = {}
    for value in values:
        key, sep, kind = value.partition("=")
        if not sep or not key or not kind:
            raise click.BadParameter(f"{value!r}: write KEY=TYPE, e.g. credit-badge=badge", ctx, param)
        placements[key] = kind
    return placements


origin_option = click.option(
    "--origin", "origins", multiple=True, callback=_origin, help="An allowed origin (repeatable)."
)
with_www_option = click.option(
    "--with-www", is_flag=True, help="Also allow the www. twin of each origin given (or the bare domain)."
)
market_option = click.option(
    "--market", "markets", multiple=True, callback=_market, help="COUNTRY:LOCALE:CURRENCY (repeatable)."
)
placement_option = click.option(
    "--placement", "placements", multiple=True, callback=_placement, help="KEY=TYPE (repeatable)."
)


@merchants_group.command("create")
@click.argument("client_id")
@click.option("--name", default=None, help="The merchant's display name.")
@origin_option
@with_www_option
@market_option
@placement_option
def create_command(
    client_id: str,
    name: str | None,
    origins: tuple[str, ...],
    with_www: bool,
    markets: list[dict[str, str]],
    placements: dict[str, str],
) -> None:
    """Create merchant CLIENT_ID (version 1)."""
    doc: dict[str, Any] = {
        "client_id": client_id,
        "name": name or client_id,
        "allowed_origins": with_www_twins(origins) if with_www else list(dict.fromkeys(origins)),
        "currencies": {},
        "placements": placements,
    }
    if markets:
        doc["markets"] = markets
    stored = _run(admin.create, doc, actor_cli())
    click.echo(f"created {client_id} (version {stored['version']})")
    _show(stored)


@merchants_group.command("update")
@click.argument("client_id")
@click.option("--name", default=None, help="A new display name.")
@origin_option
@click.option(
    "--add-origin", "added", multiple=True, callback=_origin, help="Allow one more origin (repeatable)."
)
@click.option("--remove-origin", "removed", multiple=True, callback=_origin, help="Stop allowing an origin.")
@with_www_option
@market_option
@placement_option
@click.option("--version", type=int, default=None, help="The version you read (default: the current one).")
def update_command(
    client_id: str,
    name: str | None,
    origins: tuple[str, ...],
    added: tuple[str, ...],
    removed: tuple[str, ...],
    with_www: bool,
    markets: list[dict[str, str]],
    placements: dict[str, str],
    version: int | None,
) -> None:
    """Change CLIENT_ID: --origin and --market replace the lists, --placement adds or
    replaces one key, --add-origin/--remove-origin edit the origins."""
    current = _run(admin.get, client_id)
    changes: dict[str, Any] = {}
    if name is not None:
        changes["name"] = name
    if origins or added or removed:
        listed = list(origins) if origins else list(current.get("allowed_origins", []))
        listed += list(added)
        if with_www:
            listed = with_www_twins(listed)
        gone = set(with_www_twins(removed) if with_www else removed)
        changes["allowed_origins"] = [o for o in dict.fromkeys(listed) if o not in gone]
    if markets:
        changes["markets"] = markets
    if placements:
        changes["placements"] = {**current.get("placements", {}), **placements}
    if not changes:
        raise click.UsageError("nothing to change: give --name, --origin, --add-origin, --market, ...")
    read = current["version"] if version is None else version
    stored = _run(admin.update, client_id, read, changes, actor_cli())
    click.echo(f"updated {client_id} (version {stored['version']})")


@merchants_group.command("show")
@click.argument("client_id")
def show_command(client_id: str) -> None:
    """Show CLIENT_ID's current document."""
    _show(_run(admin.get, client_id))


@merchants_group.command("list")
def list_command() -> None:
    """List every merchant."""
    for summary in _run(admin.list_merchants):
        state = "disabled" if summary["disabled"] else "live"
        click.echo(f"{summary['client_id']}  v{summary['version']}  {state}  {summary['name']}")


@merchants_group.command("disable")
@click.argument("client_id")
def disable_command(client_id: str) -> None:
    """Stop CLIENT_ID's placements: renders answer as for an unknown client."""
    stored = _run(admin.set_disabled, client_id, True, actor_cli())
    click.echo(f"disabled {client_id} (version {stored['version']})")


@merchants_group.command("enable")
@click.argument("client_id")
def enable_command(client_id: str) -> None:
    """Serve CLIENT_ID's placements again."""
    stored = _run(admin.set_disabled, client_id, False, actor_cli())
    click.echo(f"enabled {client_id} (version {stored['version']})")


@merchants_group.command("history")
@click.argument("client_id")
def history_command(client_id: str) -> None:
    """List CLIENT_ID's kept versions, newest first."""
    for entry in _run(admin.history, client_id):
        actor = entry["updated_by"] or {}
        who = f"{actor.get('kind', '?')}:{actor.get('id', '?')}"
        origins = ", ".join(entry["document"].get("allowed_origins", [])) or "none"
        click.echo(f"v{entry['version']}  {entry['updated_at'] or '-'}  {who}  origins: {origins}")


@merchants_group.command("rollback")
@click.argument("client_id")
@click.argument("version", type=int)
def rollback_command(client_id: str, version: int) -> None:
    """Restore CLIENT_ID's VERSION as a new version."""
    stored = _run(admin.rollback, client_id, version, actor_cli())
    click.echo(f"restored version {version} of {client_id} as version {stored['version']}")


def _run(action: Callable[..., T], *args: Any) -> T:
    try:
        return action(*args)
    except InvalidDocument as exc:
        lines = [f"{p['path']}: {p['message']}" for p in exc.problems]
        raise click.ClickException("invalid merchant document:\n  " + "\n  ".join(lines)) from exc
    except RpcError as exc:
        raise click.ClickException(exc.message) from exc


def _show(doc: dict[str, Any]) -> None:
    lines = [
        f"{doc['client_id']}: {doc.get('name', doc['client_id'])}",
        f"  version      {doc.get('version')} ({doc.get('updated_at', '-')})",
        f"  state        {'DISABLED (renders nothing)' if doc.get('disabled') else 'live'}",
        "  origins      " + (", ".join(doc.get("allowed_origins", [])) or "none (frames load nowhere)"),
    ]
    for market in doc.get("markets", []):
        lines.append(f"  market       {market['country']} {market['locale']} {market['currency']}")
    for locale, currency in sorted(doc.get("currencies", {}).items()):
        lines.append(f"  currency     {locale} -> {currency}")
    for key, kind in sorted(doc.get("placements", {}).items()):
        lines.append(f"  placement    {key} ({kind})")
    for name, value in sorted((doc.get("brand") or {}).items()):
        lines.append(f"  brand        {name} {value}")
    click.echo("\n".join(lines))
