"""The merchant document: allowed origins, currencies per locale, placements, campaigns.

``parse_merchant(doc)`` validates a plain JSON-like mapping and returns a frozen
``Merchant``; every problem raises ``DataError`` naming its field path
(``campaigns[0].amount_ranges.EUR.min``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from bff.errors import DataError
from bff.origins import normalize_origin

PLACEMENT_TYPES = ("badge", "strip", "interstitial")
IDENTIFIER = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")
CURRENCY = re.compile(r"^[A-Z]{3}$")


@dataclass(frozen=True)
class AmountRange:
    """Inclusive purchase-amount range in minor units of one currency."""

    min: int
    max: int

    def contains(self, amount: int) -> bool:
        return self.min <= amount <= self.max


@dataclass(frozen=True)
class Campaign:
    id: str
    placements: tuple[str, ...]
    amount_ranges: dict[str, AmountRange]
    installments: int
    copy: dict[str, dict[str, str]]


@dataclass(frozen=True)
class Merchant:
    client_id: str
    name: str
    allowed_origins: tuple[str, ...]
    currencies: dict[str, str]
    placements: dict[str, str]
    campaigns: tuple[Campaign, ...]

    def with_origins(self, *origins: str) -> Merchant:
        """A copy that also allows ``origins`` (used to admit the demo shop's origin)."""
        merged = tuple(dict.fromkeys((*self.allowed_origins, *origins)))
        return Merchant(self.client_id, self.name, merged, self.currencies, self.placements, self.campaigns)


def parse_merchant(doc: Any) -> Merchant:
    """Validate ``doc`` and build a ``Merchant``; raise ``DataError`` with the field path."""
    _expect(doc, dict, "")
    origins = tuple(
        _origin(o, f"allowed_origins[{i}]") for i, o in enumerate(_get(doc, "allowed_origins", list))
    )
    currencies = {
        _text(locale, f"currencies.{locale}"): _currency(code, f"currencies.{locale}")
        for locale, code in _get(doc, "currencies", dict).items()
    }
    placements = {
        _identifier(key, f"placements.{key}"): _choice(kind, PLACEMENT_TYPES, f"placements.{key}")
        for key, kind in _get(doc, "placements", dict).items()
    }
    campaigns = tuple(_campaign(c, f"campaigns[{i}]") for i, c in enumerate(_get(doc, "campaigns", list)))
    return Merchant(
        client_id=_identifier(_get(doc, "client_id", str), "client_id"),
        name=_text(_get(doc, "name", str), "name"),
        allowed_origins=origins,
        currencies=currencies,
        placements=placements,
        campaigns=campaigns,
    )


def _campaign(doc: Any, path: str) -> Campaign:
    _expect(doc, dict, path)
    placements = tuple(
        _choice(p, PLACEMENT_TYPES, f"{path}.placements[{i}]")
        for i, p in enumerate(_get(doc, "placements", list, path))
    )
    ranges = {}
    for code, bounds in _get(doc, "amount_ranges", dict, path).items():
        where = f"{path}.amount_ranges.{code}"
        _currency(code, where)
        low = _amount(_get(bounds, "min", int, where), f"{where}.min")
        high = _amount(_get(bounds, "max", int, where), f"{where}.max")
        if low > high:
            raise DataError(f"{where}: min ({low}) is greater than max ({high})")
        ranges[code] = AmountRange(low, high)
    offer = _get(doc, "offer", dict, path)
    _choice(_get(offer, "type", str, f"{path}.offer"), ("pay_in_n",), f"{path}.offer.type")
    installments = _get(offer, "installments", int, f"{path}.offer")
    if not 2 <= installments <= 12:
        raise DataError(f"{path}.offer.installments: must be between 2 and 12, got {installments}")
    copy = {}
    for language, texts in _get(doc, "copy", dict, path).items():
        _expect(texts, dict, f"{path}.copy.{language}")
        copy[language] = {
            name: _text(value, f"{path}.copy.{language}.{name}") for name, value in texts.items()
        }
    if not copy:
        raise DataError(f"{path}.copy: at least one language is required")
    return Campaign(
        _identifier(_get(doc, "id", str, path), f"{path}.id"), placements, ranges, installments, copy
    )


def _get(doc: Any, name: str, kind: type, parent: str = "") -> Any:
    path = f"{parent}.{name}" if parent else name
    _expect(doc, dict, parent)
    if name not in doc:
        raise DataError(f"{path}: is required")
    return _expect(doc[name], kind, path)


def _expect(value: Any, kind: type, path: str) -> Any:
    # bool is a subclass of int, but true is never a valid amount or count.
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise DataError(f"{path or 'document'}: expected {kind.__name__}, got {type(value).__name__}")
    return value


def _text(value: Any, path: str) -> str:
    text: str = _expect(value, str, path)
    if not text.strip():
        raise DataError(f"{path}: must not be empty")
    return text


def _identifier(value: Any, path: str) -> str:
    if not IDENTIFIER.match(_expect(value, str, path)):
        raise DataError(f"{path}: must be 1-64 letters, digits, '_', '.' or '-', got {value!r}")
    return str(value)


def _currency(value: Any, path: str) -> str:
    if not CURRENCY.match(_expect(value, str, path)):
        raise DataError(f"{path}: must be an ISO 4217 code like 'EUR', got {value!r}")
    return str(value)


def _choice(value: Any, options: tuple[str, ...], path: str) -> str:
    if _expect(value, str, path) not in options:
        raise DataError(f"{path}: must be one of {', '.join(options)}, got {value!r}")
    return str(value)


def _amount(value: int, path: str) -> int:
    if value < 0:
        raise DataError(f"{path}: must be a non-negative amount in minor units, got {value}")
    return value


def _origin(value: Any, path: str) -> str:
    origin = normalize_origin(_expect(value, str, path))
    if origin is None or origin != value:
        raise DataError(f"{path}: must be an origin like 'https://shop.example', got {value!r}")
    return origin
