"""The settings form of a merchant: document -> form, form -> changes, problems -> fields (pure).

No Flask, no I/O. ``settings_form_of(doc)`` gives the values a page shows (the document's
rows plus ``SPARE_ROWS`` empty ones); ``read_settings_form(fields)`` reads a posted form
(any ``Mapping[str, str]``, e.g. Werkzeug's ``MultiDict``) into a ``SettingsForm`` whose
``changes`` go to ``bff.merchants.admin.update`` and whose ``problems`` (field id ->
messages) are what the form itself refuses before the back end sees it: oversize values,
origins the lenient rule cannot read, a radius that is not a number. ``problems_by_field``
places the back end's ``{path, message}`` problems next to the field they name.

Field ids (the form's ``name`` and ``id`` attributes): ``name``, ``origins`` (one origin a
line), ``with_www``, ``market-N-country|locale|currency``, ``placement-N-key|type``,
``use_colors``, ``brand-<field>`` for each of ``BRAND_FIELDS``, ``order_source`` (one of
``ORDER_SOURCES``) and ``attribution_window_days`` (``WINDOW_DAYS``). Empty rows are ignored.
Problems that name no field go under ``FORM``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from bff.decisions.campaign import PLACEMENT_TYPES
from bff.decisions.merchant import (
    BRAND_FIELDS,
    COLOR,
    COLOR_FIELDS,
    MAX_CORNER_RADIUS,
    MAX_ORIGINS,
    ORDER_SOURCES,
    WINDOW_DAYS,
)
from bff.decisions.merchant_origins import origin_from_input, with_www_twins
from bff.merchants.changes import markets_of

FORM = "form"
SPARE_ROWS = 3
MAX_ROWS = 100  # markets and placements rows read (the document allows 100 markets)
MAX_NAME_CHARS = 200
MAX_FIELD_CHARS = 64  # country, locale, currency, placement key
MAX_URL_CHARS = 2048
MAX_ORIGINS_CHARS = 20_000
MARKET_PARTS = ("country", "locale", "currency")
DEFAULT_COLORS = {"primary_color": "#0b051d", "text_color": "#0b051d", "background_color": "#ffffff"}
ROW_PATH = re.compile(r"^(markets|placements)\[(\d+)\](?:\.(\w+))?\Z")


@dataclass
class SettingsForm:
    """What the settings page shows and, once posted, what it would change."""

    name: str = ""
    origins: str = ""
    with_www: bool = False
    markets: list[dict[str, str]] = field(default_factory=list)
    placements: list[dict[str, str]] = field(default_factory=list)
    use_colors: bool = False
    brand: dict[str, str] = field(default_factory=dict)
    order_source: str = ORDER_SOURCES[0]
    attribution_window_days: str = "7"
    changes: dict[str, Any] = field(default_factory=dict)
    problems: dict[str, list[str]] = field(default_factory=dict)
    # Where each document entry came from, to put the back end's problems on the right row.
    market_rows: list[int] = field(default_factory=list)
    placement_rows: dict[str, int] = field(default_factory=dict)
    origin_list: list[str] = field(default_factory=list)

    def refuse(self, field_id: str, message: str) -> None:
        self.problems.setdefault(field_id, []).append(message)


def settings_form_of(doc: Mapping[str, Any]) -> SettingsForm:
    """The form showing ``doc`` (a stored merchant document), with spare empty rows."""
    brand = dict(doc.get("brand") or {})
    colors = {name: str(brand.get(name) or DEFAULT_COLORS[name]) for name in COLOR_FIELDS}
    others = {name: str(brand.get(name, "")) for name in BRAND_FIELDS if name not in COLOR_FIELDS}
    return SettingsForm(
        name=str(doc.get("name", "")),
        origins="\n".join(doc.get("allowed_origins") or []),
        markets=[{part: str(m.get(part, "")) for part in MARKET_PARTS} for m in markets_of(doc)]
        + _empty_markets(),
        placements=[{"key": k, "type": t} for k, t in (doc.get("placements") or {}).items()]
        + _empty_placements(),
        use_colors=any(name in brand for name in COLOR_FIELDS),
        brand={**colors, **others},
        order_source=str(doc.get("order_source") or ORDER_SOURCES[0]),
        attribution_window_days=str(doc.get("attribution_window_days", 7)),
    )


def read_settings_form(fields: Mapping[str, str]) -> SettingsForm:
    """Read a posted settings form; ``changes`` is only meaningful when ``problems`` is empty."""
    form = SettingsForm(with_www=bool(fields.get("with_www")), use_colors=bool(fields.get("use_colors")))
    _read_name(fields, form)
    _read_origins(fields, form)
    _read_markets(fields, form)
    _read_placements(fields, form)
    _read_brand(fields, form)
    _read_attribution(fields, form)
    return form


def problems_by_field(form: SettingsForm, problems: list[dict[str, str]]) -> dict[str, list[str]]:
    """The back end's ``{path, message}`` problems keyed by the form field they name."""
    placed: dict[str, list[str]] = {}
    for problem in problems:
        field_id, message = _field_of(form, problem["path"], problem["message"])
        placed.setdefault(field_id, []).append(message)
    return placed


