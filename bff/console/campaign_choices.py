"""What the campaign form offers a merchant, and its defaults. Pure: no Flask.

* ``merchant_markets(merchant)``: the merchant's ``{country, locale, currency}`` markets
  (derived from the older ``currencies`` map when it lists none);
* ``form_choices(values, merchant)``: the options of every select and checkbox group,
  the merchant's markets first, plus whatever ``values`` holds already (so a stored
  campaign's value is never silently dropped by the form);
* ``copy_languages(values, merchant)``: the languages the copy fields are shown for;
* ``new_form(merchant)``: the values of an empty form; ``default_zone(country)``;
* ``field_label(name)``: a person's name for a field (the problem summary's links).

Field names are those of ``bff.console.campaign_form``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from babel.core import get_global

from bff.console.campaign_form import COPY_NAMES, ROW_FIELD, VARIANT_COPY_NAMES, form_values, row_count
from bff.decisions.campaign import DEVICES, OPTION_TYPES, PAGE_TYPES, PLACEMENT_TYPES, SHOPPERS
from bff.patterns import LOCALE

PLACEMENT_LABELS = {
    "badge": "Badge",
    "strip": "Strip",
    "interstitial": "Interstitial (the “learn more” dialog)",
}
MAX_LANGUAGES = 40
COMMON_ZONES = (
    "UTC",
    "Europe/London",
    "Europe/Dublin",
    "Europe/Lisbon",
    "Europe/Paris",
    "Europe/Berlin",
    "Europe/Amsterdam",
    "Europe/Brussels",
    "Europe/Madrid",
    "Europe/Rome",
    "Europe/Vienna",
    "Europe/Zurich",
    "Europe/Stockholm",
    "Europe/Oslo",
    "Europe/Copenhagen",
    "Europe/Helsinki",
    "Europe/Warsaw",
    "Europe/Prague",
    "Europe/Budapest",
    "Europe/Athens",
    "Europe/Bucharest",
    "Europe/Istanbul",
    "America/New_York",
    "America/Chicago",
    "America/Denver",
    "America/Los_Angeles",
    "America/Toronto",
    "America/Vancouver",
    "America/Mexico_City",
    "America/Sao_Paulo",
    "Asia/Tokyo",
    "Australia/Sydney",
    "Pacific/Auckland",
)


def new_form(merchant: dict[str, Any]) -> dict[str, Any]:
    """The values of an empty form: paused, every placement, the first market's currency and zone."""
    markets = merchant_markets(merchant)
    first = markets[0] if markets else {"country": "", "currency": ""}
    values = form_values({}, merchant)
    values.update(
        status="paused",
        placements=list(PLACEMENT_TYPES),
        currency=first["currency"],
        timezone=default_zone(first["country"]),
        priority="0",
        shopper="any",
    )
    return values


LABELS = {
    "id": "Campaign id",
    "name": "Name",
    "status": "Status",
    "version": "Version",
    "currency": "Currency",
    "amount_min": "Smallest amount",
    "amount_max": "Largest amount",
    "timezone": "Time zone",
    "start": "Starts",
    "end": "Ends",
    "priority": "Priority",
    "cap_per_session": "Auto-opens per visit",
    "cap_per_day": "Auto-opens per day",
    "shopper": "Shoppers",
    "interests": "Interests",
    "placements": "Placements",
    "countries": "Countries",
    "locales": "Locales",
    "devices": "Devices",
    "page_types": "Page types",
    "options": "Payment options",
    "variants": "Variants",
    "copy": "Copy",
}


def field_label(name: str) -> str:
    """A person's name for the form field ``name`` (the problem summary's link text)."""
    if name in LABELS:
        return LABELS[name]
    match = ROW_FIELD.match(name)
    if match:
        kind = "Payment option" if match[1] == "options" else "Variant"
        member = match[3]
        if member.startswith("copy-"):
            language, _, text = member[5:].rpartition("-")
            member = f"{text} copy ({language})"
        return f"{kind} {int(match[2]) + 1}: {member}"
    if name.startswith("copy-"):
        language, _, text = name[5:].rpartition("-")
        return f"Copy ({language}): {text}"
    return "Campaign"


