"""The preview's pure render of a draft: params, the draft decided alone, the grid's facts."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from bff.console.preview_render import (
    DRAFT_EXPIRED,
    NO_MARKET,
    locale_report,
    merchant_markets,
    parse_preview_request,
    placement_key,
    preview_session_id,
    render_draft,
)
from bff.decisions.campaign import parse_campaign
from bff.decisions.merchant import Brand, Market, Merchant
from bff.errors import InvalidParams

NOW = dt.datetime(2026, 12, 6, 12, 0, tzinfo=dt.UTC)
DRAFT = "D" * 22
MERCHANT = Merchant(
    client_id="shop",
    name="Shop",
    allowed_origins=(),
    currencies={"en-GB": "GBP", "sv-SE": "SEK", "is-IS": "ISK"},
    placements={"credit-badge": "badge"},
    brand=Brand(primary_color="#112233"),
)


def campaign(**changes: Any) -> Any:
    doc = {
        "id": "spring",
        "status": "paused",
        "placements": ["badge", "strip"],
        "markets": {"countries": ["GB"]},
        "amount": {"currency": "GBP", "min": 1000, "max": 100000},
        "schedule": {"start": "2030-01-01T00:00"},
        "payment_options": [{"id": "pay_in_4", "type": "pay_in_n", "installments": 4}],
        "copy": {"en": {"badge.pay_in_n": "Four of {installment}"}},
    }
    return parse_campaign({**doc, **changes})


def params(**changes: Any) -> dict[str, Any]:
    base = {
        "client_id": "shop",
        "placement_key": "credit-badge",
        "locale": "en-GB",
        "purchase_amount": 10000,
        "session_id": preview_session_id("mobile", DRAFT),
    }
    return {**base, **changes}


def test_a_paused_future_draft_renders_as_published_with_the_brand() -> None:
    request = parse_preview_request("shop", MERCHANT, params())
    assert request.draft_id == DRAFT and request.context is not None and request.context.device == "mobile"
    result = render_draft(request, campaign(), MERCHANT, NOW)
    assert result["kind"] == "badge" and result["text"] == "Four of £25.00"
    assert result["brand"]["vars"]["--onsite-accent"] == "#112233"


def test_the_default_preview_keys_render_for_a_merchant_without_placements() -> None:
    request = parse_preview_request("shop", MERCHANT, params(placement_key="preview-strip"))
    assert render_draft(request, campaign(), MERCHANT, NOW)["kind"] == "strip"


def test_an_expired_draft_and_a_locale_without_market_render_empty_with_their_reason() -> None:
    request = parse_preview_request("shop", MERCHANT, params())
    assert render_draft(request, None, MERCHANT, NOW)["reason"] == DRAFT_EXPIRED
    request = parse_preview_request("shop", MERCHANT, params(locale="de-DE"))
    assert request.context is None
    assert render_draft(request, campaign(), MERCHANT, NOW)["reason"] == NO_MARKET


@pytest.mark.parametrize(
    ("changes", "param"),
    [
        ({"client_id": "other"}, "client_id"),
        ({"session_id": "an-ordinary-session-id"}, "session_id"),
        ({"session_id": "pv-watch-" + DRAFT}, "session_id"),
        ({"purchase_amount": "100"}, "context.purchase_amount"),
        ({"theme": "neon"}, "theme"),
        ({"view": "popup"}, "view"),
        ({"locale": "xx-??"}, "locale"),
    ],
)
def test_params_are_validated(changes: dict[str, Any], param: str) -> None:
    with pytest.raises(InvalidParams) as caught:
        parse_preview_request("shop", MERCHANT, params(**changes))
    assert caught.value.param == param


def test_the_audience_is_a_shopper_it_targets() -> None:
    targeted = campaign(audience={"interests": ["garden"], "shopper": "returning", "page_types": ["cart"]})
    request = parse_preview_request("shop", MERCHANT, params())
    assert render_draft(request, targeted, MERCHANT, NOW)["kind"] == "badge"


@pytest.mark.parametrize(
    ("market", "amount", "source", "reason"),
    [
        (Market("GB", "en-GB", "GBP"), 10000, "campaign", None),
        (Market("SE", "sv-SE", "SEK"), 10000, "built-in", "not in the campaign's markets (countries: GB)"),
        (Market("IS", "is-IS", "ISK"), 10000, "missing", "not in the campaign's markets (countries: GB)"),
        (Market("GB", "en-GB", "GBP"), 500, "campaign", "amount outside the campaign's range"),
    ],
)
def test_locale_reports(market: Market, amount: int, source: str, reason: str | None) -> None:
    report = locale_report(campaign(), market, "badge", amount)
    assert (report.copy_source, report.empty_reason) == (source, reason)
    assert report.has_gap == (source == "missing" or reason is not None)


def test_a_currency_mismatch_is_named() -> None:
    report = locale_report(campaign(markets={}), Market("SE", "sv-SE", "SEK"), "badge", 10000)
    assert report.empty_reason == "the campaign is in GBP, this market pays in SEK"


def test_markets_come_from_the_older_currencies_too() -> None:
    assert Market("SE", "sv-SE", "SEK") in merchant_markets(MERCHANT)
    assert placement_key(MERCHANT, "badge") == "credit-badge"
    assert placement_key(MERCHANT, "strip") == "preview-strip"


def two_variants() -> Any:
    return campaign(
        variants=[
            {"id": "plain", "weight": 1},
            {"id": "bold", "weight": 1, "copy": {"en": {"badge.pay_in_n": "BOLD: four of {installment}"}}},
        ]
    )


def test_the_merchant_picks_the_variant_the_preview_shows() -> None:
    texts = {}
    for index in (0, 1):
        request = parse_preview_request(
            "shop", MERCHANT, params(session_id=preview_session_id("mobile", DRAFT, index))
        )
        assert request.variant == index and request.draft_id == DRAFT
        texts[index] = render_draft(request, two_variants(), MERCHANT, NOW)["text"]
    assert texts == {0: "Four of £25.00", 1: "BOLD: four of £25.00"}
    bucketed = render_draft(parse_preview_request("shop", MERCHANT, params()), two_variants(), MERCHANT, NOW)
    assert bucketed["text"] in texts.values()
    # An index past the draft's variants (one was deleted while typing) is bucketed as usual.
    past = parse_preview_request("shop", MERCHANT, params(session_id=preview_session_id("mobile", DRAFT, 7)))
    assert render_draft(past, two_variants(), MERCHANT, NOW)["text"] == bucketed["text"]


@pytest.mark.parametrize(
    "session_id", ["pv-mobile-v10-" + DRAFT, "pv-mobile-vx-" + DRAFT, "pv-mobile-v1-" + DRAFT[:-1]]
)
def test_a_malformed_variant_choice_is_refused(session_id: str) -> None:
    with pytest.raises(InvalidParams) as refused:
        parse_preview_request("shop", MERCHANT, params(session_id=session_id))
    assert refused.value.param == "session_id"
