"""Copy: sandboxed, autoescaped rendering and the fallback chain."""

from __future__ import annotations

from bff.decisions.decide import Decision, PlacementContext
from bff.decisions.merchant import AmountRange, Campaign
from bff.personalization.copy import pick_copy, render_copy
from bff.personalization.view_model import build_view_model


def test_variables_are_escaped_but_template_markup_is_kept() -> None:
    html = render_copy("Hi <strong>{{ name }}</strong>", {"name": "<img src=x onerror=alert(1)>"})
    assert html == "Hi <strong>&lt;img src=x onerror=alert(1)&gt;</strong>"


def test_sandbox_blocks_internals_and_returns_none() -> None:
    assert render_copy("{{ ''.__class__.__mro__[1].__subclasses__() }}", {}) is None
    assert render_copy("{% broken", {}) is None


def test_pick_copy_prefers_exact_then_language_then_first() -> None:
    copy = {"en": {"badge": "en"}, "de-AT": {"badge": "at"}, "de": {"badge": "de"}}
    assert pick_copy(copy, "de-AT")["badge"] == "at"
    assert pick_copy(copy, "de-DE")["badge"] == "de"
    assert pick_copy(copy, "fi-FI")["badge"] == "en"


def campaign(copy: dict[str, dict[str, str]]) -> Campaign:
    return Campaign("c1", ("badge",), {"GBP": AmountRange(0, 10**6)}, 4, copy)


CONTEXT = PlacementContext("demo", "credit-badge", "en-GB", 9999, "GBP", "s" * 32)


def test_view_model_uses_regular_installment_and_plain_text() -> None:
    model = build_view_model(
        CONTEXT,
        Decision(campaign({"en": {"badge": "{{ installment }} x{{ installments }}"}}), "badge"),
        "dark",
    )
    assert model["html"] == "£24.99 x4"
    assert model["text"] == "£24.99 x4"
    assert model["installment"] == {"count": 4, "amount": 2499, "formatted": "£24.99"}
    assert model["cta"] == "Learn more"
    assert model["theme"] == "dark"


def test_broken_merchant_template_falls_back_to_generic_copy() -> None:
    model = build_view_model(CONTEXT, Decision(campaign({"en": {"badge": "{% if %}"}}), "badge"), "default")
    assert model["text"] == "Pay in 4 interest-free payments of £24.99"


def test_no_decision_is_an_empty_placement() -> None:
    assert build_view_model(CONTEXT, None, "default")["kind"] == "empty"
