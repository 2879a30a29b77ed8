"""Old Jinja copy: exact conversion of {{ name }}, nothing guessed, stored documents kept loadable."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from bff.decisions.campaign import parse_campaign
from bff.personalization.catalogue import CATALOGUE, REVIEW
from bff.personalization.copy import CopyMessage, render_copy
from bff.personalization.copy_fields import compile_copy_text
from bff.personalization.copy_migration import convert_legacy_copy, jinja_to_copy, loadable_copy
from bff.settings import DEFAULT_DEMO_CAMPAIGNS

HERE = Path(__file__).parent
CASES = json.loads((HERE / "copy_migration_cases.json").read_text(encoding="utf-8"))["cases"]
BEFORE = json.loads((HERE / "jinja_copy_before.json").read_text(encoding="utf-8"))
LOOPS = "{% for i in range(10000) %}{% for j in range(10000) %}{% endfor %}{% endfor %}"


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_jinja_to_copy(case: dict[str, Any]) -> None:
    assert jinja_to_copy(case["jinja"]) == case["copy"]


OLD_TEXTS = [pytest.param(t, id=f"{t[0]}-{t[1]}") for t in BEFORE["catalogue"] + BEFORE["demo_campaigns"]]


@pytest.mark.parametrize("text", OLD_TEXTS)
def test_converted_copy_renders_byte_for_byte_what_jinja_rendered(text: list[str]) -> None:
    language, name, jinja, html = text
    converted = jinja_to_copy(jinja)
    assert converted is not None
    message = compile_copy_text(name, converted)
    assert isinstance(message, CopyMessage), message
    assert render_copy(message, BEFORE["variables"], language) == html


def test_the_builtin_catalogue_and_the_demo_campaigns_are_the_conversion_of_the_old_copy() -> None:
    # Languages added since (issue 14) were written in this format: they have no Jinja past.
    shipped = {lang for lang, review in REVIEW.items() if review == "shipped"}
    assert {lang for lang, _, _, _ in BEFORE["catalogue"]} == shipped
    assert {(lang, name): jinja_to_copy(jinja) for lang, name, jinja, _ in BEFORE["catalogue"]} == {
        (lang, name): text for lang in shipped for name, text in CATALOGUE[lang].items()
    }
    demo = json.loads(DEFAULT_DEMO_CAMPAIGNS.read_text(encoding="utf-8"))
    assert [jinja_to_copy(jinja) for _, _, jinja, _ in BEFORE["demo_campaigns"]] == [
        text for c in demo for texts in c.get("copy", {}).values() for text in texts.values()
    ]


def test_import_converts_what_is_exact_and_leaves_the_rest_for_validation() -> None:
    doc = {
        "copy": {"en": {"badge": "Only {{ installment }}", "strip": LOOPS, "cta": "Go {total}"}},
        "variants": [{"id": "a", "copy": {"de": {"badge": "Nur {{installment}}"}}}],
    }
    converted, paths = convert_legacy_copy(doc)
    assert paths == ["copy.en.badge", "variants[0].copy.de.badge"]
    assert converted["copy"]["en"] == {"badge": "Only {installment}", "strip": LOOPS, "cta": "Go {total}"}
    assert converted["variants"][0]["copy"]["de"]["badge"] == "Nur {installment}"
    assert doc["copy"]["en"]["badge"] == "Only {{ installment }}"  # the input is not changed


def test_copy_in_the_current_format_is_never_converted() -> None:
    # "{{" opens a branch that starts with a placeholder: valid now, and not old syntax.
    current = "{days, select, 30 {{total} in a month} other {{total} in {days} days}}"
    assert convert_legacy_copy({"copy": {"en": {"badge": current}}}) == (
        {"copy": {"en": {"badge": current}}},
        [],
    )


def test_stored_copy_that_cannot_be_converted_is_dropped_not_the_campaign() -> None:
    doc = {
        "id": "old",
        "placements": ["badge"],
        "amount": {"currency": "GBP", "min": 0, "max": 10**6},
        "payment_options": [{"id": "p4", "type": "pay_in_n", "installments": 4}],
        "copy": {
            "en": {
                "badge": "Only {{ installment }}",
                "strip": LOOPS,
                "cta": "{{ nope }}",
                "title": "x" * 1500,
            }
        },
    }
    loadable, removed = loadable_copy(doc)
    assert [path for path, _ in removed] == ["copy.en.strip", "copy.en.cta", "copy.en.title"]
    assert "old template syntax" in removed[0][1]
    assert "unknown placeholder {nope}" in removed[1][1]
    assert "1500 characters" in removed[2][1]
    campaign = parse_campaign(loadable)
    assert list(campaign.copy["en"]) == ["badge"]
    assert campaign.copy["en"]["badge"].source == "Only {installment}"
