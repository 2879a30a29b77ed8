"""Amounts as a person types them (major units) <-> the minor units campaigns store. Pure.

``minor_units("30,5", "GBP") -> (3050, None)``: digits with one optional decimal point or
comma (locale-neutral; spaces, ``_`` and ``'`` as thousands separators are dropped), at
most as many decimals as the currency has (Babel's CLDR data: GBP 2, JPY 0). A bad text is
``(None, message)``; an empty one ``(None, None)``. ``major_units(3050, "GBP") -> "30.50"``
(a whole amount without decimals: ``"30"``). An unknown currency code counts 2 decimals.
"""

from __future__ import annotations

import re
from typing import Any

from babel.numbers import get_currency_precision

from bff.patterns import CURRENCY

_MONEY = re.compile(r"^(\d{1,13})(?:[.,](\d+))?\Z")
_SEPARATORS = re.compile(r"[\s\u00a0\u202f_']+")


def minor_units(text: str, currency: str) -> tuple[int | None, str | None]:
    """The amount ``text`` in minor units of ``currency``, or the problem with it (see module)."""
    cleaned = _SEPARATORS.sub("", text)
    if not cleaned:
        return None, None
    precision = currency_decimals(currency)
    match = _MONEY.match(cleaned)
    if match is None:
        return None, "must be a number like 30 or 30.00" if precision else "must be a whole number like 3000"
    fraction = match[2] or ""
    if len(fraction) > precision:
        if precision:
            return None, f"{currency} has {precision} decimals: write at most {precision} after the point"
        return None, f"{currency} has no decimals: write a whole number like 3000"
    scale: int = 10**precision
    return int(match[1]) * scale + int(fraction.ljust(precision, "0") or "0"), None


def major_units(minor: Any, currency: str) -> str:
    """``minor`` (an int) as typed in the form; anything else as its text, empty for None."""
    if not isinstance(minor, int) or isinstance(minor, bool):
        return "" if minor is None else str(minor)
    precision = currency_decimals(currency)
    whole, fraction = divmod(minor, 10**precision)
    return str(whole) if fraction == 0 else f"{whole}.{fraction:0{precision}d}"


def currency_decimals(currency: str) -> int:
    """The decimals of ``currency`` (2 for a code that is not ISO 4217-shaped)."""
    return int(get_currency_precision(currency)) if CURRENCY.match(currency) else 2
