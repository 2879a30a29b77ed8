"""The dashboard's merchant page and its CSV exports: real events in through the RPC, real
Redis; the same figures as the console's Results page."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import time
from collections import Counter

import pytest

from bff.attribution.funnel import FunnelStore
from bff.monitoring.rollups.aggregation import MINUTE_MS, CountedEvent, increments
from bff.monitoring.rollups.store import RollupStore
from tests.console.test_results import CAMPAIGN, CONTROL, OTHER, traffic  # noqa: F401  (a fixture)
from tests.monitoring.test_dashboard_scope import sign_in

PAGE = "/monitoring/merchants/demo"


def today() -> str:
    return dt.datetime.now(dt.UTC).date().isoformat()


@pytest.mark.parametrize("role", ["analyst", "merchant_admin"])
def test_the_page_shows_the_recorded_funnel_earnings_and_verdicts(app, traffic, role: str) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    client = sign_in(app, role, "demo" if role == "merchant_admin" else None)
    page = client.get(PAGE).get_data(as_text=True)
    counts = re.findall(r'data-testid="funnel-chart-count">(\d+)', page)
    assert counts == ["3", "3", "1", "1", "2"]  # views, viewable, clicks, opens, orders (last touch)
    assert re.search(r'data-testid="glance-orders">2<', page)
    assert "USD 179" in page  # 129 + 50
    assert re.search(r'data-testid="glance-aov">USD 89\.50<', page)
    assert 'data-testid="verdict" data-variant="lead-pay-later"' in page
    today_row = re.search(r'data-figure="orders">.*?data-testid="trend-today">(\d+)<', page, re.S)
    assert today_row is not None and today_row.group(1) == "2"
    assert 'data-testid="conversion-chart"' in page and 'data-testid="conversion-band"' in page
    assert f'data-day="{today()}"' in page
    assert "<script>" not in page and "style=" not in page
    assert (role == "analyst") == ('data-testid="merchant-picker"' in page)


def test_the_funnel_csv_is_an_attachment_of_the_funnel_rows(app, traffic) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    client = sign_in(app, "merchant_admin", "demo")
    response = client.get(f"{PAGE}/funnel.csv?days=7")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith('attachment; filename="funnel-demo-') and disposition.endswith('.csv"')
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    assert rows[0][:3] == ["day", "campaign_id", "variant"]
    by_variant = {(r[1], r[2]): r for r in rows[1:] if r[0] == today()}
    assert by_variant[(CAMPAIGN, CONTROL)][4:9] == ["2", "2", "1", "1", "1"]
    assert by_variant[(CAMPAIGN, OTHER)][4:9] == ["1", "1", "0", "0", "1"]


def test_csv_cells_cannot_become_formulas(app, redis_client) -> None:  # type: ignore[no-untyped-def]
    from tests.attribution.test_ingest import frame_event

    hostile = frame_event(type="view", session_id="5" * 32, campaign_id="=HYPERLINK(1)", variant="+1",
                          placement_key="@SUM(A1)")  # fmt: skip
    FunnelStore(redis_client).record([hostile], int(time.time() * 1000))
    minute = int(time.time() * 1000) // MINUTE_MS - 1
    values = {"merchant": "demo", "country": "SE", "browser": "-cmd", "device": "desktop", "channel": "=1+1"}
    RollupStore(redis_client).add_counts(
        increments([CountedEvent("", minute * MINUTE_MS, values, ("impression",))])
    )
    client = sign_in(app, "admin")
    funnel = client.get(f"{PAGE}/funnel.csv").get_data(as_text=True)
    assert "'=HYPERLINK(1),'+1,'@SUM(A1)" in funnel
    for dimension, cell in (("browser", "'-cmd"), ("channel", "'=1+1")):
        response = client.get(f"{PAGE}/breakdown.csv?dimension={dimension}")
        assert response.status_code == 200 and response.mimetype == "text/csv"
        assert f'filename="breakdown-demo-{dimension}.csv"' in response.headers["Content-Disposition"]
        rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
        assert rows[0][:3] == [dimension, "events", "impression"] and rows[1][:3] == [cell, "1", "1"]


@pytest.mark.parametrize(
    "url",
    [
        f"{PAGE}?days=9",
        f"{PAGE}/funnel.csv?days=0",
        f"{PAGE}/breakdown.csv?dimension=shoe_size",
        f"{PAGE}/breakdown.csv?dimension=merchant",
        f"{PAGE}/breakdown.csv",
    ],
)
def test_bad_parameters_are_400(app, url: str) -> None:  # type: ignore[no-untyped-def]
    client = sign_in(app, "admin")
    assert client.get(url).status_code == 400


def test_a_merchant_without_data_gets_an_empty_page_not_an_error(app) -> None:  # type: ignore[no-untyped-def]
    client = sign_in(app, "merchant_admin", "demo")
    page = client.get(PAGE).get_data(as_text=True)
    assert 'data-testid="no-conversion"' in page and 'data-testid="no-merchant-anomalies"' in page


def all_traffic_minute(redis_client, minute: int, with_global_combos: bool) -> None:  # type: ignore[no-untyped-def]
    """Two merchants' Firefox and Chrome impressions; the global browser combos only when asked."""
    counts: Counter = Counter()  # type: ignore[type-arg]
    for merchant, browser, n in (("acme", "Firefox", 5), ("zeta", "Firefox", 7), ("zeta", "Chrome", 4)):
        values = {
            "merchant": merchant,
            "country": "SE",
            "browser": browser,
            "device": "mobile",
            "channel": "ads",
        }
        counts += increments([CountedEvent("", minute * MINUTE_MS, values, ("impression",))] * n)
    kept = {k: v for k, v in counts.items() if with_global_combos or not k[2].startswith("browser=")}
    RollupStore(redis_client).add_counts(Counter(kept))


@pytest.mark.parametrize("with_global_combos", [True, False])
def test_the_all_traffic_browser_breakdown_is_filled(app, redis_client, with_global_combos: bool) -> None:  # type: ignore[no-untyped-def]
    all_traffic_minute(redis_client, int(time.time() * 1000) // MINUTE_MS - 1, with_global_combos)
    client = sign_in(app, "analyst")
    table = client.get("/monitoring/api/breakdown?combo=*&dimension=browser").get_json()
    assert [(r["value"], r["counts"]["impression"]) for r in table["rows"]] == [
        ("Firefox", 12),
        ("Chrome", 4),
    ]
    assert table["source"] == ("rollups" if with_global_combos else "merchants")


def test_a_sparse_conversion_series_says_it_has_data(app, redis_client) -> None:  # type: ignore[no-untyped-def]
    minute = int(time.time() * 1000) // MINUTE_MS - 1
    values = {"merchant": "demo", "country": "SE"}
    RollupStore(redis_client).add_counts(
        increments([CountedEvent("", minute * MINUTE_MS, values, ("session",))] * 4)
        + increments([CountedEvent("", minute * MINUTE_MS, values, ("order_created",))])
    )
    client = sign_in(app, "merchant_admin", "demo")
    series = client.get("/monitoring/api/series?combo=merchant%3Ddemo&metric=conversion").get_json()
    assert series["has_data"] and series["is_rate"] and series["today"][-2] == pytest.approx(0.25)
    assert len(series["last_week"]) == len(series["today"])
    empty = client.get("/monitoring/api/series?combo=merchant%3Ddemo%7Cbrowser%3DFirefox&metric=conversion")
    assert empty.get_json()["has_data"] is False
