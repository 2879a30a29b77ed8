"""parse_merchant: valid documents parse; each invalid field is reported by its path."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest

from bff.decisions.merchant import parse_merchant
from bff.errors import DataError
from bff.settings import DEFAULT_DEMO_DATA


@pytest.fixture
def doc() -> dict[str, Any]:
    """The shipped demo merchant document."""
    return json.loads(DEFAULT_DEMO_DATA.read_text(encoding="utf-8"))


def test_demo_merchant_parses(doc: dict[str, Any]) -> None:
    merchant = parse_merchant(doc)
    assert merchant.client_id == "demo"
    assert merchant.placements["credit-badge"] == "badge"
    assert merchant.currencies["sv-SE"] == "SEK"


def _set(doc: dict[str, Any], path: list[Any], value: Any) -> None:
    target = doc
    for part in path[:-1]:
        target = target[part]
    if value is DELETE:
        del target[path[-1]]
    else:
        target[path[-1]] = value


DELETE = object()

BAD_FIELDS = [
    (["client_id"], "bad id!", "client_id"),
    (["client_id"], DELETE, "client_id: is required"),
    (["allowed_origins"], ["https://shop.example/path"], "allowed_origins[0]"),
    (["allowed_origins"], "https://shop.example", "allowed_origins: expected array"),
    (["currencies", "en-GB"], "pounds", "currencies.en-GB"),
    (["placements", "credit-badge"], "popup", "placements.credit-badge"),
]


@pytest.mark.parametrize(("path", "value", "expected"), BAD_FIELDS, ids=[c[2] for c in BAD_FIELDS])
def test_invalid_field_is_reported_by_path(
    doc: dict[str, Any], path: list[Any], value: Any, expected: str
) -> None:
    bad = copy.deepcopy(doc)
    _set(bad, path, value)
    with pytest.raises(DataError) as raised:
        parse_merchant(bad)
    assert expected in str(raised.value)


def test_every_problem_is_reported_at_once(doc: dict[str, Any]) -> None:
    doc["client_id"] = "bad id!"
    doc["currencies"]["en-GB"] = "pounds"
    with pytest.raises(DataError) as raised:
        parse_merchant(doc)
    assert "client_id" in str(raised.value) and "currencies.en-GB" in str(raised.value)


def test_document_must_be_an_object() -> None:
    with pytest.raises(DataError, match="document: a merchant must be a JSON object"):
        parse_merchant([])


MARKETS = [
    {"country": "GB", "locale": "en-GB", "currency": "GBP"},
    {"country": "IE", "locale": "en-IE", "currency": "EUR"},
]
BRAND = {
    "primary_color": "#1A2B3C",
    "text_color": "#ffffff",
    "background_color": "#000000",
    "logo_url": "https://shop.example/logo.svg",
    "corner_radius": 8,
    "font": "inter",
}


def test_markets_brand_and_disabled_parse(doc: dict[str, Any]) -> None:
    merchant = parse_merchant({**doc, "markets": MARKETS, "brand": BRAND, "disabled": True})
    assert merchant.currencies["en-IE"] == "EUR"  # derived from the markets
    assert merchant.currencies["sv-SE"] == "SEK"  # still from currencies
    assert [m.country for m in merchant.markets] == ["GB", "IE"]
    assert merchant.brand is not None and merchant.brand.primary_color == "#1a2b3c"
    assert merchant.disabled


def test_markets_alone_give_the_currencies(doc: dict[str, Any]) -> None:
    del doc["currencies"]
    assert parse_merchant({**doc, "markets": MARKETS}).currencies == {"en-GB": "GBP", "en-IE": "EUR"}


BAD_ADDITIONS = [
    ({"markets": [{"country": "gb", "locale": "en-GB", "currency": "GBP"}]}, "markets[0].country"),
    ({"markets": [{"country": "GB", "locale": "english", "currency": "GBP"}]}, "markets[0].locale"),
    ({"markets": [{"country": "GB", "locale": "en-GB"}]}, "markets[0].currency: is required"),
    ({"markets": [{"country": "GB", "locale": "en-GB", "currency": "GBP", "tax": 1}]}, "markets[0].tax"),
    ({"markets": [MARKETS[0], {**MARKETS[0], "currency": "EUR"}]}, "markets[1].currency: markets[0] gives"),
    ({"markets": [MARKETS[0], MARKETS[0]]}, "markets[1]: is listed twice"),
    (
        {"markets": [{**MARKETS[0], "locale": "sv-SE"}]},
        "currencies.sv-SE: markets give sv-SE the currency GBP",
    ),
    ({"markets": "GB"}, "markets: expected array"),
    ({"brand": {"primary_color": "red"}}, "brand.primary_color"),
    ({"brand": {"logo_url": "http://shop.example/logo.png"}}, "brand.logo_url: must be an https:// URL"),
    ({"brand": {"corner_radius": 25}}, "brand.corner_radius: must be 0-24"),
    ({"brand": {"corner_radius": -1}}, "brand.corner_radius"),
    ({"brand": {"font": "comic-sans"}}, "brand.font: must be one of inter, system"),
    ({"brand": {"colour": "#000000"}}, "brand.colour: is not a brand field"),
    ({"disabled": "yes"}, "disabled: expected boolean"),
    ({"alowed_origins": []}, "alowed_origins: is not a merchant field"),
    ({"allowed_origins": ["https://*.shop.example"]}, "allowed_origins[0]: wildcards are not allowed"),
    ({"allowed_origins": ["http://shop.example"]}, "allowed_origins[0]: http is allowed only for localhost"),
    (
        {"allowed_origins": ["https://a.example", "https://a.example"]},
        "allowed_origins[1]: 'https://a.example' is listed twice",
    ),
]


@pytest.mark.parametrize(("addition", "expected"), BAD_ADDITIONS, ids=[c[1] for c in BAD_ADDITIONS])
def test_invalid_new_fields_are_reported_by_path(
    doc: dict[str, Any], addition: dict[str, Any], expected: str
) -> None:
    with pytest.raises(DataError) as raised:
        parse_merchant({**doc, **addition})
    assert expected in str(raised.value)


def test_documents_stored_before_the_origin_rule_still_load(doc: dict[str, Any]) -> None:
    old = {**doc, "allowed_origins": ["http://shop.example"]}
    assert parse_merchant(old, stored=True).allowed_origins == ("http://shop.example",)
