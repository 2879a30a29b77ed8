"""What an edit of a merchant document may change, and the document it produces (pure).

``changes`` is an object of top-level fields -> new values; each value replaces the field
whole (``null`` removes an optional field). ``client_id`` and the store's metadata
(``version``, ``updated_at``, ``updated_by``) are never changed by an edit. A
``merchant_admin`` key may change only ``MERCHANT_ADMIN_FIELDS``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from bff.decisions.merchant import EDITABLE_FIELDS
from bff.errors import InvalidParams, NotFound, Unauthorized, quoted
from bff.store.merchant_documents import content_of, version_of

MERCHANT_ADMIN_FIELDS = (
    "name",
    "allowed_origins",
    "markets",
    "placements",
    "brand",
    "order_source",
    "attribution_window_days",
)


def changed_document(
    current: dict[str, Any], changes: Any, allowed_fields: tuple[str, ...] | None = None
) -> dict[str, Any]:
    """``current``'s content with ``changes`` applied; ``allowed_fields`` None allows every
    editable field. ``InvalidParams`` for a non-object or a field that is not editable,
    ``Unauthorized`` for an editable field outside ``allowed_fields``."""
    if not isinstance(changes, dict) or not changes:
        raise InvalidParams("changes", "must be a non-empty object of field -> new value")
    for name in changes:
        if name not in EDITABLE_FIELDS:
            raise InvalidParams(
                f"changes.{quoted(name)}",
                f"is not an editable field (editable: {', '.join(EDITABLE_FIELDS)})",
            )
        if allowed_fields is not None and name not in allowed_fields:
            raise Unauthorized(
                f"This API key may not change {name!r}: a merchant_admin key may change only "
                f"{', '.join(allowed_fields)}."
            )
    updated = content_of(current)
    for name, value in changes.items():
        if value is None:
            updated.pop(name, None)
        else:
            updated[name] = value
    return updated


def changed_fields(before: dict[str, Any] | None, after: dict[str, Any]) -> list[str]:
    """The top-level fields whose value differs (for the audit record)."""
    old, new = content_of(before or {}), content_of(after)
    return sorted(name for name in old.keys() | new.keys() if old.get(name) != new.get(name))


def rollback_document(
    current: dict[str, Any], earlier: list[dict[str, Any]], to_version: int
) -> dict[str, Any]:
    """The content of version ``to_version`` from ``earlier`` (the history), to be saved anew.

    ``InvalidParams`` when it is the current version, ``NotFound`` when the history does
    not hold it (it keeps the last ``HISTORY_LIMIT`` versions).
    """
    if to_version == version_of(current):
        raise InvalidParams("to_version", f"is the current version ({to_version}) already")
    for doc in earlier:
        if version_of(doc) == to_version:
            return content_of(doc)
    raise NotFound(f"Version {to_version} is not in the merchant's history (its last versions are kept).")


def markets_of(doc: Mapping[str, Any]) -> list[dict[str, str]]:
    """The document's markets; for a document that still lists only ``currencies`` (locale ->
    currency, the older form), one market per locale with its region as the country ("" when
    the locale has none), so the console shows and saves them as markets."""
    if doc.get("markets"):
        return [dict(market) for market in doc["markets"]]
    markets = []
    for locale, currency in (doc.get("currencies") or {}).items():
        region = locale.rpartition("-")[2]
        country = region.upper() if "-" in locale and len(region) == 2 and region.isalpha() else ""
        markets.append({"country": country, "locale": locale, "currency": currency})
    return markets
