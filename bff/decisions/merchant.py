"""The merchant document: allowed origins, currencies per locale, placement keys.

``parse_merchant(doc)`` validates a JSON-like mapping and returns a frozen ``Merchant``;
problems raise ``DataError`` listing every field path at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bff.decisions.campaign import PLACEMENT_TYPES
from bff.decisions.problems import Problems
from bff.errors import DataError
from bff.origins import normalize_origin
from bff.patterns import CURRENCY, IDENTIFIER


@dataclass(frozen=True)
class Merchant:
    client_id: str
    name: str
    allowed_origins: tuple[str, ...]
    currencies: dict[str, str]
    placements: dict[str, str]


def parse_merchant(doc: Any) -> Merchant:
    """Validate ``doc`` and build a ``Merchant``; raise ``DataError`` naming every bad field."""
    p = Problems()
    if not isinstance(doc, dict):
        raise DataError("document: a merchant must be a JSON object")
    client_id = p.field(doc, "client_id", str, "", "")
    p.check(bool(IDENTIFIER.match(client_id)), "client_id", "must be 1-64 letters, digits, '_', '.' or '-'")
    origins = p.field(doc, "allowed_origins", list, "", [])
    for i, origin in enumerate(origins):
        p.check(
            isinstance(origin, str) and normalize_origin(origin) == origin,
            f"allowed_origins[{i}]",
            f"must be an origin like 'https://shop.example', got {origin!r}",
        )
    currencies = p.field(doc, "currencies", dict, "", {})
    for locale, code in currencies.items():
        p.check(
            isinstance(code, str) and bool(CURRENCY.match(code)),
            f"currencies.{locale}",
            f"must be an ISO 4217 code like 'EUR', got {code!r}",
        )
    placements = p.field(doc, "placements", dict, "", {})
    for key, kind in placements.items():
        p.check(
            bool(IDENTIFIER.match(key)),
            f"placements.{key}",
            "the key must be 1-64 letters, digits, '_', '.' or '-'",
        )
        p.check(
            kind in PLACEMENT_TYPES,
            f"placements.{key}",
            f"must be one of {', '.join(PLACEMENT_TYPES)}, got {kind!r}",
        )
    if p:
        raise DataError(p.text())
    return Merchant(
        client_id=client_id,
        name=p.field(doc, "name", str, "", client_id, required=False),
        allowed_origins=tuple(origins),
        currencies=dict(currencies),
        placements=dict(placements),
    )
