"""``flask --app bff profiles|catalogue|delivery ...``: shopper data and per-merchant content."""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
import time
from pathlib import Path
from typing import Any

import click
from flask import current_app
from flask.cli import AppGroup

from bff.audit.log import actor_cli
from bff.errors import DataError, InvalidParams
from bff.gdpr import erase_shopper, export_shopper
from bff.personalization.profile import Profile, parse_profile_row
from bff.personalization.profile_rows import read_rows
from bff.rpc import validation as v
from bff.store.aof_rewrites import AofRewrites
from bff.store.merchant_config import MerchantConfigStore
from bff.store.profiles import ProfileStore

MAX_REPORTED = 50
BATCH = 2000

profiles_group = AppGroup(
    "profiles", help="Shopper profiles: bulk load, GDPR export and erasure, AOF compaction."
)
catalogue_group = AppGroup("catalogue", help="A merchant's product catalogue (recommendations).")
delivery_group = AppGroup("delivery", help="A merchant's delivery table (options per country and city).")


def _profiles() -> ProfileStore:
    store: ProfileStore = current_app.extensions["onsite.profiles"]
    return store


@profiles_group.command("load")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--client", "client_id", required=True, help="The merchant the profiles belong to.")
@click.option("--format", "kind", type=click.Choice(["auto", "jsonl", "csv"]), default="auto")
def load_profiles(file: Path, client_id: str, kind: str) -> None:
    """Validate every row of FILE (JSON Lines or CSV) and load the good ones.

    Bad rows are reported with their line numbers; the exit code is 1 when any row
    was rejected, 0 otherwise.
    """
    kind = kind if kind != "auto" else ("csv" if file.suffix.lower() == ".csv" else "jsonl")
    store, today = _profiles(), dt.date.today()
    loaded = rejected = 0
    batch: list[Profile] = []
    with (
        file.open(encoding="utf-8", errors="replace", newline="") as handle,
        click.progressbar(length=os.path.getsize(file), label=f"Loading {file.name}", file=sys.stderr) as bar,
    ):
        for number, row, error in read_rows(_tracked(handle, bar), kind):
            profile, problems = (
                parse_profile_row(row, today) if error is None else (None, [{"path": "", "message": error}])
            )
            if profile is None:
                rejected += 1
                if rejected <= MAX_REPORTED:
                    detail = "; ".join(f"{p['path'] or 'row'}: {p['message']}" for p in problems)
                    click.echo(f"line {number}: {detail}", err=True)
                continue
            batch.append(profile)
            if len(batch) >= BATCH:
                loaded += store.save_many(client_id, batch)
                batch.clear()
        loaded += store.save_many(client_id, batch)
    if rejected > MAX_REPORTED:
        click.echo(f"... and {rejected - MAX_REPORTED} more bad rows", err=True)
    click.echo(f"{loaded} profiles loaded, {rejected} rows rejected")
    if rejected:
        sys.exit(1)


def _tracked(handle: Any, bar: Any) -> Any:
    for line in handle:
        bar.update(len(line.encode("utf-8")))
        yield line


@profiles_group.command("export")
@click.argument("customer_ref")
@click.option("--client", "client_id", required=True)
def export_profile(customer_ref: str, client_id: str) -> None:
    """Print everything held about one shopper as JSON (GDPR access request)."""
    ref = _valid_ref(customer_ref)
    click.echo(json.dumps(export_shopper(client_id, ref, actor_cli()), indent=2, ensure_ascii=False))


@profiles_group.command("erase")
@click.argument("customer_ref")
@click.option("--client", "client_id", required=True)
def erase_profile(customer_ref: str, client_id: str) -> None:
    """Remove everything held about one shopper (GDPR erasure request)."""
    erased = erase_shopper(client_id, _valid_ref(customer_ref), actor_cli())
    click.echo(f"removed: {json.dumps(erased['removed'])}")
    click.echo(f"AOF rewrite: {erased['aof_rewrite']}")


# Outcomes after which erased values may stay on disk until someone acts.
COMPACT_FAILURES = ("refused", "unavailable")


@profiles_group.command("compact")
@click.option(
    "--wait", "wait_s", type=float, default=0.0, help="Wait up to this long for the rewrite to finish."
)
def compact(wait_s: float) -> None:
    """Rewrite Redis's AOF if an erasure waits for it and ONSITE_ERASURE_REWRITE_S has passed
    (for cron, when no ``monitor run`` worker does it). Exit code 1 when Redis refused or
    could not be reached, or the awaited rewrite failed or did not finish in time."""
    rewrites: AofRewrites = current_app.extensions["onsite.aof_rewrites"]
    outcome = rewrites.run_due(time.time())
    click.echo(f"AOF rewrite: {outcome}")
    if outcome in COMPACT_FAILURES:
        sys.exit(1)
    if wait_s > 0 and outcome == "started":
        if not rewrites.wait_until_rewritten(wait_s):
            click.echo("AOF rewrite: failed or still running", err=True)
            sys.exit(1)
        click.echo("AOF rewrite: done")


def _valid_ref(customer_ref: str) -> str:
    try:
        return v.customer_ref("customer_ref", customer_ref)
    except InvalidParams as exc:
        raise click.BadParameter(exc.reason, param_hint="CUSTOMER_REF") from exc


def _import(client_id: str, file: Any, save: Any, what: str) -> None:
    try:
        count = save(client_id, json.load(file))
    except ValueError as exc:
        raise click.ClickException(f"{file.name} is not valid JSON: {exc}") from exc
    except DataError as exc:
        raise click.ClickException(f"{file.name}: {exc}") from exc
    click.echo(f"{count} {what} imported for {client_id}")


@catalogue_group.command("import")
@click.argument("file", type=click.File("r", encoding="utf-8"))
@click.option("--client", "client_id", required=True)
def import_catalogue(file: Any, client_id: str) -> None:
    """Replace the merchant's catalogue with FILE: a JSON array of {sku, name, url, interests}."""
    configs: MerchantConfigStore = current_app.extensions["onsite.merchants"]
    _import(client_id, file, configs.save_catalogue, "products")


@delivery_group.command("import")
@click.argument("file", type=click.File("r", encoding="utf-8"))
@click.option("--client", "client_id", required=True)
def import_delivery(file: Any, client_id: str) -> None:
    """Replace the merchant's delivery table with FILE: {"SE": {"*": [...], "Stockholm": [...]}}."""
    configs: MerchantConfigStore = current_app.extensions["onsite.merchants"]
    _import(client_id, file, configs.save_delivery, "countries")
