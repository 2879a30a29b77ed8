"""Money: exact installment splits and Babel formatting per locale."""

from __future__ import annotations

import pytest

from bff.personalization.money import format_money, parse_locale, split_installments


@pytest.mark.parametrize(
    ("total", "count", "expected"),
    [(9900, 4, [2475] * 4), (9999, 4, [2502, 2499, 2499, 2499]), (1, 4, [1, 0, 0, 0]), (0, 3, [0, 0, 0])],
)
def test_split_installments_adds_up(total: int, count: int, expected: list[int]) -> None:
    assert split_installments(total, count) == expected
    assert sum(split_installments(total, count)) == total


def test_split_installments_rejects_zero_count() -> None:
    with pytest.raises(ValueError, match="count"):
        split_installments(100, 0)


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
