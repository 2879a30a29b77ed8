"""Money, percentages and dates formatted by Babel per locale."""

from __future__ import annotations

import datetime as dt

import pytest

from bff.personalization.money import format_apr, format_day, format_money, parse_locale


@pytest.mark.parametrize(
    ("minor", "currency", "locale", "expected"),
    [
        (2475, "GBP", "en-GB", "£24.75"),
        (2475, "EUR", "de-DE", "24,75\xa0€"),
        (32475, "SEK", "sv-SE", "324,75\xa0kr"),
        (2475, "USD", "en-US", "$24.75"),
        (2475, "EUR", "fr-FR", "24,75\xa0€"),
        (2475, "JPY", "en-US", "¥2,475"),
    ],
)
def test_format_money(minor: int, currency: str, locale: str, expected: str) -> None:
    assert format_money(minor, currency, locale) == expected


def test_parse_locale_rejects_unknown_tags() -> None:
    assert parse_locale("xx-QQ") is None
    assert parse_locale("en-GB") is not None


@pytest.mark.parametrize(
    ("apr", "locale", "expected"),
    [(19.9, "en-GB", "19.9%"), (19.9, "sv-SE", "19,9\xa0%"), (0, "de-DE", "0\xa0%")],
)
def test_format_apr(apr: float, locale: str, expected: str) -> None:
    assert format_apr(apr, locale) == expected


def test_format_day() -> None:
    assert format_day(dt.date(2026, 11, 25), "en-GB") == "25 Nov 2026"
    assert format_day(dt.date(2026, 11, 25), "de-DE") == "25.11.2026"
