"""The built-in catalogue per locale: complete languages, texts that render, Babel formats.

The locales, the languages issue 14 requires, the locale -> language table and the plural
cases are data: ``locale_cases.json``.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest

from bff.errors import DataError
from bff.personalization.catalogue import (
    CATALOGUE,
    COMPILED,
    COPY_DIR,
    REGIONS,
    REVIEW,
    builtin,
    compile_catalogue,
    copy_language,
    load_catalogue,
    load_regions,
)
from bff.personalization.copy import render_copy
from bff.personalization.money import format_apr, format_day, format_money

TAG = re.compile(r"</?([a-zA-Z][a-zA-Z0-9]*)[^>]*>")
CASES = json.loads((Path(__file__).parent / "locale_cases.json").read_text(encoding="utf-8"))
DOCS = Path(__file__).resolve().parents[2] / "docs" / "copy.md"


def _table(name: str) -> dict[str, Any]:
    return {k: v for k, v in CASES[name].items() if k != "_doc"}


# One locale per catalogue language, with its currency and a city to deliver to.
LOCALES: dict[str, tuple[str, str]] = {
    tag: (cur, place) for tag, (cur, place) in _table("copy_locales").items()
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
# Money, dates and percentages are pinned for these (the languages shipped before issue 14).
PINNED = list(MONEY)
TAGS = list(LOCALES)
# A market's own text (bff/data/copy/<language>-<REGION>.json) is tested apart, below.
TEMPLATES = [
    pytest.param(tag, name, id=f"{tag}-{name}")
    for tag in TAGS
    for name in CATALOGUE["en"]
    if name not in REGIONS.get(tag, {})
]
MONEY_CASES = [
    pytest.param(
        minor,
        LOCALES[tag][0],
        tag,
        expected,
        id=f"{tag}-{minor}",
    )
    for tag in PINNED
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
    assert set(MONEY) == set(DAYS) == set(APRS) <= set(LOCALES)


def test_the_catalogue_has_every_required_language() -> None:
    required = CASES["required_languages"]["languages"]
    assert len(set(required)) == len(required) >= 25
    assert set(required) <= set(CATALOGUE)


@pytest.mark.parametrize("language_code", sorted(CATALOGUE))
def test_every_language_file_has_exactly_the_english_texts(language_code: str) -> None:
    assert CATALOGUE[language_code].keys() == CATALOGUE["en"].keys()
    assert COMPILED[language_code].keys() == CATALOGUE["en"].keys()
    assert REVIEW[language_code] in ("shipped", "machine-drafted")


def test_every_machine_drafted_language_is_listed_in_the_docs() -> None:
    docs = DOCS.read_text(encoding="utf-8")
    drafted = sorted(code for code, review in REVIEW.items() if review == "machine-drafted")
    assert drafted
    assert [code for code in drafted if f"`{code}`" not in docs] == []


def _copy_dir(tmp_path: Path) -> Path:
    for name in ("en.json", "de.json"):
        shutil.copy(COPY_DIR / name, tmp_path / name)
    return tmp_path


def _edit(path: Path, change: Any) -> None:
    doc = json.loads(path.read_text(encoding="utf-8"))
    change(doc)
    path.write_text(json.dumps(doc), encoding="utf-8")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d["texts"].pop("cta"), "missing ['cta']"),
        (lambda d: d["texts"].update({"cta.extra": "x"}), "unknown ['cta.extra']"),
        (lambda d: d.update({"review": "native"}), "review must be one of"),
        (lambda d: d.update({"language": "fr"}), "language must be 'de'"),
        (lambda d: d["texts"].update({"cta": 3}), "texts must map names to strings"),
    ],
)
def test_a_malformed_language_file_is_refused(tmp_path: Path, change: Any, message: str) -> None:
    directory = _copy_dir(tmp_path)
    _edit(directory / "de.json", change)
    with pytest.raises(DataError, match=re.escape(message)):
        load_catalogue(directory)


def test_a_text_that_does_not_compile_is_refused(tmp_path: Path) -> None:
    directory = _copy_dir(tmp_path)
    _edit(directory / "de.json", lambda d: d["texts"].update({"cta": "Mehr {foo}"}))
    catalogue, _ = load_catalogue(directory)
    with pytest.raises(DataError, match=r"built-in copy de\.cta: unknown placeholder \{foo\}"):
        compile_catalogue(catalogue)


@pytest.mark.parametrize(("tag", "expected"), sorted(_table("copy_language").items()))
def test_locale_variants_read_their_language(tag: str, expected: str) -> None:
    assert copy_language(tag) == expected
    assert builtin(tag, "cta") is COMPILED[expected]["cta"]


PLURALS = [
    pytest.param(tag, name, int(count), text, id=f"{tag}-{name}-{count}")
    for tag, name, counts in CASES["plurals"]["cases"]
    for count, text in counts.items()
]


@pytest.mark.parametrize(("tag", "name", "count", "expected"), PLURALS)
def test_counts_take_the_locale_plural_form(tag: str, name: str, count: int, expected: str) -> None:
    variables = {"installments": count, "days": count, "months": count}
    assert render_copy(builtin(tag, name), variables, tag) == expected


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


@pytest.mark.parametrize("tag", PINNED)
def test_format_day_in_the_locale_medium_format(tag: str) -> None:
    assert (format_day(dt.date(2026, 11, 25), tag), format_day(dt.date(2027, 3, 5), tag)) == DAYS[tag]


@pytest.mark.parametrize("tag", PINNED)
def test_format_apr_in_the_locale_pattern(tag: str) -> None:
    assert (format_apr(19.9, tag), format_apr(0, tag)) == APRS[tag]


@pytest.mark.parametrize("tag", TAGS)
def test_builtin_returns_the_locale_language(tag: str) -> None:
    for name, text in CATALOGUE[language(tag)].items():
        assert builtin(tag, name).source == REGIONS.get(tag, {}).get(name, text)
    if language(tag) != "en":
        assert builtin(tag, "cta").source != CATALOGUE["en"]["cta"]


@pytest.mark.parametrize("tag", ["xx-QQ", "zh-CN", "ar-EG", "en-NZ"])
def test_builtin_falls_back_to_english_for_unknown_languages(tag: str) -> None:
    for name, text in CATALOGUE["en"].items():
        assert builtin(tag, name).source == text


REGIONAL = _table("regional_copy")


@pytest.mark.parametrize("region", sorted(REGIONAL))
def test_a_market_reads_its_own_texts_first(region: str) -> None:
    """pt-BR, es-MX, fr-CA, en-GB and en-US have texts of their own; the rest is the language's."""
    assert region in REGIONS
    for name, text in CATALOGUE[language(region)].items():
        assert builtin(region, name).source == REGIONS[region].get(name, text)
    assert builtin(f"{language(region)}-ZZ", "legal").source == CATALOGUE[language(region)]["legal"]


