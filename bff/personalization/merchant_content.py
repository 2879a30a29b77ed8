"""Per-merchant content for personalization: a product catalogue and a delivery table.

``parse_catalogue`` and ``parse_delivery`` validate imports (every problem by path);
``recommend`` and ``delivery_options`` pick what one shopper sees (pure).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bff.decisions.problems import Problems
from bff.errors import DataError
from bff.patterns import COUNTRY, IDENTIFIER, INTEREST

MAX_PRODUCTS = 5000


@dataclass(frozen=True)
class Product:
    sku: str
    name: str
    url: str
    interests: tuple[str, ...]


def parse_catalogue(doc: Any) -> tuple[Product, ...]:
    """A list of ``{sku, name, url, interests}``; raises ``DataError`` listing every problem."""
    p = Problems()
    if not isinstance(doc, list) or len(doc) > MAX_PRODUCTS:
        raise DataError(f"catalogue: must be a JSON array of at most {MAX_PRODUCTS} products")
    products = []
    for i, item in enumerate(doc):
        where = f"[{i}]"
        sku = p.field(item, "sku", str, where, "")
        p.check(bool(IDENTIFIER.match(sku)), f"{where}.sku", "must be 1-64 letters, digits, '_', '.' or '-'")
        name = p.field(item, "name", str, where, "")
        p.check(0 < len(name.strip()) <= 80, f"{where}.name", "must be 1-80 characters")
        url = p.field(item, "url", str, where, "")
        p.check(
            url.startswith(("https://", "http://", "/")) and len(url) <= 500,
            f"{where}.url",
            "must be an http(s) URL or a path starting with '/'",
        )
        interests = p.field(item, "interests", list, where, [])
        p.check(
            all(isinstance(t, str) and INTEREST.match(t) for t in interests),
            f"{where}.interests",
            "must be lowercase tags like 'garden'",
        )
        products.append(Product(sku, name.strip(), url, tuple(interests)))
    if p:
        raise DataError(p.text())
    return tuple(products)


def parse_delivery(doc: Any) -> dict[str, dict[str, tuple[str, ...]]]:
    """``{"SE": {"*": ["..."], "Stockholm": ["..."]}}``: per country, per city (``*`` = any city)."""
    p = Problems()
    if not isinstance(doc, dict):
        raise DataError("delivery: must be a JSON object keyed by country code")
    table: dict[str, dict[str, tuple[str, ...]]] = {}
    for country, cities in doc.items():
        p.check(bool(COUNTRY.match(country)), country, "keys must be ISO 3166 country codes like 'SE'")
        if not isinstance(cities, dict):
            p.add(country, "must be an object keyed by city ('*' for any city)")
            continue
        table[country] = {}
        for city, options in cities.items():
            ok = isinstance(options, list) and all(isinstance(o, str) and 0 < len(o) <= 120 for o in options)
            if p.check(ok, f"{country}.{city}", "must be a list of texts of at most 120 characters"):
                table[country][city.casefold()] = tuple(options)
    if p:
        raise DataError(p.text())
    return table


def recommend(products: tuple[Product, ...], interests: tuple[str, ...], limit: int = 3) -> list[Product]:
    """Products sharing most interests with the shopper, best first; none without interests."""
    if not interests:
        return []
    wanted = set(interests)
    scored = [(len(wanted & set(p.interests)), i, p) for i, p in enumerate(products)]
    return [p for score, _, p in sorted(scored, key=lambda s: (-s[0], s[1])) if score > 0][:limit]


def delivery_options(table: dict[str, dict[str, tuple[str, ...]]], country: str, city: str) -> list[str]:
    """The options for the shopper's city, else for any city of the country; none when unknown."""
    cities = table.get(country, {})
    return list(cities.get(city.casefold()) or cities.get("*") or ())
