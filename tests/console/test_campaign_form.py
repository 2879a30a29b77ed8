"""The campaign form's contract (bff/console/campaign_form.py): no server, no Redis.

The cases are data (campaign_form_cases.json): each form, the document it gives, the
form's own problems, and the fields that show parse_campaign's problems. Round trips run
over every demo campaign; a fuzz run checks that no input makes the parser raise.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from werkzeug.datastructures import MultiDict

from bff.console.campaign_choices import copy_languages, form_choices, new_form
from bff.console.campaign_form import (
    CHECKBOXES,
    GROUPS,
    SCALARS,
    campaign_from_form,
    form_from_campaign,
    form_values,
    row_count,
)
from bff.console.campaign_problem_fields import form_field_of
from bff.decisions.campaign import CampaignInvalid, parse_campaign

DATA = json.loads((Path(__file__).parent / "campaign_form_cases.json").read_text(encoding="utf-8"))
ROOT = Path(__file__).parents[2]
DEMO_CAMPAIGNS = json.loads((ROOT / "bff/data/demo_campaigns.json").read_text(encoding="utf-8"))
MERCHANT = json.loads((ROOT / "bff/data/demo_merchant.json").read_text(encoding="utf-8"))


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "case" in metafunc.fixturenames:
        metafunc.parametrize("case", DATA["forms"], ids=[c["name"] for c in DATA["forms"]])
    if "demo" in metafunc.fixturenames:
        metafunc.parametrize("demo", DEMO_CAMPAIGNS, ids=[c["id"] for c in DEMO_CAMPAIGNS])
    if "path" in metafunc.fixturenames:
        metafunc.parametrize(("path", "field"), list(DATA["paths"].items()))


def form_of(case: dict[str, Any]) -> MultiDict[str, str]:
    """The case's form as a browser posts it: ``base`` with the case's fields laid over it."""
    fields = {**DATA["base"], **case["form"]}
    form: MultiDict[str, str] = MultiDict()
    for name, value in fields.items():
        for item in value if isinstance(value, list) else [] if value is None else [value]:
            form.add(name, item)
    return form


def model_problem_paths(doc: dict[str, Any]) -> list[str]:
    try:
        parse_campaign(doc)
    except CampaignInvalid as exc:
        return [p["path"] for p in exc.problems]
    return []


def rendered_fields(values: dict[str, Any]) -> set[str]:
    """The names the editor template renders for ``values`` (plus the group anchors)."""
    choices = form_choices(values, MERCHANT)
    names = {*SCALARS, *CHECKBOXES, *GROUPS}
    names |= {k for k in values if k.startswith(("options-", "variants-")) and "-copy-" not in k}
    for language in choices["languages"]:
        names |= {f"copy-{language}-{name}" for name in choices["copy_names"]}
        names |= {
            f"variants-{i}-copy-{language}-{name}"
            for i in range(row_count(values, "variants"))
            for name in choices["variant_copy_names"]
        }
    return names


def test_form_case(case: dict[str, Any]) -> None:
    doc, problems = campaign_from_form(form_of(case), MERCHANT)
    for name, expected in case.get("doc", {}).items():
        assert doc.get(name) == expected, name
    if "form_problems" in case:
        assert problems == case["form_problems"]
    values = form_values(form_of(case), MERCHANT)
    fields = {form_field_of(path) for path in model_problem_paths(doc)}
    assert sorted(fields) == sorted(case["fields"])
    assert fields <= rendered_fields(values), "a problem would have no field to show it"
    assert set(problems) <= rendered_fields(values)


def test_problem_path_to_field(path: str, field: str) -> None:
    assert form_field_of(path) == field


def test_demo_campaign_round_trip(demo: dict[str, Any]) -> None:
    """Every demo campaign survives the form: its document comes back equal.

    The one normalisation: a missing ``status`` comes back as its default, ``active``.
    """
    values = form_from_campaign(demo, MERCHANT)
    doc, problems = campaign_from_form(values, MERCHANT)
    assert problems == {}
    assert doc == {"status": "active", **demo}
    assert form_from_campaign(doc, MERCHANT) == values
    parse_campaign(doc)


def test_values_round_trip() -> None:
    """Normalised values -> document -> the same values."""
    values = form_values(form_of({"form": {}}), MERCHANT)
    doc, _ = campaign_from_form(values, MERCHANT)
    again = form_from_campaign(doc, MERCHANT)
    changed = {k: (values.get(k), again.get(k)) for k in {*values, *again} if values.get(k) != again.get(k)}
    # Normalised on the way: amounts written "1000.00" come back "1000", an empty option id is derived.
    assert changed == {"amount_max": ("1000.00", "1000"), "options-1-id": ("", "pay_later_30")}


def test_stored_version_goes_to_the_hidden_field_not_the_document() -> None:
    values = form_from_campaign({**DEMO_CAMPAIGNS[0], "version": 7}, MERCHANT)
    assert values["version"] == "7"
    doc, _ = campaign_from_form(values, MERCHANT)
    assert "version" not in doc


def test_new_form_uses_the_first_market() -> None:
    values = new_form(MERCHANT)
    first_locale, first_currency = next(iter(MERCHANT["currencies"].items()))
    assert values["currency"] == first_currency
    assert values["timezone"] == {"DE": "Europe/Berlin", "GB": "Europe/London"}[first_locale[-2:]]
    assert values["status"] == "paused"
    assert row_count(values, "variants") == 2
    assert row_count(values, "options") == 2


def test_markets_are_offered_with_locale_and_currency() -> None:
    choices = form_choices(new_form(MERCHANT), MERCHANT)
    assert ("GB", "GB · en-GB · GBP") in choices["countries"]
    assert ("en-GB", "en-GB") in choices["locales"]
    assert ("en", "en (every en-* locale)") in choices["locales"]
    assert "America/New_York" in choices["timezones"]


def test_copy_languages_follow_the_chosen_markets() -> None:
    assert copy_languages({"locales": ["en-GB", "en-US"]}, MERCHANT) == ["en"]
    assert copy_languages({"countries": ["SE"]}, MERCHANT) == ["sv"]
    assert copy_languages({"locales": ["de-DE"], "copy-fr-title": "x"}, MERCHANT) == ["de", "fr"]
    assert len(copy_languages({}, MERCHANT)) == len({locale[:2] for locale in MERCHANT["currencies"]})


def test_a_plain_dict_reads_like_a_multidict() -> None:
    case = {"form": {}}
    assert campaign_from_form(dict(DATA["base"]), MERCHANT) == campaign_from_form(form_of(case), MERCHANT)


texts = st.text(max_size=40) | st.sampled_from(
    ["", "30", "30,00", "-1", "1e9", "9" * 40, "pay_in_n", "{", "'"]
)
names = st.sampled_from(
    [
        *SCALARS,
        *CHECKBOXES,
        "options-0-min",
        "options-3-type",
        "variants-1-weight",
        "copy-en-title",
        "copy-x-y",
    ]
) | st.text(max_size=30)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.dictionaries(names, texts | st.lists(texts, max_size=3), max_size=30))
def test_no_input_makes_the_parser_raise(form: dict[str, Any]) -> None:
    doc, problems = campaign_from_form(form, MERCHANT)
    assert isinstance(doc, dict) and isinstance(problems, dict)
    for path in model_problem_paths(doc):
        form_field_of(path)
