"""The results page and its CSV export: real events in through ``events.track``, real Redis."""

from __future__ import annotations

import csv
import datetime as dt
import html
import io
import re
import time
import uuid
from typing import Any

import pytest

from bff.attribution.funnel import FunnelStore
from bff.attribution.rule import Touch
from bff.attribution.store import AttributionStore, RecordedTouch, ReportedOrder
from bff.experiments import VariantCounts, analyse_experiment
from bff.experiments.proportions import conversion_rate
from tests.attribution.test_ingest import frame_event, order_event, post, result
from tests.console.conftest import signed_in

CAMPAIGN, CONTROL, OTHER = "us-lead-test", "lead-pay-in-4", "lead-pay-later"
V1, V2, V3 = ("1" * 32), ("2" * 32), ("3" * 32)
PAGE = "/console/m/demo/results"


def shown(visit: str, variant: str, *types: str) -> list[dict[str, Any]]:
    return [
        frame_event(
            type=t, session_id=visit, campaign_id=CAMPAIGN, variant=variant, placement_key="credit-badge"
        )
        for t in types
    ]


@pytest.fixture
def traffic(client, api_key, redis_client) -> None:  # type: ignore[no-untyped-def]
    """Three visits of the US A/B campaign, two orders today, one attributed order 8 days ago."""
    events = (
        shown(V1, CONTROL, "view", "impression", "click", "interstitial_open")
        + shown(V2, CONTROL, "view", "impression")
        + shown(V3, OTHER, "view", "impression")
    )
    assert result(post(client, "/rpc/collect", events))["accepted"] == len(events)
    orders = [
        order_event(visit_id=V1, order_id="ORD-1", amount=12900, currency="USD"),
        order_event(visit_id=V3, order_id="ORD-2", amount=5000, currency="USD"),
    ]
    assert result(post(client, "/rpc", orders, api_key))["accepted"] == 2
    earlier = int((time.time() - 8 * 86400) * 1000)
    store = AttributionStore(redis_client)
    old_visit = "4" * 32
    store.record_touches(
        [
            RecordedTouch(
                "demo", 7, Touch("t-old", "click", earlier, old_visit, CAMPAIGN, CONTROL, "credit-badge")
            )
        ]
    )
    store.record_order(
        ReportedOrder("demo", str(uuid.uuid4()), "ORD-0", old_visit, "server", 2000, "USD", earlier + 1000),
        window_days=7,
        counts=True,
    )
    FunnelStore(redis_client).record(
        [
            frame_event(
                type="view", session_id=old_visit, campaign_id=CAMPAIGN, variant=CONTROL, visit_id=old_visit
            )
        ],
        earlier,
    )


def text_of(page: str, testid: str) -> str:
    match = re.search(rf'data-testid="{testid}"[^>]*>(.*?)</(?:span|dd)>', page, re.S)
    assert match is not None, testid
    return html.unescape(re.sub(r"<[^>]+>", "", match.group(1))).strip()


def funnel_counts(page: str, variant: str) -> list[int]:
    block = re.search(rf'data-campaign="{CAMPAIGN}" data-variant="{variant}">(.*?)</figure>', page, re.S)
    assert block is not None
    return [int(n) for n in re.findall(r'data-testid="funnel-count">(\d+)<', block.group(1))]


@pytest.mark.parametrize("role", ["admin", "merchant_admin"])
def test_the_page_shows_exactly_the_recorded_numbers(app, traffic, role) -> None:  # type: ignore[no-untyped-def]
    console = signed_in(app, role, "demo" if role == "merchant_admin" else None)
    response = console.get(PAGE)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert text_of(page, "glance-orders") == "2"
    assert text_of(page, "glance-value") == "USD 179"
    assert text_of(page, "glance-visits") == "3"
    rate = conversion_rate(2, 3)
    assert rate is not None
    assert text_of(page, "glance-rate").startswith(
        f"{100 * rate.value:.1f}% (95% interval {100 * rate.low:.1f}% to {100 * rate.high:.1f}%)"
    )
    assert "(last touch; 1 in the 7 days before)" in page
    assert "the 7 days before: USD 20" in page
    assert funnel_counts(page, CONTROL) == [2, 2, 1, 1, 1]
    assert funnel_counts(page, OTHER) == [1, 1, 0, 0, 1]
    assert "con-bar--w50" in page and 'style="' not in page
    expected = analyse_experiment(
        [VariantCounts(CONTROL, 2, 1), VariantCounts(OTHER, 1, 1)], CONTROL, [50.0, 50.0]
    )
    assert html.escape(expected.srm.sentence) in page
    assert html.escape(expected.verdicts[0].sentence) in page
    assert 'data-testid="results-empty"' not in page


def test_thirty_days_include_the_earlier_order(admin_console, traffic) -> None:  # type: ignore[no-untyped-def]
    page = admin_console.get(f"{PAGE}?days=30").get_data(as_text=True)
    assert text_of(page, "glance-orders") == "3"
    assert text_of(page, "glance-visits") == "4"
    assert funnel_counts(page, CONTROL) == [3, 2, 1, 1, 2]


def test_a_merchant_without_data_is_told_what_to_do(admin_console) -> None:  # type: ignore[no-untyped-def]
    page = admin_console.get(PAGE).get_data(as_text=True)
    assert "No data yet: once your pages show the badge" in page
    assert 'data-testid="results-glance"' not in page


@pytest.mark.parametrize("days", ["1", "14", "abc", "-7", "7.0"])
def test_only_7_or_30_days(admin_console, days) -> None:  # type: ignore[no-untyped-def]
    for path in (PAGE, f"{PAGE}.csv"):
        response = admin_console.get(f"{path}?days={days}")
        assert response.status_code == 400
        assert b"days must be one of 7, 30" in response.data


def test_a_merchant_admin_cannot_read_another_merchants_results(app, traffic) -> None:  # type: ignore[no-untyped-def]
    other = signed_in(app, "merchant_admin", "acme")
    assert other.get(PAGE).status_code == 404
    assert other.get(f"{PAGE}.csv").status_code == 404


def test_signed_out_users_are_sent_to_sign_in(client) -> None:  # type: ignore[no-untyped-def]
    assert client.get(PAGE).status_code in (302, 401)


def test_the_csv_holds_the_funnel_rows(merchant_console, traffic) -> None:  # type: ignore[no-untyped-def]
    response = merchant_console.get(f"{PAGE}.csv?days=7")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"].startswith('attachment; filename="results-demo-')
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    today = dt.datetime.now(dt.UTC).date().isoformat()
    assert rows[1:] == [
        [today, CAMPAIGN, CONTROL, "credit-badge", "2", "2", "1", "1", "1", "USD:12900"],
        [today, CAMPAIGN, OTHER, "credit-badge", "1", "1", "0", "0", "1", "USD:5000"],
    ]


def test_the_csv_escapes_formula_cells(admin_console, redis_client) -> None:  # type: ignore[no-untyped-def]
    # events.track refuses such ids; counters written by older code or by hand must still be safe.
    hostile = {
        "type": "view",
        "client_id": "demo",
        "campaign_id": "=cmd()",
        "variant": "@SUM",
        "placement_key": "+x",
    }
    FunnelStore(redis_client).record([hostile], int(time.time() * 1000))
    rows = list(csv.reader(io.StringIO(admin_console.get(f"{PAGE}.csv").get_data(as_text=True))))
    assert rows[1][1:4] == ["'=cmd()", "'@SUM", "'+x"]
