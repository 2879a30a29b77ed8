"""Locale-aware formatting of money in minor units, percentages and dates (Babel).

The formatters are pure and memoized: shoppers see the same few prices over and over,
and Babel's pattern application is the most expensive step of a render.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from functools import lru_cache

from babel import Locale, UnknownLocaleError
from babel.dates import format_date
from babel.numbers import format_currency, format_percent, get_currency_precision, is_currency


@lru_cache(maxsize=256)
def parse_locale(tag: str) -> Locale | None:
    """``'en-GB'`` -> Babel ``Locale``; None when Babel does not know the tag."""
    try:
        return Locale.parse(tag, sep="-")
    except (UnknownLocaleError, ValueError, TypeError):
        return None


def is_known_currency(code: str) -> bool:
    """True for ISO 4217 codes that Babel knows (``'EUR'``, ``'SEK'``)."""
    return is_currency(code)


@lru_cache(maxsize=8192)
def format_money(minor: int, currency: str, locale: str) -> str:
    """Format ``minor`` units of ``currency`` for ``locale``.

    ``format_money(2475, 'GBP', 'en-GB') == '£24.75'``; unknown locales fall back to ``en``.
    """
    digits = get_currency_precision(currency)
    amount = Decimal(minor).scaleb(-digits)
    babel_locale = parse_locale(locale)
    return format_currency(amount, currency, locale=babel_locale or "en")


@lru_cache(maxsize=1024)
def format_apr(apr: float, locale: str) -> str:
    """``format_apr(19.9, 'sv-SE') == '19,9\xa0%'``: the locale's pattern, every decimal kept."""
    return format_percent(
        Decimal(str(apr)) / 100, locale=parse_locale(locale) or "en", decimal_quantization=False
    )


@lru_cache(maxsize=4096)
def format_day(day: dt.date, locale: str) -> str:
    """A due date in the locale's medium format: ``'25 Nov 2026'`` for en-GB."""
    return format_date(day, format="medium", locale=parse_locale(locale) or "en")