def merchant_markets(merchant: dict[str, Any]) -> list[dict[str, str]]:
    """The merchant's ``{country, locale, currency}`` markets (derived from ``currencies`` if none)."""
    markets = [m for m in _list(merchant.get("markets")) if isinstance(m, dict)]
    if markets:
        return [{k: str(m.get(k, "")) for k in ("country", "locale", "currency")} for m in markets]
    return [
        {
            "country": locale.rpartition("-")[2] if "-" in locale else "",
            "locale": locale,
            "currency": str(code),
        }
        for locale, code in _dict(merchant.get("currencies")).items()
    ]


def default_zone(country: str) -> str:
    """The usual time zone of ``country``: the first of ``COMMON_ZONES`` there, else CLDR's first."""
    territories: Mapping[str, str] = get_global("zone_territories")
    common = next((z for z in COMMON_ZONES if territories.get(z) == country), None)
    zones = get_global("territory_zones").get(country, [])
    return common or (zones[0] if zones else "UTC")


def form_choices(values: Mapping[str, Any], merchant: dict[str, Any]) -> dict[str, Any]:
    """What the form's selects and checkbox groups offer: the merchant's plus whatever ``values`` has."""
    markets = merchant_markets(merchant)
    by_country: dict[str, list[str]] = {}
    for m in markets:
        by_country.setdefault(m["country"], []).append(f"{m['locale']} · {m['currency']}")
    countries = [(c, " · ".join([c, *labels])) for c, labels in by_country.items() if c]
    countries += [(c, c) for c in values.get("countries", []) if c not in by_country]
    locales = list(
        dict.fromkeys([*(m["locale"] for m in markets), *(m["locale"].split("-")[0] for m in markets)])
    )
    locales += [loc for loc in values.get("locales", []) if loc not in locales]
    currencies = list(dict.fromkeys([*(m["currency"] for m in markets), values.get("currency", "")]))
    zones = list(
        dict.fromkeys(
            [*COMMON_ZONES, *(default_zone(m["country"]) for m in markets), values.get("timezone", "")]
        )
    )
    option_ids = [
        v
        for i in range(row_count(values, "options"))
        if (v := str(values.get(f"options-{i}-id", "")).strip())
    ]
    variant_names = [*VARIANT_COPY_NAMES]
    for key in values:
        match = ROW_FIELD.match(key)
        if match and match[1] == "variants" and match[3].startswith("copy-"):
            variant_names.append(match[3].rpartition("-")[2])
    return {
        "placements": [(p, PLACEMENT_LABELS.get(p, p)) for p in PLACEMENT_TYPES],
        "countries": countries,
        "locales": [(loc, loc if "-" in loc else f"{loc} (every {loc}-* locale)") for loc in locales],
        "currencies": [c for c in currencies if c],
        "timezones": [z for z in zones if z],
        "statuses": ("active", "paused", *(["archived"] if values.get("status") == "archived" else [])),
        "shoppers": SHOPPERS,
        "devices": [(d, d) for d in DEVICES],
        "page_types": [(t, t) for t in PAGE_TYPES],
        "option_types": OPTION_TYPES,
        "option_ids": list(dict.fromkeys(option_ids)),
        "languages": copy_languages(values, merchant),
        "copy_names": COPY_NAMES,
        "variant_copy_names": tuple(dict.fromkeys(variant_names)),
    }


def copy_languages(values: Mapping[str, Any], merchant: dict[str, Any]) -> list[str]:
    """The copy languages the form offers: those of the chosen locales (else of the chosen
    countries' markets, else of every market), plus any the values already have copy for."""
    markets = merchant_markets(merchant)
    chosen = list(values.get("locales", []))
    if not chosen:
        countries = set(values.get("countries", []))
        chosen = [m["locale"] for m in markets if m["country"] in countries] or [m["locale"] for m in markets]
    languages = [loc.split("-")[0] for loc in chosen]
    for key in values:
        match = ROW_FIELD.match(key)
        member = match[3] if match else key
        if member.startswith("copy-"):
            languages.append(member[5:].rpartition("-")[0])
    return [lang for lang in dict.fromkeys(languages) if LOCALE.match(lang)][:MAX_LANGUAGES]


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []
