"""Catalogue and delivery table: validation, recommendations, delivery options."""

from __future__ import annotations

import json

import pytest

from bff.errors import DataError
from bff.personalization.merchant_content import delivery_options, parse_catalogue, parse_delivery, recommend
from bff.settings import PACKAGE_DIR

CATALOGUE = parse_catalogue(
    json.loads((PACKAGE_DIR / "data" / "demo_catalogue.json").read_text(encoding="utf-8"))
)
DELIVERY = parse_delivery(
    json.loads((PACKAGE_DIR / "data" / "demo_delivery.json").read_text(encoding="utf-8"))
)


def test_recommendations_rank_by_shared_interests() -> None:
    skus = [p.sku for p in recommend(CATALOGUE, ("home", "textiles"))]
    assert skus[0] == "linen-cushion"
    assert len(skus) == 3
    assert recommend(CATALOGUE, ()) == []
    assert recommend(CATALOGUE, ("cars",)) == []


def test_delivery_by_city_then_country() -> None:
    assert delivery_options(DELIVERY, "GB", "London")[0] == "Next-day delivery in London"
    assert delivery_options(DELIVERY, "GB", "Leeds")[0] == "Standard delivery in 3-5 working days"
    assert delivery_options(DELIVERY, "FR", "Paris") == []


@pytest.mark.parametrize(
    "doc",
    [
        {},
        [{"sku": "a b", "name": "x", "url": "/x", "interests": []}],
        [{"sku": "a", "name": "x", "url": "javascript:alert(1)", "interests": []}],
        [{"sku": "a", "name": "", "url": "/x", "interests": ["Home"]}],
    ],
)
def test_bad_catalogue(doc: object) -> None:
    with pytest.raises(DataError):
        parse_catalogue(doc)


@pytest.mark.parametrize("doc", [[], {"Sweden": {}}, {"SE": []}, {"SE": {"*": "fast"}}])
def test_bad_delivery(doc: object) -> None:
    with pytest.raises(DataError):
        parse_delivery(doc)
