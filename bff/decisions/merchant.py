"""The merchant document: origins, markets, placement keys, brand, and whether it is live.

``parse_merchant(doc)`` validates a JSON-like mapping and returns a frozen ``Merchant``;
problems raise ``DataError`` listing every field path at once. ``merchant_problems(doc)``
returns the same problems as ``{path, message}`` dicts (the admin RPC's ``InvalidDocument``).

Members (docs/merchants.md):

* ``client_id`` (required), ``name``.
* ``allowed_origins``: exact serialized origins (``bff.decisions.merchant_origins`` states
  the rule: no wildcards, ``www.`` listed separately, https except on loopback).
* ``markets`` (optional): ``[{country, locale, currency}]``. When given, the default
  currency of each locale comes from them; a ``currencies`` entry may only repeat it.
* ``currencies``: locale -> ISO 4217 code (the older way to say the same; still accepted).
* ``placements``: placement key -> placement type.
* ``brand`` (optional): ``primary_color``, ``text_color``, ``background_color`` (``#rrggbb``),
  ``logo_url`` (https), ``corner_radius`` (0-24 px), ``font`` (one of ``FONTS``).
* ``disabled`` (optional, false): a disabled merchant renders nothing (-32001, as an
  unknown client would).
* ``order_source`` (optional, ``"server"``): which reported orders count for attribution,
  one of ``ORDER_SOURCES`` (docs/attribution.md).
* ``attribution_window_days`` (optional, 7): how long after a touch an order of the same
  visit is attributed to it, 1-30 days.
* ``version``, ``updated_at``, ``updated_by``: written by the store, never by callers.

Any other member is a problem (a misspelt field would otherwise be silently ignored).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any
from urllib.parse import urlsplit

from bff.decisions.campaign import PLACEMENT_TYPES
from bff.decisions.merchant_origins import origin_problem
from bff.decisions.problems import Problems
from bff.errors import DataError
from bff.origins import normalize_origin, origin_of_url
from bff.patterns import COUNTRY, CURRENCY, IDENTIFIER, LOCALE

EDITABLE_FIELDS = (
    "name",
    "allowed_origins",
    "markets",
    "currencies",
    "placements",
    "brand",
    "disabled",
    "order_source",
    "attribution_window_days",
)
METADATA_FIELDS = ("version", "updated_at", "updated_by")
FIELDS = ("client_id", *EDITABLE_FIELDS, *METADATA_FIELDS)
FONTS = ("inter", "system")
COLOR_FIELDS = ("primary_color", "text_color", "background_color")
BRAND_FIELDS = (*COLOR_FIELDS, "logo_url", "corner_radius", "font")
MAX_CORNER_RADIUS = 24
MAX_ORIGINS = 100
MAX_MARKETS = 100
COLOR = re.compile(r"^#[0-9a-fA-F]{6}\Z")
ORDER_SOURCES = ("server", "client", "both")
WINDOW_DAYS = (1, 30)


@dataclass(frozen=True)
class Market:
    country: str
    locale: str
    currency: str


@dataclass(frozen=True)
class Brand:
    primary_color: str | None = None
    text_color: str | None = None
    background_color: str | None = None
    logo_url: str | None = None
    corner_radius: int | None = None
    font: str | None = None


@dataclass(frozen=True)
class Merchant:
    client_id: str
    name: str
    allowed_origins: tuple[str, ...]
    currencies: dict[str, str]
    placements: dict[str, str]
    markets: tuple[Market, ...] = ()
    brand: Brand | None = None
    disabled: bool = False
    version: int = field(default=0, compare=False)
    order_source: str = "server"
    attribution_window_days: int = 7

    @cached_property
    def countries(self) -> dict[str, str]:
        """Locale -> the country of the one market that sells in it (a locale two markets
        share names no country: the render then takes the locale's region)."""
        found: dict[str, set[str]] = {}
        for market in self.markets:
            found.setdefault(market.locale, set()).add(market.country)
        return {locale: next(iter(countries)) for locale, countries in found.items() if len(countries) == 1}


def parse_merchant(doc: Any, *, stored: bool = False) -> Merchant:
    """Validate ``doc`` and build a ``Merchant``; raise ``DataError`` naming every bad field.

    ``stored=True`` reads a document saved before the origin rule was tightened: origins
    need only be serialized origins (so an upgrade never stops a merchant's renders); every
    save applies the whole rule.
    """
    p = Problems()
    merchant = _parse(doc, p, stored)
    if p or merchant is None:
        raise DataError(p.text())
    return merchant


def merchant_problems(doc: Any) -> list[dict[str, str]]:
    """Every problem of ``doc`` as ``{path, message}``; empty when it is a valid merchant."""
    p = Problems()
    _parse(doc, p, stored=False)
    return p.as_dicts()


def _parse(doc: Any, p: Problems, stored: bool) -> Merchant | None:
    if not isinstance(doc, dict):
        p.add("document", "a merchant must be a JSON object")
        return None
    for name in doc:
        p.check(name in FIELDS, str(name), f"is not a merchant field (known: {', '.join(FIELDS)})")
    client_id = p.field(doc, "client_id", str, "", "")
    p.check(bool(IDENTIFIER.match(client_id)), "client_id", "must be 1-64 letters, digits, '_', '.' or '-'")
    origins = _origins(p.field(doc, "allowed_origins", list, "", []), p, stored)
    markets = _markets(p.field(doc, "markets", list, "", [], required=False), p)
    currencies = _currencies(p.field(doc, "currencies", dict, "", {}, required=not markets), markets, p)
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
    brand_doc = p.field(doc, "brand", dict, "", None, required=False)
    brand = _brand(brand_doc, p) if brand_doc is not None else None
    disabled = p.field(doc, "disabled", bool, "", False, required=False)
    order_source = p.field(doc, "order_source", str, "", "server", required=False)
    p.check(order_source in ORDER_SOURCES, "order_source", f"must be one of {', '.join(ORDER_SOURCES)}")
    window = p.field(doc, "attribution_window_days", int, "", 7, required=False)
    p.check(
        not isinstance(window, bool) and WINDOW_DAYS[0] <= window <= WINDOW_DAYS[1],
        "attribution_window_days",
        f"must be a whole number of days from {WINDOW_DAYS[0]} to {WINDOW_DAYS[1]}",
    )
    version = p.field(doc, "version", int, "", 0, required=False)
    p.check(version >= 0, "version", "must be 0 or more")
    name = p.field(doc, "name", str, "", client_id, required=False)
    if p:
        return None
    return Merchant(
        client_id=client_id,
        name=name,
        allowed_origins=tuple(origins),
        currencies=currencies,
        placements=dict(placements),
        markets=tuple(markets),
        brand=brand,
        disabled=disabled,
        version=version,
        order_source=order_source,
        attribution_window_days=window,
    )


def _origins(origins: list[Any], p: Problems, stored: bool) -> list[str]:
    p.check(len(origins) <= MAX_ORIGINS, "allowed_origins", f"must list at most {MAX_ORIGINS} origins")
    seen: set[str] = set()
    for i, origin in enumerate(origins):
        if stored:
            ok = isinstance(origin, str) and normalize_origin(origin) == origin
            problem = None if ok else f"must be an origin like 'https://shop.example', got {origin!r}"
        else:
            problem = origin_problem(origin)
        p.check(problem is None, f"allowed_origins[{i}]", problem or "")
        if isinstance(origin, str):
            p.check(origin not in seen, f"allowed_origins[{i}]", f"{origin!r} is listed twice")
            seen.add(origin)
    return [o for o in origins if isinstance(o, str)]


def _markets(items: list[Any], p: Problems) -> list[Market]:
    p.check(len(items) <= MAX_MARKETS, "markets", f"must list at most {MAX_MARKETS} markets")
    markets: list[Market] = []
    by_locale: dict[str, tuple[int, str]] = {}
    for i, item in enumerate(items):
        path = f"markets[{i}]"
        if not p.check(isinstance(item, dict), path, "expected an object {country, locale, currency}"):
            continue
        for name in item:
            p.check(name in ("country", "locale", "currency"), f"{path}.{name}", "is not a market field")
        country = p.field(item, "country", str, path, "")
        locale = p.field(item, "locale", str, path, "")
        currency = p.field(item, "currency", str, path, "")
        p.check(
            bool(COUNTRY.match(country)), f"{path}.country", f"must be ISO 3166 like 'GB', got {country!r}"
        )
        p.check(
            bool(LOCALE.match(locale)), f"{path}.locale", f"must be a locale like 'en-GB', got {locale!r}"
        )
        p.check(
            bool(CURRENCY.match(currency)),
            f"{path}.currency",
            f"must be ISO 4217 like 'GBP', got {currency!r}",
        )
        earlier = by_locale.get(locale)
        if earlier is not None and earlier[1] != currency:
            p.add(f"{path}.currency", f"markets[{earlier[0]}] gives {locale} the currency {earlier[1]}")
        by_locale.setdefault(locale, (i, currency))
        market = Market(country, locale, currency)
        p.check(market not in markets, path, "is listed twice")
        markets.append(market)
    return markets


def _currencies(currencies: dict[str, Any], markets: list[Market], p: Problems) -> dict[str, str]:
    derived = {m.locale: m.currency for m in markets}
    for locale, code in currencies.items():
        path = f"currencies.{locale}"
        p.check(
            isinstance(code, str) and bool(CURRENCY.match(code)),
            path,
            f"must be an ISO 4217 code like 'EUR', got {code!r}",
        )
        if locale in derived and code != derived[locale]:
            p.add(path, f"markets give {locale} the currency {derived[locale]}")
    return {**currencies, **derived}


def _brand(doc: dict[str, Any], p: Problems) -> Brand:
    for name in doc:
        p.check(
            name in BRAND_FIELDS, f"brand.{name}", f"is not a brand field (known: {', '.join(BRAND_FIELDS)})"
        )
    colors = {}
    for name in COLOR_FIELDS:
        value = p.field(doc, name, str, "brand", None, required=False)
        if value is not None:
            p.check(
                bool(COLOR.match(value)), f"brand.{name}", f"must be a color like '#1a2b3c', got {value!r}"
            )
        colors[name] = value.lower() if isinstance(value, str) else None
    logo_url = p.field(doc, "logo_url", str, "brand", None, required=False)
    if logo_url is not None:
        p.check(_https_url(logo_url), "brand.logo_url", "must be an https:// URL with a host")
    radius = p.field(doc, "corner_radius", int, "brand", None, required=False)
    if radius is not None:
        p.check(
            0 <= radius <= MAX_CORNER_RADIUS, "brand.corner_radius", f"must be 0-{MAX_CORNER_RADIUS} (px)"
        )
    font = p.field(doc, "font", str, "brand", None, required=False)
    if font is not None:
        p.check(font in FONTS, "brand.font", f"must be one of {', '.join(FONTS)}, got {font!r}")
    return Brand(**colors, logo_url=logo_url, corner_radius=radius, font=font)


def _https_url(value: str) -> bool:
    try:
        parts = urlsplit(value)
    except ValueError:
        return False
    return (
        parts.scheme == "https"
        and origin_of_url(value) is not None  # a plain DNS host: it goes into the frames' CSP
        and value.isascii()
        and len(value) <= 2048
        and not any(c in value for c in " \"'<>\\")
    )
