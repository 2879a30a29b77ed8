"""The merchant's results: is messaging working, what does it earn, which variant wins.

* ``GET /console/m/<client_id>/results?days=7|30``: at a glance (last-touch orders, their
  value, the conversion rate of exposed visits, each against the period before), a funnel
  per campaign and variant, the experiments of campaigns with two or more variants, and an
  empty state for a merchant with no data yet. Any other ``days`` is a 400 page.
* ``GET /console/m/<client_id>/results.csv?days=7|30``: the funnel rows of the period as an
  attachment (cells made safe for spreadsheets).

Reads only (``bff.attribution.funnel``, ``bff.attribution.store``, the campaigns); the rows
are built by the pure ``bff.console.results_rows``.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Sequence
from typing import Any

from flask import Response, abort, current_app, render_template, request

from bff.attribution.funnel import FunnelStore
from bff.attribution.store import AttributionStore
from bff.console import bp, section
from bff.console.access import merchant_page
from bff.console.major_units import major_units
from bff.console.results_rows import (
    PERIODS,
    CampaignInfo,
    PeriodData,
    campaign_info,
    csv_rows,
    periods,
    results_page,
)
from bff.merchants import admin
from bff.store.campaigns import CampaignRepository
from bff.store.connection import get_redis


@bp.get("/m/<client_id>/results")
@merchant_page()
def results(client_id: str) -> Any:
    merchant = admin.get(client_id)
    days = period_days()
    current_range, previous_range = periods(_today(), days)
    campaigns = merchant_campaigns(client_id)
    current = read_period(client_id, current_range, campaigns)
    previous = read_period(client_id, previous_range, [])
    return render_template(
        "console/results.html",
        merchant=merchant,
        section="console.results",
        days=days,
        periods=PERIODS,
        current_range=current_range,
        page=results_page(current, previous, campaigns),
        major_units=major_units,
    )


@bp.get("/m/<client_id>/results.csv")
@merchant_page()
def results_csv(client_id: str) -> Any:
    admin.get(client_id)  # an unknown merchant is a 404
    days = period_days()
    day_range, _ = periods(_today(), days)
    redis_client = get_redis()
    rows = csv_rows(
        FunnelStore(redis_client).funnel(client_id, day_range),
        AttributionStore(redis_client).attributed_orders(client_id, day_range),
    )
    name = f"results-{client_id}-{day_range[0].isoformat()}-{day_range[1].isoformat()}.csv"
    return csv_attachment(rows, name)


def csv_attachment(rows: Sequence[Sequence[str]], filename: str) -> Response:
    """``rows`` (cells already made safe: ``results_rows.csv_cell``) as a ``text/csv`` download
    named ``filename`` (CRLF lines, as RFC 4180); the console's and the dashboard's exports."""
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(rows)
    return Response(
        out.getvalue(),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


def period_days() -> int:
    """The request's ``days`` (one of ``PERIODS``, default 7); 400 for any other value."""
    raw = request.args.get("days", "7")
    if raw not in {str(p) for p in PERIODS}:
        abort(400, description=f"days must be one of {', '.join(str(p) for p in PERIODS)}.")
    return int(raw)


def _today() -> dt.date:
    return dt.datetime.now(dt.UTC).date()


def merchant_campaigns(client_id: str) -> list[CampaignInfo]:
    """The merchant's campaigns as the results need them (also read by the monitoring dashboard)."""
    repository: CampaignRepository = current_app.extensions["onsite.campaigns"]
    return [campaign_info(doc) for doc in repository.list(client_id)]


def read_period(
    client_id: str, day_range: tuple[dt.date, dt.date], campaigns: list[CampaignInfo]
) -> PeriodData:
    """The period's counters; exposed visits per variant only for ``campaigns`` with variants
    (also read by the monitoring dashboard's merchant page)."""
    redis_client = get_redis()
    funnel = FunnelStore(redis_client)
    by_variant = {
        (c.id, variant): funnel.exposed_visits(client_id, c.id, variant, day_range)
        for c in campaigns
        if len(c.variants) >= 2
        for variant, _ in c.variants
    }
    return PeriodData(
        funnel=funnel.funnel(client_id, day_range),
        orders=AttributionStore(redis_client).attributed_orders(client_id, day_range),
        exposed_visits=funnel.exposed_visits(client_id, None, None, day_range),
        exposed_by_variant=by_variant,
    )


section("console.results", "Results")
