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
    assert merchant.campaigns[0].amount_ranges["GBP"].contains(3000)
    assert not merchant.campaigns[0].amount_ranges["GBP"].contains(2999)


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
    (["allowed_origins"], "https://shop.example", "allowed_origins: expected list"),
    (["currencies", "en-GB"], "pounds", "currencies.en-GB"),
    (["placements", "credit-badge"], "popup", "placements.credit-badge"),
    (["campaigns", 0, "placements"], ["badge", "banner"], "campaigns[0].placements[1]"),
    (["campaigns", 0, "amount_ranges", "EUR", "min"], -1, "campaigns[0].amount_ranges.EUR.min"),
    (["campaigns", 0, "amount_ranges", "EUR", "min"], True, "campaigns[0].amount_ranges.EUR.min"),
    (["campaigns", 0, "amount_ranges", "EUR", "max"], 1, "campaigns[0].amount_ranges.EUR: min"),
    (["campaigns", 0, "offer", "installments"], 40, "campaigns[0].offer.installments"),
    (["campaigns", 0, "offer", "type"], "loan", "campaigns[0].offer.type"),
    (["campaigns", 0, "copy"], {}, "campaigns[0].copy"),
    (["campaigns", 0, "copy", "en", "badge"], "  ", "campaigns[0].copy.en.badge"),
    (["campaigns", 0, "id"], DELETE, "campaigns[0].id: is required"),
]


@pytest.mark.parametrize(("path", "value", "expected"), BAD_FIELDS, ids=[c[2] for c in BAD_FIELDS])
def test_invalid_field_is_reported_by_path(
    doc: dict[str, Any], path: list[Any], value: Any, expected: str
) -> None:
    bad = copy.deepcopy(doc)
    _set(bad, path, value)
    with pytest.raises(DataError) as raised:
        parse_merchant(bad)
    assert str(raised.value).startswith(expected)


def test_document_must_be_an_object() -> None:
    with pytest.raises(DataError, match="document: expected dict"):
        parse_merchant([])
