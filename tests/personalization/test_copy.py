"""Copy: sandboxed, autoescaped rendering; the lookup chain; view models from decisions."""

from __future__ import annotations

import datetime as dt

from bff.decisions.campaign import parse_campaign
from bff.decisions.decide import PlacementContext, decide
from bff.personalization.copy import pick_copy, render_copy
from bff.personalization.view_model import build_view_model

TODAY = dt.date(2026, 11, 25)
NOW = dt.datetime(2026, 11, 25, 12, tzinfo=dt.UTC)


def test_variables_are_escaped_but_template_markup_is_kept() -> None:
    html = render_copy("Hi <strong>{{ name }}</strong>", {"name": "<img src=x onerror=alert(1)>"})
    assert html == "Hi <strong>&lt;img src=x onerror=alert(1)&gt;</strong>"


def test_sandbox_blocks_internals_and_returns_none() -> None:
    assert render_copy("{{ ''.__class__.__mro__[1].__subclasses__() }}", {}) is None
    assert render_copy("{% broken", {}) is None


def test_pick_copy_prefers_exact_then_language_and_never_another_language() -> None:
    copy = {"en": {"badge": "en"}, "de-AT": {"badge": "at"}, "de": {"badge": "de"}}
    assert pick_copy(copy, "de-AT")["badge"] == "at"
    assert pick_copy(copy, "de-DE")["badge"] == "de"
    assert pick_copy(copy, "fi-FI") == {}


def campaign(copy: dict[str, dict[str, str]] | None = None, variants: list[dict[str, object]] | None = None):  # type: ignore[no-untyped-def]
    doc = {
        "id": "c1",
        "placements": ["badge", "strip"],
        "amount": {"currency": "GBP", "min": 0, "max": 10**6},
        "payment_options": [
            {"id": "p4", "type": "pay_in_n", "installments": 4},
            {"id": "f12", "type": "financing", "months": 12, "apr": 19.9, "min": 5000},
        ],
        "copy": copy or {},
    }
    if variants:
        doc["variants"] = variants
    return parse_campaign(doc)


def view(c, locale: str = "en-GB", kind: str = "badge", view_name: str = "placement", amount: int = 9999):  # type: ignore[no-untyped-def]
    ctx = PlacementContext("demo", "slot", kind, locale, "GB", "GBP", amount, "s" * 32)
    return build_view_model(ctx, decide(ctx, None, [c], (), NOW), "dark", TODAY, view_name)


def test_builtin_copy_uses_the_regular_installment() -> None:
    model = view(campaign())
    assert model["html"] == "Pay in 4 interest-free payments of <strong>£24.99</strong>"
    assert model["text"] == "Pay in 4 interest-free payments of £24.99"
    assert model["compact_text"] == "4 × £24.99, 0% interest"
    assert model["installment"] == {"count": 4, "amount": 2499, "formatted": "£24.99"}
    assert model["lead_option"] == "p4"
    assert model["theme"] == "dark"


def test_campaign_copy_then_variant_copy_win() -> None:
    c = campaign({"en": {"badge": "Only {{ installment }}"}})
    assert view(c)["text"] == "Only £24.99"
    c = campaign(
        {"en": {"badge": "Only {{ installment }}"}},
        [{"id": "v", "weight": 1, "copy": {"en": {"badge": "Just {{ installment }}"}}}],
    )
    assert view(c)["text"] == "Just £24.99"


def test_broken_merchant_template_falls_back_to_builtin_copy() -> None:
    assert (
        view(campaign({"en": {"badge": "{% if %}"}}))["text"] == "Pay in 4 interest-free payments of £24.99"
    )


def test_builtin_copy_follows_the_shopper_language() -> None:
    model = view(campaign({"en": {"badge": "English only"}}), locale="sv-SE")
    # Swedish writes a foreign currency by its code.
    assert model["text"] == "Betala i 4 räntefria delbetalningar à 24,99\xa0GBP"


def test_interstitial_lists_every_eligible_option_lead_first_with_schedules() -> None:
    model = view(campaign(), view_name="interstitial")
    assert model["kind"] == "interstitial"
    assert [o["id"] for o in model["options"]] == ["p4", "f12"]
    pay_in_4, financing = model["options"]
    assert [row["formatted"] for row in pay_in_4["schedule"]] == ["£25.02", "£24.99", "£24.99", "£24.99"]
    assert pay_in_4["schedule"][0]["label"] == "Today"
    assert pay_in_4["apr_formatted"] == "0% APR"
    assert financing["apr_formatted"] == "19.9% APR"
    assert len(financing["schedule"]) == 12
    assert financing["interest_formatted"] != "£0.00"
    assert model["title"] == "Pay your way"


def test_no_eligible_campaign_is_an_empty_placement() -> None:
    model = view(campaign(), amount=10**7)
    assert model["kind"] == "empty"
    assert model["reason"] == "no_eligible_campaign"