def _field_of(form: SettingsForm, path: str, message: str) -> tuple[str, str]:
    if path == "name":
        return "name", message
    if path == "allowed_origins":
        return "origins", message
    if path.startswith("allowed_origins["):
        index = _index(path)
        origin = form.origin_list[index] if index is not None and index < len(form.origin_list) else ""
        return "origins", f"{origin}: {message}" if origin else message
    row = ROW_PATH.match(path)
    if row and row.group(1) == "markets":
        index = int(row.group(2))
        if index < len(form.market_rows):
            part = row.group(3) if row.group(3) in MARKET_PARTS else "country"
            return f"market-{form.market_rows[index]}-{part}", message
    if path.startswith("placements."):
        key = path.removeprefix("placements.")
        if key in form.placement_rows:
            return f"placement-{form.placement_rows[key]}-key", message
        return "placements", message
    if path in ("markets", "placements", "brand") or path.startswith("currencies"):
        return ("markets" if path.startswith("currencies") else path), message
    if path in ("order_source", "attribution_window_days"):
        return path, message
    if path.startswith("brand."):
        name = path.removeprefix("brand.")
        if name in BRAND_FIELDS:
            return f"brand-{name}", message
    return FORM, f"{path}: {message}"


def _index(path: str) -> int | None:
    found = re.search(r"\[(\d+)\]", path)
    return int(found.group(1)) if found else None


def _read_name(fields: Mapping[str, str], form: SettingsForm) -> None:
    name = fields.get("name", "").strip()
    form.name = name[:MAX_NAME_CHARS]
    if len(name) > MAX_NAME_CHARS:
        form.refuse("name", f"Use at most {MAX_NAME_CHARS} characters (this one has {len(name):,}).")
    elif not name:
        form.refuse("name", "Give the shop a name (shown in the console only).")
    else:
        form.changes["name"] = name


def _read_origins(fields: Mapping[str, str], form: SettingsForm) -> None:
    text = fields.get("origins", "")
    form.origins = text[:MAX_ORIGINS_CHARS]
    if len(text) > MAX_ORIGINS_CHARS:
        form.refuse("origins", f"At most {MAX_ORIGINS_CHARS:,} characters (this list has {len(text):,}).")
        return
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if len(lines) > MAX_ORIGINS:
        form.refuse("origins", f"At most {MAX_ORIGINS} origins (this list has {len(lines)}).")
        return
    origins: list[str] = []
    for line in lines:
        try:
            origins.append(origin_from_input(line))
        except ValueError as exc:
            form.refuse("origins", _clipped(str(exc)))
    listed = with_www_twins(origins) if form.with_www else list(dict.fromkeys(origins))
    if len(listed) > MAX_ORIGINS:
        form.refuse("origins", f"With their www. twins these are {len(listed)}; at most {MAX_ORIGINS}.")
    form.origin_list = listed
    form.changes["allowed_origins"] = listed


def _read_markets(fields: Mapping[str, str], form: SettingsForm) -> None:
    markets: list[dict[str, str]] = []
    for row in range(MAX_ROWS + SPARE_ROWS):
        values = {part: fields.get(f"market-{row}-{part}", "").strip() for part in MARKET_PARTS}
        if not any(f"market-{row}-{part}" in fields for part in MARKET_PARTS):
            continue
        form.markets.append({part: value[:MAX_FIELD_CHARS] for part, value in values.items()})
        shown = len(form.markets) - 1
        if not any(values.values()):
            continue
        too_long = [part for part, value in values.items() if len(value) > MAX_FIELD_CHARS]
        for part in too_long:
            form.refuse(f"market-{shown}-{part}", f"At most {MAX_FIELD_CHARS} characters.")
        if too_long:
            continue
        form.market_rows.append(shown)
        markets.append(
            {
                "country": values["country"].upper(),
                "locale": values["locale"],
                "currency": values["currency"].upper(),
            }
        )
    form.changes["markets"] = markets or None
    form.markets = _trimmed(form.markets) + _empty_markets()


