"""The results page's rows: pure, no server."""

from __future__ import annotations

import datetime as dt

import pytest

from bff.attribution.funnel import FunnelRow
from bff.attribution.store import AttributedOrders
from bff.console.results_rows import (
    CampaignInfo,
    PeriodData,
    campaign_info,
    csv_cell,
    periods,
    results_page,
    width_step,
)

AB = CampaignInfo("ab", "A/B", (("a", 50.0), ("b", 50.0)))


@pytest.mark.parametrize(
    ("text", "safe"),
    [
        ("=1+1", "'=1+1"),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@A1", "'@A1"),
        ("\tx", "'\tx"),
        ("ok", "ok"),
        ("", ""),
    ],
)
def test_csv_cells_that_start_a_formula_are_quoted(text: str, safe: str) -> None:
    assert csv_cell(text) == safe


@pytest.mark.parametrize(
    ("count", "top", "width"), [(0, 10, 0), (1, 1000, 5), (10, 10, 100), (5, 10, 50), (7, 10, 70), (3, 0, 0)]
)
def test_bar_widths_are_steps_of_five(count: int, top: int, width: int) -> None:
    assert width_step(count, top) == width


def test_periods_are_the_last_days_and_the_days_before() -> None:
    today = dt.date(2026, 3, 10)
    assert periods(today, 7) == ((dt.date(2026, 3, 4), today), (dt.date(2026, 2, 25), dt.date(2026, 3, 3)))


def test_a_campaign_without_variants_has_one_control() -> None:
    assert campaign_info({"id": "x"}) == CampaignInfo("x", "x", (("control", 1.0),))
    assert not campaign_info({"id": "x", "status": "archived"}).active


def test_orders_above_exposures_are_capped_and_the_page_is_not_empty() -> None:
    orders = [AttributedOrders("d", "last_touch", "ab", "b", "p", 3, {"EUR": 300})]
    current = PeriodData(
        [FunnelRow("d", "ab", "a", "p", views=4)], orders, 5, {("ab", "a"): 4, ("ab", "b"): 1}
    )
    page = results_page(current, PeriodData([], [], 0), [AB])
    (experiment,) = page.experiments
    assert experiment.result is not None
    assert [(v.exposures, v.conversions) for v in experiment.result.variants] == [(4, 0), (1, 1)]
    assert [f.variant for f in page.funnels] == ["a", "b"]
    assert [s.count for s in page.funnels[1].steps] == [0, 0, 0, 0, 3]
    assert not page.empty and page.glance.previous_rate is None


def test_no_data_is_empty() -> None:
    assert results_page(PeriodData([], [], 0), PeriodData([], [], 0), [AB]).empty


def test_an_archived_experiment_shows_only_with_exposures() -> None:
    archived = CampaignInfo("old", "Old", (("a", 1.0), ("b", 1.0)), active=False)
    empty = PeriodData([], [], 0)
    assert [e.campaign_id for e in results_page(empty, empty, [AB, archived]).experiments] == ["ab"]
    seen = PeriodData([], [], 1, {("old", "a"): 1})
    assert [e.campaign_id for e in results_page(seen, empty, [AB, archived]).experiments] == ["ab", "old"]
