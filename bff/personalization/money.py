"""Money in minor units: splitting into installments and locale-aware formatting (Babel)."""

from __future__ import annotations

from decimal import Decimal
from functools import lru_cache

from babel import Locale, UnknownLocaleError
from babel.numbers import format_currency, get_currency_precision, is_currency


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


def split_installments(total: int, count: int) -> list[int]:
    """Split ``total`` minor units into ``count`` payments that add up exactly.

    The remainder goes to the first payment, so the later payments are all equal:
    ``split_installments(9999, 4) == [2502, 2499, 2499, 2499]``.
    """
    if count < 1:
        raise ValueError("count must be at least 1")
    base, remainder = divmod(total, count)
    return [base + remainder] + [base] * (count - 1)


def format_money(minor: int, currency: str, locale: str) -> str:
    """Format ``minor`` units of ``currency`` for ``locale``.

    ``format_money(2475, 'GBP', 'en-GB') == '£24.75'``; unknown locales fall back to ``en``.
    """
    digits = get_currency_precision(currency)
    amount = Decimal(minor).scaleb(-digits)
    babel_locale = parse_locale(locale)
    return format_currency(amount, currency, locale=babel_locale or "en")