@pytest.mark.parametrize(
    ("region", "lead", "expected"),
    [(r, lead, text) for r, case in REGIONAL.items() for lead, text in case.items() if lead != "currency"],
)
def test_regional_legal_lines_render_for_each_kind_of_offer(region: str, lead: str, expected: str) -> None:
    """The representative example where a market needs one (financing in the UK), the short
    line for interest-free offers; every value formatted for the locale."""
    currency = REGIONAL[region]["currency"]
    months = 12 if lead == "financing" else 0
    variables = {**sample_variables_for(region, currency), "months": months}
    assert plain(render_copy(builtin(region, "legal"), variables, region)) == expected


def sample_variables_for(tag: str, currency: str) -> dict[str, Any]:
    return {
        "installments": 4,
        "installment": format_money(2475, currency, tag),
        "total": format_money(120000, currency, tag),
        "days": 30,
        "months": 12,
        "monthly": format_money(11034, currency, tag),
        "apr": format_apr(19.9, tag),
        "repaid": format_money(132408, currency, tag),
        "first_name": "",
        "place": "",
    }


def plain(html: str | None) -> str:
    assert html is not None
    return TAG.sub("", html)


@pytest.mark.parametrize(
    ("stem", "texts", "message"),
    [
        ("xx-GB", {"cta": "x"}, "needs xx.json"),
        ("en-gb", {"cta": "x"}, "a region like GB"),
        ("en-IE", {"nope": "x"}, "unknown: ['nope']"),
        ("en-IE", {}, "some of en.json's texts"),
    ],
)
def test_a_malformed_regional_file_is_refused(
    tmp_path: Path, stem: str, texts: dict[str, str], message: str
) -> None:
    shutil.copy(COPY_DIR / "en.json", tmp_path / "en.json")
    doc = {"language": stem, "review": "machine-drafted", "texts": texts}
    (tmp_path / f"{stem}.json").write_text(json.dumps(doc), encoding="utf-8")
    catalogue, _ = load_catalogue(tmp_path)
    with pytest.raises(DataError, match=re.escape(message)):
        load_regions(tmp_path, catalogue)
