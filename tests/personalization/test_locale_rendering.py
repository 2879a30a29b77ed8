"""Every locale renders: Babel locales through ``placements.render``, and each demo market.

The first test stores a merchant like the demo one, whose ``currencies`` map names 40 Babel
locales (``locale_cases.json``), with one campaign per currency and no market limits; each
locale must render a badge whose amount Babel formatted for that locale. The second renders
the demo shop's own markets (``bff.demo.MARKETS``) against the demo merchant and campaigns.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from babel import Locale
from babel.numbers import format_currency, get_currency_precision

from bff.demo import MARKETS, PRODUCT_VARIANTS
from bff.personalization.catalogue import copy_language
from tests.rpc.test_placements_render import params

CASES = json.loads((Path(__file__).parent / "locale_cases.json").read_text(encoding="utf-8"))
BABEL_LOCALES = {tag: currency for tag, currency in CASES["babel_locales"].items() if tag != "_doc"}
PURCHASE = 9900  # minor units: 4 payments of 2475


def babel_money(minor: int, currency: str, tag: str) -> str:
    """What Babel itself makes of ``minor`` units for ``tag``, independently of bff.money."""
    amount = Decimal(minor).scaleb(-get_currency_precision(currency))
    return format_currency(amount, currency, locale=Locale.parse(tag, sep="-"))


def campaign(currency: str) -> dict[str, Any]:
    return {
        "id": f"pay-in-4-{currency.lower()}",
        "placements": ["badge"],
        "amount": {"currency": currency, "min": 100, "max": 10**9},
        "payment_options": [{"id": "pay_in_4", "type": "pay_in_n", "installments": 4, "min": 100}],
    }


def test_the_sample_is_40_locales_babel_knows() -> None:
    assert len(BABEL_LOCALES) == 40
    assert all(Locale.parse(tag, sep="-").territory for tag in BABEL_LOCALES)


def test_a_badge_renders_for_every_babel_locale_of_the_merchant(app, rpc) -> None:  # type: ignore[no-untyped-def]
    app.extensions["onsite.merchants"].save_merchant(
        {
            "client_id": "worldwide",
            "name": "Worldwide shop",
            "allowed_origins": [],
            "currencies": BABEL_LOCALES,
            "placements": {"credit-badge": "badge"},
        }
    )
    for currency in sorted(set(BABEL_LOCALES.values())):
        app.extensions["onsite.campaigns"].create("worldwide", campaign(currency))
    wrong = {}
    for tag, currency in BABEL_LOCALES.items():
        response = rpc(
            "placements.render", params(client_id="worldwide", locale=tag, purchase_amount=PURCHASE)
        )
        result = response.get("result", response)
        expected = babel_money(2475, currency, tag)
        got = (result.get("kind"), result.get("installment", {}).get("formatted"))
        if got != ("badge", expected) or expected not in result["text"]:
            wrong[tag] = (got, expected)
    assert wrong == {}


MARKET_CASES = [pytest.param(market, id=market["locale"]) for market in MARKETS]


@pytest.mark.parametrize("market", MARKET_CASES)
def test_every_demo_market_renders_a_badge_in_its_currency(rpc, market: dict[str, str]) -> None:  # type: ignore[no-untyped-def]
    tag, currency = market["locale"], market["currency"]
    price = PRODUCT_VARIANTS[0]["prices"][currency]  # type: ignore[index]
    # No currency in the call: the demo merchant's default for the locale must be this one.
    result = rpc("placements.render", params(locale=tag, purchase_amount=price))["result"]
    assert result["kind"] == "badge"
    assert result["text"].strip()
    assert result["installment"]["formatted"] == babel_money(price // 4, currency, tag)
    assert result["installment"]["formatted"] in result["text"]
    if copy_language(tag) != "en":
        assert "interest-free" not in result["text"]  # the market's language, not English


# The badges of the markets the demo had before issue 14, byte for byte (visual baselines).
UNCHANGED = {
    "en-GB": "Pay in 4 interest-free payments of £24.75",
    "de-DE": "Bezahle in 4 zinsfreien Raten à 29,75\xa0€",
    "sv-SE": "Betala i 4 räntefria delbetalningar à 324,75\xa0kr",
}


@pytest.mark.parametrize(("tag", "text"), sorted(UNCHANGED.items()))
def test_the_first_markets_render_as_before(rpc, tag: str, text: str) -> None:  # type: ignore[no-untyped-def]
    market = next(m for m in MARKETS if m["locale"] == tag)
    price = PRODUCT_VARIANTS[0]["prices"][market["currency"]]  # type: ignore[index]
    assert rpc("placements.render", params(locale=tag, purchase_amount=price))["result"]["text"] == text
