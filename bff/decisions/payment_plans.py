"""Payment schedules of the options a campaign promotes (pure money arithmetic in minor units).

``schedule(option, amount, today)`` returns the dated payments, which always add up to
the amount plus interest, exactly, in minor units.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from bff.decisions.campaign import PaymentOption

PAY_IN_N_INTERVAL_DAYS = 14


@dataclass(frozen=True)
class Payment:
    due: dt.date
    amount: int


def split_evenly(total: int, count: int) -> list[int]:
    """Split ``total`` into ``count`` payments that add up exactly; the first takes the remainder.

    ``split_evenly(9999, 4) == [2502, 2499, 2499, 2499]``
    """
    if count < 1:
        raise ValueError("count must be at least 1")
    base, remainder = divmod(total, count)
    return [base + remainder] + [base] * (count - 1)


def monthly_payment(principal: int, apr: float, months: int) -> int:
    """The annuity payment for ``principal`` at nominal ``apr`` percent over ``months``, rounded half up."""
    if apr == 0:
        return -(-principal // months)
    rate = Decimal(str(apr)) / Decimal(1200)
    factor = (1 + rate) ** months
    payment = Decimal(principal) * rate * factor / (factor - 1)
    return int(payment.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` plus ``months`` calendar months, clamped to the last day of the month."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def schedule(option: PaymentOption, amount: int, today: dt.date) -> list[Payment]:
    """The dated payments of ``option`` for a purchase of ``amount`` made ``today``."""
    if option.type == "pay_in_n":
        parts = split_evenly(amount, option.installments)
        return [
            Payment(today + dt.timedelta(days=PAY_IN_N_INTERVAL_DAYS * i), part)
            for i, part in enumerate(parts)
        ]
    if option.type == "pay_later":
        return [Payment(today + dt.timedelta(days=option.days), amount)]
    payment = monthly_payment(amount, option.apr, option.months)
    total = _financed_total(amount, option.apr, option.months, payment)
    last = total - payment * (option.months - 1)
    amounts = [payment] * (option.months - 1) + [last]
    return [Payment(add_months(today, i + 1), part) for i, part in enumerate(amounts)]


def _financed_total(principal: int, apr: float, months: int, payment: int) -> int:
    """Total repaid: the last payment settles the balance left after the rounded payments."""
    if apr == 0:
        return principal
    rate = Decimal(str(apr)) / Decimal(1200)
    balance = Decimal(principal)
    for _ in range(months - 1):
        balance = balance * (1 + rate) - payment
    last = (balance * (1 + rate)).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    return payment * (months - 1) + int(last)
