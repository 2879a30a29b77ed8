"""The dashboard's pure parts: the scope, the merchant's days and trends, the SVG geometry."""

from __future__ import annotations

import pytest

from bff.attribution.funnel import FunnelRow
from bff.attribution.store import AttributedOrders
from bff.experiments.proportions import Estimate, conversion_rate
from bff.monitoring.dashboard.axis import nice_ceiling
from bff.monitoring.dashboard.merchant_days import average_order_value, day_figures, relative_change, trends
from bff.monitoring.dashboard.scope import Scope, scope_of
from bff.monitoring.dashboard.svg_charts import band_chart, funnel_chart

DAYS = [f"2025-03-{d:02d}" for d in range(1, 11)]


def test_scopes_by_role() -> None:
    assert scope_of("admin", None) == scope_of("analyst", None) == Scope(None)
    own = scope_of("merchant_admin", "acme")
    assert own.root == "merchant=acme" and not own.cross_merchant
    assert own.allows_combo("merchant=acme|browser=Firefox") and own.allows_merchant("acme")
    for combo in ("*", "country=SE", "merchant=acme2", "merchant=zeta|browser=acme", "browser=Firefox"):
        assert not own.allows_combo(combo), combo
    assert not own.allows_merchant("zeta")
    nobody = [scope_of("auditor", None), scope_of("merchant_admin", None), scope_of("merchant_admin", "")]
    for scope in nobody:
        assert not scope.allows_combo("*") and not scope.allows_merchant("acme")
        assert not scope.allows_combo("merchant=acme")


def test_a_scope_keeps_only_its_alerts_in_order() -> None:
    roots = ["merchant=acme", "country=SE", "merchant=zeta", "merchant=acme|device=mobile"]
    alerts = [{"id": str(i), "root": root} for i, root in enumerate(roots, 1)]
    assert [a["id"] for a in Scope("acme").alerts(alerts)] == ["1", "4"]
    assert [a["id"] for a in Scope(None).alerts(alerts)] == ["1", "2", "3", "4"]


def figures():  # type: ignore[no-untyped-def]
    funnel = [
        FunnelRow(DAYS[-1], "c", "a", "badge", views=10, impressions=8, clicks=3, opens=2),
        FunnelRow(DAYS[-1], "c", "b", "strip", views=5, impressions=4, clicks=1, opens=0),
        FunnelRow(DAYS[-2], "c", "a", "badge", views=4, impressions=4, clicks=2, opens=1),
        FunnelRow("2025-02-28", "c", "a", "badge", views=99),  # outside the days: ignored
    ]
    orders = [
        AttributedOrders(DAYS[-1], "last_touch", "c", "a", "badge", 2, {"EUR": 3000}),
        AttributedOrders(DAYS[-1], "any_touch", "c", "a", "badge", 5, {"EUR": 9000}),
        AttributedOrders(DAYS[-1], "all", None, None, None, 7, {"EUR": 9900}),
        AttributedOrders(DAYS[-3], "last_touch", "c", "b", "strip", 1, {"EUR": 1000}),
    ]
    exposed = {DAYS[-1]: 10, DAYS[-2]: 4, DAYS[-3]: 0}
    return day_figures(DAYS, funnel, orders, exposed)


def test_day_figures_sum_every_variant_and_count_last_touch_orders() -> None:
    days = figures()
    assert [d.day for d in days] == DAYS
    last = days[-1]
    assert (last.views, last.impressions, last.clicks, last.opens, last.orders) == (15, 12, 4, 2, 2)
    assert dict(last.value) == {"EUR": 3000} and last.exposed_visits == 10
    assert last.conversion == conversion_rate(2, 10)
    assert days[-3].orders == 1 and days[-3].conversion is None  # no exposed visits: no rate
    assert days[0].views == 0 and dict(days[0].value) == {}


def test_trends_compare_today_with_yesterday_and_the_same_day_last_week() -> None:
    rows = {t.name: t for t in trends(figures())}
    assert (rows["impressions"].today, rows["impressions"].yesterday) == (12, 4)
    assert rows["impressions"].against_yesterday == pytest.approx(2.0)
    assert rows["impressions"].last_week == 0 and rows["impressions"].against_last_week is None
    assert rows["conversion"].today == pytest.approx(0.2) and rows["conversion"].yesterday == 0.0
    assert rows["conversion"].against_yesterday is None and rows["conversion"].last_week is None
    assert trends([]) == []
    assert trends(figures()[-1:])[0].yesterday is None


def test_relative_change_and_average_order_value() -> None:
    assert relative_change(15, 10) == pytest.approx(0.5)
    assert relative_change(5, 0) is None and relative_change(None, 3) is None
    assert average_order_value(4, {"EUR": 10000}) == ("EUR", 2500)
    assert average_order_value(0, {}) is None
    assert average_order_value(2, {"EUR": 100, "USD": 100}) is None  # orders per currency unknown


def test_funnel_bars_are_proportional_and_never_hide_a_small_count() -> None:
    chart = funnel_chart([("Viewable", 1000), ("Clicks", 1), ("Orders", 0)])
    widths = [b.width for b in chart.bars]
    assert widths[0] == max(widths) and widths[1] == 2.0 and widths[2] == 0
    assert [b.rate for b in chart.bars] == [None, 0.001, 0.0]
    assert [b.y for b in chart.bars] == sorted(b.y for b in chart.bars)
    assert all(b.width == 0 for b in funnel_chart([("Views", 0), ("Clicks", 0)]).bars)


def test_the_band_chart_splits_at_days_without_an_estimate() -> None:
    estimates = [Estimate(0.1, 0.05, 0.2), Estimate(0.12, 0.06, 0.18), None, Estimate(0.1, 0.0, 0.3)]
    chart = band_chart(["a", "b", "c", "d"], estimates)
    assert len(chart.lines) == 2 and len(chart.bands) == 2 and len(chart.points) == 3
    left, top, _, bottom = chart.plot
    assert chart.y_ticks[-1] == (top, 0.5)  # the ceiling above the highest bound (0.3)
    assert chart.y_ticks[0] == (bottom, 0.0)
    first = chart.points[0]
    assert first.x == left and first.y == pytest.approx(bottom - (bottom - top) * 0.1 / 0.5, abs=0.1)
    assert chart.bands[0].count(",") == 4  # two days up, two days back down
    assert band_chart([], []).empty
    with pytest.raises(ValueError):
        band_chart(["a"], [])


@pytest.mark.parametrize(
    ("value", "ceiling"), [(0.0, 1.0), (0.3, 0.5), (1.0, 1.0), (7, 10), (180, 200), (0.021, 0.025)]
)
def test_nice_ceiling(value: float, ceiling: float) -> None:
    assert nice_ceiling(value) == pytest.approx(ceiling)
