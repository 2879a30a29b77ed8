"""What an edit may change, and rollbacks' documents (pure, no server)."""

from __future__ import annotations

import pytest

from bff.errors import InvalidParams, NotFound, Unauthorized
from bff.merchants.changes import MERCHANT_ADMIN_FIELDS, changed_document, changed_fields, rollback_document

CURRENT = {"client_id": "s", "name": "S", "allowed_origins": [], "brand": {"font": "inter"}, "version": 3}


def test_changes_replace_fields_and_null_removes_one() -> None:
    doc = changed_document(CURRENT, {"name": "T", "brand": None})
    assert doc == {"client_id": "s", "name": "T", "allowed_origins": []}
    assert changed_fields(CURRENT, doc) == ["brand", "name"]


@pytest.mark.parametrize(
    ("changes", "error", "text"),
    [
        ({}, InvalidParams, "non-empty object"),
        ([], InvalidParams, "non-empty object"),
        ({"client_id": "t"}, InvalidParams, "not an editable field"),
        ({"version": 9}, InvalidParams, "not an editable field"),
        ({"disabled": True}, Unauthorized, "may not change 'disabled'"),
        ({"currencies": {}}, Unauthorized, "may not change 'currencies'"),
    ],
)
def test_refused_changes(changes: object, error: type[Exception], text: str) -> None:
    with pytest.raises(error, match=text):
        changed_document(CURRENT, changes, MERCHANT_ADMIN_FIELDS)


def test_a_merchant_admin_may_rename_and_run_its_own_placements() -> None:
    changes = {"name": "T", "placements": {"cart": "strip"}, "brand": None}
    doc = changed_document(CURRENT, changes, MERCHANT_ADMIN_FIELDS)
    assert doc["name"] == "T" and doc["placements"] == {"cart": "strip"} and "brand" not in doc


def test_rollback_document() -> None:
    earlier = [{**CURRENT, "name": "old", "version": 2, "updated_at": "x"}]
    restored = rollback_document(CURRENT, earlier, 2)
    assert restored == {"client_id": "s", "name": "old", "allowed_origins": [], "brand": {"font": "inter"}}
    with pytest.raises(InvalidParams, match="current version"):
        rollback_document(CURRENT, earlier, 3)
    with pytest.raises(NotFound):
        rollback_document(CURRENT, earlier, 1)


def test_markets_of_a_document_with_only_currencies() -> None:
    from bff.merchants.changes import markets_of

    assert markets_of({"currencies": {"de-DE": "EUR", "en": "GBP", "es-419": "USD"}}) == [
        {"country": "DE", "locale": "de-DE", "currency": "EUR"},
        {"country": "", "locale": "en", "currency": "GBP"},
        {"country": "", "locale": "es-419", "currency": "USD"},
    ]
    markets = [{"country": "GB", "locale": "en-GB", "currency": "GBP"}]
    assert markets_of({"markets": markets, "currencies": {"x-YY": "EUR"}}) == markets