def _read_placements(fields: Mapping[str, str], form: SettingsForm) -> None:
    placements: dict[str, str] = {}
    for row in range(MAX_ROWS + SPARE_ROWS):
        if f"placement-{row}-key" not in fields:
            continue
        key = fields.get(f"placement-{row}-key", "").strip()
        kind = fields.get(f"placement-{row}-type", "")
        form.placements.append({"key": key[:MAX_FIELD_CHARS], "type": kind[:MAX_FIELD_CHARS]})
        shown = len(form.placements) - 1
        if not key:
            continue
        if len(key) > MAX_FIELD_CHARS:
            form.refuse(f"placement-{shown}-key", f"At most {MAX_FIELD_CHARS} characters.")
        elif key in placements:
            form.refuse(f"placement-{shown}-key", f"{key!r} is listed twice: each key once.")
        elif kind not in PLACEMENT_TYPES:
            form.refuse(f"placement-{shown}-type", f"Choose one of {', '.join(PLACEMENT_TYPES)}.")
        else:
            placements[key] = kind
            form.placement_rows[key] = shown
    form.changes["placements"] = placements
    form.placements = _trimmed(form.placements, ignored=("type",)) + _empty_placements()


def _read_brand(fields: Mapping[str, str], form: SettingsForm) -> None:
    brand: dict[str, Any] = {}
    for name in BRAND_FIELDS:
        value = fields.get(f"brand-{name}", "").strip()
        form.brand[name] = value[:MAX_URL_CHARS]
        if len(value) > MAX_URL_CHARS:
            form.refuse(f"brand-{name}", f"At most {MAX_URL_CHARS} characters.")
            continue
        if name in COLOR_FIELDS:
            if not form.use_colors:
                continue
            if not COLOR.match(value):
                form.refuse(f"brand-{name}", "Pick a colour (#rrggbb).")
                continue
            brand[name] = value.lower()
        elif name == "corner_radius" and value:
            if not (value.isascii() and value.isdigit()) or not 0 <= int(value) <= MAX_CORNER_RADIUS:
                form.refuse(f"brand-{name}", f"A whole number of pixels, 0-{MAX_CORNER_RADIUS}.")
                continue
            brand[name] = int(value)
        elif value:
            brand[name] = value
    form.changes["brand"] = brand or None


def _read_attribution(fields: Mapping[str, str], form: SettingsForm) -> None:
    """Order source and window; a form without these fields (an older page) changes neither."""
    if "order_source" not in fields and "attribution_window_days" not in fields:
        return
    source = fields.get("order_source", "").strip()
    form.order_source = source[:MAX_FIELD_CHARS]
    if source in ORDER_SOURCES:
        form.changes["order_source"] = source
    else:
        form.refuse("order_source", "Choose which reported orders count: the server's, the page's, or both.")
    days = fields.get("attribution_window_days", "").strip()
    form.attribution_window_days = days[:MAX_FIELD_CHARS]
    low, high = WINDOW_DAYS
    if days.isascii() and days.isdigit() and low <= int(days) <= high:
        form.changes["attribution_window_days"] = int(days)
    else:
        form.refuse("attribution_window_days", f"A whole number of days, {low}-{high}.")


def _trimmed(rows: list[dict[str, str]], ignored: tuple[str, ...] = ()) -> list[dict[str, str]]:
    """``rows`` without the empty ones at the end (spare rows are added anew each time)."""
    end = len(rows)
    while end and not any(value for name, value in rows[end - 1].items() if name not in ignored):
        end -= 1
    return rows[:end]


def _empty_markets() -> list[dict[str, str]]:
    return [dict.fromkeys(MARKET_PARTS, "") for _ in range(SPARE_ROWS)]


def _empty_placements() -> list[dict[str, str]]:
    return [{"key": "", "type": PLACEMENT_TYPES[0]} for _ in range(SPARE_ROWS)]


def _clipped(text: str, limit: int = 160) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
