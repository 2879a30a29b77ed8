"""Payment schedules: exact sums, dates, and annuity payments."""

from __future__ import annotations

import datetime as dt

import pytest

from bff.decisions.campaign import PaymentOption
from bff.decisions.payment_plans import add_months, monthly_payment, schedule, split_evenly

TODAY = dt.date(2026, 1, 31)


@pytest.mark.parametrize(
    ("total", "count", "expected"),
    [(9900, 4, [2475] * 4), (9999, 4, [2502, 2499, 2499, 2499]), (1, 4, [1, 0, 0, 0]), (0, 3, [0, 0, 0])],
)
def test_split_evenly(total: int, count: int, expected: list[int]) -> None:
    assert split_evenly(total, count) == expected


def test_split_evenly_rejects_zero() -> None:
    with pytest.raises(ValueError, match="count"):
        split_evenly(100, 0)


def test_pay_in_4_every_two_weeks_starting_today() -> None:
    option = PaymentOption("p4", "pay_in_n", 0, 10**9, installments=4)
    payments = schedule(option, 9999, TODAY)
    assert [p.due for p in payments] == [TODAY + dt.timedelta(days=14 * i) for i in range(4)]
    assert sum(p.amount for p in payments) == 9999


def test_pay_later_is_one_payment() -> None:
    payments = schedule(PaymentOption("p30", "pay_later", 0, 10**9, days=30), 9900, TODAY)
    assert [(p.due, p.amount) for p in payments] == [(dt.date(2026, 3, 2), 9900)]


def test_add_months_clamps_to_month_end() -> None:
    assert add_months(TODAY, 1) == dt.date(2026, 2, 28)
    assert add_months(TODAY, 13) == dt.date(2027, 2, 28)
    assert add_months(dt.date(2027, 12, 15), 1) == dt.date(2028, 1, 15)


@pytest.mark.parametrize(
    ("principal", "apr", "months", "payment"),
    [(99900, 19.9, 12, 9249), (100000, 0, 12, 8334), (120000, 12.0, 24, 5649)],
)
def test_monthly_payment_matches_the_annuity_formula(
    principal: int, apr: float, months: int, payment: int
) -> None:
    assert monthly_payment(principal, apr, months) == payment


def test_financing_schedule_repays_principal_plus_interest() -> None:
    option = PaymentOption("f12", "financing", 0, 10**9, months=12, apr=19.9)
    payments = schedule(option, 99900, TODAY)
    assert len(payments) == 12
    assert payments[0].due == dt.date(2026, 2, 28)
    total = sum(p.amount for p in payments)
    assert 99900 < total < 99900 * 1.12
    # Rounding each payment to a minor unit leaves at most one unit a month for the last one.
    assert all(p.amount == 9249 for p in payments[:-1])
    assert abs(payments[-1].amount - 9249) <= 12


def test_interest_free_financing_repays_exactly() -> None:
    option = PaymentOption("f12", "financing", 0, 10**9, months=12, apr=0)
    assert sum(p.amount for p in schedule(option, 100000, TODAY)) == 100000
