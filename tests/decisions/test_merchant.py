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
