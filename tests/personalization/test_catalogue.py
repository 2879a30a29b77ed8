"""The built-in catalogue per locale: complete languages, texts that render, Babel formats."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest

from bff.personalization.catalogue import CATALOGUE, COMPILED, builtin
from bff.personalization.copy import render_copy
from bff.personalization.money import format_apr, format_day, format_money

TAG = re.compile(r"</?([a-zA-Z][a-zA-Z0-9]*)[^>]*>")


# Each market with its own currency and a city to deliver to.
LOCALES = {
    "en-US": ("USD", "Chicago"),
    "en-GB": ("GBP", "London"),
    "de-DE": ("EUR", "Berlin"),
    "sv-SE": ("SEK", "Malmö"),
    "fr-FR": ("EUR", "Paris"),
    "nl-NL": ("EUR", "Utrecht"),
    "es-ES": ("EUR", "Sevilla"),
    "it-IT": ("EUR", "Milano"),
    "fi-FI": ("EUR", "Tampere"),
    "nb-NO": ("NOK", "Bergen"),
    "da-DK": ("DKK", "Aarhus"),
    "pl-PL": ("PLN", "Kraków"),
    "en-AU": ("AUD", "Sydney"),
}

# Expected strings follow CLDR as shipped with Babel 2.18: \xa0 is a no-break space,
# \u202f a narrow no-break space (French digit grouping).
MONEY = {  # locale: 2475, 123456 and 1234567 minor units
    "en-US": ("$24.75", "$1,234.56", "$12,345.67"),
    "en-GB": ("£24.75", "£1,234.56", "£12,345.67"),
    "de-DE": ("24,75\xa0€", "1.234,56\xa0€", "12.345,67\xa0€"),
    "sv-SE": ("24,75\xa0kr", "1\xa0234,56\xa0kr", "12\xa0345,67\xa0kr"),
    "fr-FR": ("24,75\xa0€", "1\u202f234,56\xa0€", "12\u202f345,67\xa0€"),
    "nl-NL": ("€\xa024,75", "€\xa01.234,56", "€\xa012.345,67"),
    # CLDR's minimumGroupingDigits (2 for es and pl) would leave 4-digit amounts ungrouped;
    # Babel 2.18 does not apply it, so shoppers see the grouped form pinned here.
    "es-ES": ("24,75\xa0€", "1.234,56\xa0€", "12.345,67\xa0€"),
    "it-IT": ("24,75\xa0€", "1.234,56\xa0€", "12.345,67\xa0€"),
    "fi-FI": ("24,75\xa0€", "1\xa0234,56\xa0€", "12\xa0345,67\xa0€"),
    "nb-NO": ("24,75\xa0kr", "1\xa0234,56\xa0kr", "12\xa0345,67\xa0kr"),
    "da-DK": ("24,75\xa0kr.", "1.234,56\xa0kr.", "12.345,67\xa0kr."),
    "pl-PL": ("24,75\xa0zł", "1\xa0234,56\xa0zł", "12\xa0345,67\xa0zł"),
    "en-AU": ("$24.75", "$1,234.56", "$12,345.67"),
}
DAYS = {  # locale: 2026-11-25 and 2027-03-05 in the medium format
    "en-US": ("Nov 25, 2026", "Mar 5, 2027"),
    "en-GB": ("25 Nov 2026", "5 Mar 2027"),
    "de-DE": ("25.11.2026", "05.03.2027"),
    "sv-SE": ("25 nov. 2026", "5 mars 2027"),
    "fr-FR": ("25 nov. 2026", "5 mars 2027"),
    "nl-NL": ("25 nov 2026", "5 mrt 2027"),
    "es-ES": ("25 nov 2026", "5 mar 2027"),
    "it-IT": ("25 nov 2026", "5 mar 2027"),
    "fi-FI": ("25.11.2026", "5.3.2027"),
    "nb-NO": ("25. nov. 2026", "5. mars 2027"),
    "da-DK": ("25. nov. 2026", "5. mar. 2027"),
    "pl-PL": ("25 lis 2026", "5 mar 2027"),
    "en-AU": ("25 Nov 2026", "5 Mar 2027"),
}
APRS = {  # locale: 19.9 and 0
    "en-US": ("19.9%", "0%"),
    "en-GB": ("19.9%", "0%"),
    "de-DE": ("19,9\xa0%", "0\xa0%"),
    "sv-SE": ("19,9\xa0%", "0\xa0%"),
    "fr-FR": ("19,9\xa0%", "0\xa0%"),
    "nl-NL": ("19,9%", "0%"),
    "es-ES": ("19,9\xa0%", "0\xa0%"),
    "it-IT": ("19,9%", "0%"),
    "fi-FI": ("19,9\xa0%", "0\xa0%"),
    "nb-NO": ("19,9\xa0%", "0\xa0%"),
    "da-DK": ("19,9\xa0%", "0\xa0%"),
    "pl-PL": ("19,9%", "0%"),
    "en-AU": ("19.9%", "0%"),
}
TAGS = list(LOCALES)
TEMPLATES = [pytest.param(tag, name, id=f"{tag}-{name}") for tag in TAGS for name in CATALOGUE["en"]]
MONEY_CASES = [
    pytest.param(
        minor,
        LOCALES[tag][0],
        tag,
        expected,
        id=f"{tag}-{minor}",
    )
    for tag in TAGS
    for minor, expected in zip((2475, 123456, 1234567), MONEY[tag], strict=True)
]
def language(tag: str) -> str:
    return tag.split("-", 1)[0]


def variables_of(tag: str, name: str) -> frozenset[str]:
    return COMPILED[language(tag)][name].placeholders


def sample_variables(tag: str) -> dict[str, Any]:
    """What ``view_model.option_variables`` passes, formatted for ``tag`` (distinct amounts)."""
    currency, place = LOCALES[tag]
    return {
        "installments": 4,
        "installment": format_money(2475, currency, tag),
        "total": format_money(123456, currency, tag),
        "days": 30,
        "months": 12,
        "monthly": format_money(10931, currency, tag),
        "apr": format_apr(19.9, tag),
        "label": "Label",
        "first_name": "Zoë",
        "place": place,
    }


def test_every_language_of_the_table_has_a_catalogue() -> None:
    assert {language(tag) for tag in TAGS} == set(CATALOGUE)
    assert set(MONEY) == set(DAYS) == set(APRS) == set(LOCALES)


@pytest.mark.parametrize("tag", TAGS)
def test_language_has_exactly_the_english_keys(tag: str) -> None:
    assert language(tag) in CATALOGUE
    assert CATALOGUE[language(tag)].keys() == CATALOGUE["en"].keys()


@pytest.mark.parametrize(("tag", "name"), TEMPLATES)
def test_template_renders_with_the_english_variables_and_markup(tag: str, name: str) -> None:
    english = CATALOGUE["en"][name]
    template = CATALOGUE[language(tag)][name]
    assert template and template.strip() == template
    assert variables_of(tag, name) == variables_of("en", name)
    assert TAG.findall(template) == TAG.findall(english)  # the same <strong>s, nothing else
    variables = sample_variables(tag)
    html = render_copy(builtin(tag, name), variables, tag)
    assert html is not None
    assert ".." not in html  # a sentence may not end on an amount that ends in a dot (da "kr.")
    for variable in variables_of("en", name):  # the money values above all
        assert str(variables[variable]) in html, variable


@pytest.mark.parametrize(("minor", "currency", "tag", "expected"), MONEY_CASES)
def test_format_money_in_the_locale_currency(minor: int, currency: str, tag: str, expected: str) -> None:
    assert format_money(minor, currency, tag) == expected


@pytest.mark.parametrize("tag", TAGS)
def test_format_day_in_the_locale_medium_format(tag: str) -> None:
    assert (format_day(dt.date(2026, 11, 25), tag), format_day(dt.date(2027, 3, 5), tag)) == DAYS[tag]


@pytest.mark.parametrize("tag", TAGS)
def test_format_apr_in_the_locale_pattern(tag: str) -> None:
    assert (format_apr(19.9, tag), format_apr(0, tag)) == APRS[tag]


@pytest.mark.parametrize("tag", TAGS)
def test_builtin_returns_the_locale_language(tag: str) -> None:
    for name, text in CATALOGUE[language(tag)].items():
        assert builtin(tag, name).source == text
    if language(tag) != "en":
        assert builtin(tag, "cta").source != CATALOGUE["en"]["cta"]


@pytest.mark.parametrize("tag", ["pt-BR", "ja-JP", "xx-QQ", "en-NZ"])
def test_builtin_falls_back_to_english_for_unknown_languages(tag: str) -> None:
    for name, text in CATALOGUE["en"].items():
        assert builtin(tag, name).source == text
