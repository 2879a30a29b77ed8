"""The dashboard's merchant pages: funnel, earnings, experiments, trends, anomalies, CSV.

* ``GET /monitoring/merchants``: admins and analysts pick a merchant (a list, and a GET form
  ``?client_id=`` that redirects to its page: an unknown one is a 404); a merchant admin is
  sent to its own merchant's page.
* ``GET /monitoring/merchants/<client_id>?days=7|30``: the merchant's page
  (``merchant_page.py``), server-rendered with SVG charts: no script needed.
* ``GET /monitoring/merchants/<client_id>/funnel.csv?days=7|30``: the funnel per day,
  campaign, variant and placement with last-touch orders (the console's export rows).
* ``GET /monitoring/merchants/<client_id>/breakdown.csv?dimension=<d>[&combo=<c>]``: the
  breakdown table of the real-time page (last 15 minutes) under ``combo`` (default: the
  merchant's total), which must belong to ``client_id``.

Every route needs ``route:monitoring.merchant`` and the merchant in the user's scope: a
merchant admin asking for another merchant, by path or by ``combo``, gets the same 404 as
for a merchant that does not exist. CSV cells are made safe for spreadsheets (a leading
``= + - @`` gets a ``'``). A wrong ``days``, ``dimension`` or ``combo`` is a 400.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import abort, redirect, render_template, request, url_for

from bff.attribution.funnel import FunnelStore
from bff.attribution.store import AttributionStore
from bff.console.major_units import major_units
from bff.console.results import csv_attachment, period_days
from bff.console.results_rows import PERIODS, csv_cell, csv_rows, periods
from bff.errors import NotFound
from bff.merchants import admin
from bff.monitoring.dashboard import queries
from bff.monitoring.dashboard.login import csrf_token, current_scope, dashboard_assets, login_required
from bff.monitoring.dashboard.merchant_page import read_merchant_page
from bff.monitoring.dashboard.scope import Scope
from bff.monitoring.dashboard.views import bp, scoped_alerts
from bff.monitoring.dimensions import COMBINATIONS, DIMENSIONS, merchant_of, parse_combo
from bff.monitoring.metrics import COUNTERS, RATES
from bff.monitoring.rollups.store import RollupStore
from bff.patterns import IDENTIFIER
from bff.store.connection import get_redis

RESOURCE = "route:monitoring.merchant"


def merchant_scoped(view: Callable[..., Any]) -> Callable[..., Any]:
    """Guard a view of one merchant (its ``client_id`` URL argument): a live session with
    ``RESOURCE``, the merchant in scope and known; otherwise 404 (see the module contract)."""

    @wraps(view)
    def scoped(client_id: str) -> Any:
        if not IDENTIFIER.match(client_id) or not current_scope().allows_merchant(client_id):
            abort(404)
        try:
            merchant = admin.get(client_id)
        except NotFound:
            abort(404)
        return view(merchant)

    return login_required(scoped, RESOURCE)


@bp.get("/merchants")
def merchants() -> Any:
    return login_required(_merchants, RESOURCE)()


def _merchants() -> Any:
    scope = current_scope()
    if scope.merchant is not None:
        return redirect(url_for("monitoring.merchant", client_id=scope.merchant))
    known = admin.list_merchants()
    chosen = request.args.get("client_id")
    if chosen is not None:
        if chosen not in {m["client_id"] for m in known}:
            abort(404)
        return redirect(url_for("monitoring.merchant", client_id=chosen))
    return render_template(
        "monitoring/merchants.html", merchants=known, csrf_token=csrf_token(), **dashboard_assets()
    )


@bp.get("/merchants/<client_id>")
@merchant_scoped
def merchant(merchant: dict[str, Any]) -> Any:
    client_id = merchant["client_id"]
    scope = current_scope()
    page = read_merchant_page(client_id, period_days(), _today(), scoped_alerts(Scope(client_id)))
    return render_template(
        "monitoring/merchant.html",
        merchant=merchant,
        page=page,
        periods=PERIODS,
        cross_merchant=scope.cross_merchant,
        merchants=admin.list_merchants() if scope.cross_merchant else [],
        dimensions=[d for d in DIMENSIONS if ("merchant", d) in COMBINATIONS],
        csrf_token=csrf_token(),
        major_units=major_units,
        utc=_utc,
        **dashboard_assets(),
    )


@bp.get("/merchants/<client_id>/funnel.csv")
@merchant_scoped
def funnel_csv(merchant: dict[str, Any]) -> Any:
    client_id = merchant["client_id"]
    (first, last) = day_range = periods(_today(), period_days())[0]
    redis_client = get_redis()
    rows = csv_rows(
        FunnelStore(redis_client).funnel(client_id, day_range),
        AttributionStore(redis_client).attributed_orders(client_id, day_range),
    )
    return csv_attachment(rows, f"funnel-{client_id}-{first.isoformat()}-{last.isoformat()}.csv")


@bp.get("/merchants/<client_id>/breakdown.csv")
@merchant_scoped
def breakdown_csv(merchant: dict[str, Any]) -> Any:
    client_id = merchant["client_id"]
    combo = request.args.get("combo", f"merchant={client_id}")
    dimension = request.args.get("dimension", "")
    if (
        not queries.is_canonical_combo(combo)
        or not queries.is_known_dimension(dimension)
        or dimension in parse_combo(combo)
    ):
        abort(400, description="Unknown combo or dimension.")
    if merchant_of(combo) != client_id:
        abort(404)
    table = queries.breakdown(_rollups(), combo, dimension, int(time.time() * 1000))
    return csv_attachment(breakdown_rows(table), f"breakdown-{client_id}-{dimension}.csv")


def breakdown_rows(table: dict[str, Any]) -> list[list[str]]:
    """The CSV of a ``queries.breakdown`` table: header, then one row per value, cells made safe."""
    header = [table["dimension"], "events", *COUNTERS, *RATES]
    rows = [header]
    for row in table["rows"]:
        rates = ["" if row[r] is None else f"{row[r]:.6f}" for r in RATES]
        rows.append([row["value"], str(row["events"]), *(str(row["counts"][c]) for c in COUNTERS), *rates])
    return [[csv_cell(cell) for cell in r] for r in rows]


def _utc(ms: int) -> str:
    return dt.datetime.fromtimestamp(ms / 1000, dt.UTC).strftime("%Y-%m-%d %H:%M")


def _today() -> dt.date:
    return dt.datetime.now(dt.UTC).date()


def _rollups() -> RollupStore:
    return RollupStore(get_redis())
