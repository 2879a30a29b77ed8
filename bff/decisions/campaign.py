"""The campaign model and its validation.

``parse_campaign(doc)`` returns a frozen ``Campaign`` or raises ``CampaignInvalid`` that
lists every problem with its field path (``variants[1].weight``), not just the first.
The JSON shape is documented in docs/decisions.md.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bff.decisions.problems import Problems
from bff.errors import DataError, quoted
from bff.patterns import COUNTRY, CURRENCY, IDENTIFIER, LOCALE
from bff.personalization.copy import CopyError, CopyMessage
from bff.personalization.copy_fields import compile_copy_text

PLACEMENT_TYPES = ("badge", "strip", "interstitial")
STATUSES = ("active", "paused", "archived")
SHOPPERS = ("any", "new", "returning")
DEVICES = ("mobile", "tablet", "desktop")
PAGE_TYPES = ("home", "category", "product", "cart", "checkout")
OPTION_TYPES = ("pay_in_n", "pay_later", "financing")
MAX_AMOUNT = 10**12
MAX_VARIANTS = 10  # also bounds the monitoring's combos per campaign (docs/monitoring.md)


class CampaignInvalid(DataError):
    """A campaign document failed validation; ``problems`` lists ``{path, message}``."""

    def __init__(self, problems: Problems) -> None:
        super().__init__(problems.text())
        self.problems = problems.as_dicts()


@dataclass(frozen=True)
class PaymentOption:
    """One way to pay that a campaign promotes, eligible for amounts in ``[min, max]``."""

    id: str
    type: str
    min: int
    max: int
    installments: int = 0
    days: int = 0
    months: int = 0
    apr: float = 0.0

    def eligible(self, amount: int) -> bool:
        return self.min <= amount <= self.max


@dataclass(frozen=True)
class Variant:
    id: str
    weight: int
    lead_option: str | None = None
    copy: dict[str, dict[str, CopyMessage]] = field(default_factory=dict)


@dataclass(frozen=True)
class Audience:
    interests: tuple[str, ...] = ()
    shopper: str = "any"
    devices: tuple[str, ...] = ()
    page_types: tuple[str, ...] = ()


@dataclass(frozen=True)
class Schedule:
    """Local wall-clock ``[start, end)`` in ``timezone``; a missing bound is open.

    The bounds are converted to instants once, when the campaign is parsed, so that a
    check is two comparisons; the time zone database resolves DST for each bound.
    """

    timezone: str = "UTC"
    start: dt.datetime | None = None
    end: dt.datetime | None = None

    def __post_init__(self) -> None:
        zone = ZoneInfo(self.timezone)
        object.__setattr__(self, "_start_at", self.start.replace(tzinfo=zone) if self.start else None)
        object.__setattr__(self, "_end_at", self.end.replace(tzinfo=zone) if self.end else None)

    def contains(self, now: dt.datetime) -> bool:
        start_at: dt.datetime | None = self._start_at  # type: ignore[attr-defined]
        end_at: dt.datetime | None = self._end_at  # type: ignore[attr-defined]
        return (start_at is None or start_at <= now) and (end_at is None or now < end_at)


@dataclass(frozen=True)
class FrequencyCap:
    per_session: int
    per_day: int


@dataclass(frozen=True)
class Campaign:
    id: str
    name: str
    status: str
    placements: tuple[str, ...]
    countries: tuple[str, ...]
    locales: tuple[str, ...]
    currency: str
    min_amount: int
    max_amount: int
    schedule: Schedule
    audience: Audience
    priority: int
    variants: tuple[Variant, ...]
    frequency_cap: FrequencyCap | None
    payment_options: tuple[PaymentOption, ...]
    copy: dict[str, dict[str, CopyMessage]]
    version: int = 1

    def option(self, option_id: str | None) -> PaymentOption | None:
        return next((o for o in self.payment_options if o.id == option_id), None)


def parse_campaign(doc: Any) -> Campaign:
    """Validate ``doc``; return a ``Campaign`` or raise ``CampaignInvalid`` with every problem."""
    p = Problems()
    if not isinstance(doc, dict):
        p.add("", "a campaign must be a JSON object")
        raise CampaignInvalid(p)
    campaign_id = _identifier(p, p.field(doc, "id", str, "", ""), "id")
    name = p.field(doc, "name", str, "", campaign_id, required=False)
    status = _choice(p, p.field(doc, "status", str, "", "active", required=False), STATUSES, "status")
    placements = _choices(
        p, p.field(doc, "placements", list, "", []), PLACEMENT_TYPES, "placements", non_empty=True
    )
    markets = p.field(doc, "markets", dict, "", {}, required=False)
    countries = _patterned(
        p,
        p.field(markets, "countries", list, "markets", [], required=False),
        COUNTRY,
        "markets.countries",
        "an ISO 3166 country code like 'SE'",
    )
    locales = _patterned(
        p,
        p.field(markets, "locales", list, "markets", [], required=False),
        LOCALE,
        "markets.locales",
        "a locale like 'sv-SE' or 'sv'",
    )
    amount = p.field(doc, "amount", dict, "", {})
    currency = p.field(amount, "currency", str, "amount", "XXX")
    p.check(bool(CURRENCY.match(currency)), "amount.currency", "must be an ISO 4217 code like 'EUR'")
    low = _amount(p, p.field(amount, "min", int, "amount", 0), "amount.min")
    high = _amount(p, p.field(amount, "max", int, "amount", MAX_AMOUNT), "amount.max")
    p.check(low <= high, "amount", f"min ({low}) must not be greater than max ({high})")
    options = tuple(
        p.each(p.field(doc, "payment_options", list, "", []), "payment_options", _option_parser(p))
    )
    p.check(
        bool(options) or "payment_options" not in doc or not isinstance(doc["payment_options"], list),
        "payment_options",
        "at least one payment option is required",
    )
    _unique(p, [o.id for o in options], "payment_options", "id")
    option_ids = {o.id for o in options}
    variants = tuple(
        p.each(
            p.field(doc, "variants", list, "", [], required=False), "variants", _variant_parser(p, option_ids)
        )
    )
    _unique(p, [v.id for v in variants], "variants", "id")
    p.check(
        len(variants) <= MAX_VARIANTS, "variants", f"at most {MAX_VARIANTS} variants, got {len(variants)}"
    )
    copy = _copy(p, p.field(doc, "copy", dict, "", {}, required=False), "copy")
    campaign = Campaign(
        id=campaign_id,
        name=name,
        status=status,
        placements=tuple(placements),
        countries=tuple(countries),
        locales=tuple(locales),
        currency=currency,
        min_amount=low,
        max_amount=high,
        schedule=_schedule(p, p.field(doc, "schedule", dict, "", {}, required=False)),
        audience=_audience(p, p.field(doc, "audience", dict, "", {}, required=False)),
        priority=p.field(doc, "priority", int, "", 0, required=False),
        variants=variants or (Variant("control", 1),),
        frequency_cap=_cap(p, p.field(doc, "frequency_cap", dict, "", None, required=False)),
        payment_options=options,
        copy=copy,
        version=p.field(doc, "version", int, "", 1, required=False),
    )
    if p:
        raise CampaignInvalid(p)
    return campaign


def _option_parser(p: Problems) -> Any:
    def parse(doc: Any, path: str) -> PaymentOption | None:
        if not isinstance(p.typed(doc, dict, path, None), dict):
            return None
        kind = _choice(p, p.field(doc, "type", str, path, ""), OPTION_TYPES, f"{path}.type")
        option = PaymentOption(
            id=_identifier(p, p.field(doc, "id", str, path, ""), f"{path}.id"),
            type=kind,
            min=_amount(p, p.field(doc, "min", int, path, 0, required=False), f"{path}.min"),
            max=_amount(p, p.field(doc, "max", int, path, MAX_AMOUNT, required=False), f"{path}.max"),
            installments=_bounded(p, doc, "installments", path, (2, 12), kind == "pay_in_n"),
            days=_bounded(p, doc, "days", path, (7, 120), kind == "pay_later"),
            months=_bounded(p, doc, "months", path, (3, 60), kind == "financing"),
            apr=float(p.field(doc, "apr", (int, float), path, 0.0, required=kind == "financing")),
        )
        p.check(0 <= option.apr < 100, f"{path}.apr", "must be a percentage between 0 and 100")
        p.check(
            option.min <= option.max, path, f"min ({option.min}) must not be greater than max ({option.max})"
        )
        return option

    return parse


def _variant_parser(p: Problems, option_ids: set[str]) -> Any:
    def parse(doc: Any, path: str) -> Variant | None:
        if not isinstance(p.typed(doc, dict, path, None), dict):
            return None
        weight = p.field(doc, "weight", int, path, 1)
        p.check(1 <= weight <= 10_000, f"{path}.weight", "must be an integer between 1 and 10000")
        lead = p.field(doc, "lead_option", str, path, None, required=False)
        if lead is not None:
            p.check(
                lead in option_ids,
                f"{path}.lead_option",
                f"must be one of the payment option ids, got {lead!r}",
            )
        copy = _copy(p, p.field(doc, "copy", dict, path, {}, required=False), f"{path}.copy")
        return Variant(_identifier(p, p.field(doc, "id", str, path, ""), f"{path}.id"), weight, lead, copy)

    return parse


def _schedule(p: Problems, doc: dict[str, Any]) -> Schedule:
    timezone = p.field(doc, "timezone", str, "schedule", "UTC", required=False)
    try:
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError, OSError):  # OSError: a name too long for a file, a directory
        p.add("schedule.timezone", f"unknown IANA time zone {quoted(timezone)} (e.g. 'Europe/Stockholm')")
        timezone = "UTC"
    start = _local_time(p, p.field(doc, "start", str, "schedule", None, required=False), "schedule.start")
    end = _local_time(p, p.field(doc, "end", str, "schedule", None, required=False), "schedule.end")
    if start and end:
        p.check(start < end, "schedule", "start must be before end")
    return Schedule(timezone, start, end)


def _local_time(p: Problems, value: str | None, path: str) -> dt.datetime | None:
    if value is None:
        return None
    try:
        parsed = dt.datetime.fromisoformat(value)
    except ValueError:
        p.add(path, f"must be a local date-time like '2026-12-01T00:00', got {value!r}")
        return None
    p.check(
        parsed.tzinfo is None, path, "must be a local time without offset: the time zone is schedule.timezone"
    )
    return parsed.replace(tzinfo=None)


def _audience(p: Problems, doc: dict[str, Any]) -> Audience:
    interests = p.field(doc, "interests", list, "audience", [], required=False)
    return Audience(
        interests=tuple(
            i
            for n, i in enumerate(interests)
            if p.check(
                isinstance(i, str) and 0 < len(i) <= 64,
                f"audience.interests[{n}]",
                "must be a non-empty string of at most 64 characters",
            )
        ),
        shopper=_choice(
            p, p.field(doc, "shopper", str, "audience", "any", required=False), SHOPPERS, "audience.shopper"
        ),
        devices=tuple(
            _choices(
                p, p.field(doc, "devices", list, "audience", [], required=False), DEVICES, "audience.devices"
            )
        ),
        page_types=tuple(
            _choices(
                p,
                p.field(doc, "page_types", list, "audience", [], required=False),
                PAGE_TYPES,
                "audience.page_types",
            )
        ),
    )


def _cap(p: Problems, doc: dict[str, Any] | None) -> FrequencyCap | None:
    if doc is None:
        return None
    per_session = p.field(doc, "per_session", int, "frequency_cap", 1)
    per_day = p.field(doc, "per_day", int, "frequency_cap", 1)
    p.check(0 <= per_session <= 100, "frequency_cap.per_session", "must be between 0 and 100")
    p.check(0 <= per_day <= 100, "frequency_cap.per_day", "must be between 0 and 100")
    return FrequencyCap(per_session, per_day)


def _copy(p: Problems, doc: dict[str, Any], path: str) -> dict[str, dict[str, CopyMessage]]:
    """Every text compiled once, here, so that a render never parses copy (docs/copy.md)."""
    copy: dict[str, dict[str, CopyMessage]] = {}
    for language, texts in doc.items():
        where = f"{path}.{language}"
        if not p.check(
            bool(LOCALE.match(language)), where, "the key must be a language or locale like 'en' or 'en-GB'"
        ):
            continue
        if isinstance(p.typed(texts, dict, where, None), dict):
            copy[language] = {}
            for name, text in texts.items():
                compiled = compile_copy_text(name, text)
                if isinstance(compiled, CopyError):
                    for message in compiled.messages:
                        p.add(f"{where}.{name}", message)
                else:
                    copy[language][name] = compiled
    return copy


def _identifier(p: Problems, value: str, path: str) -> str:
    p.check(bool(IDENTIFIER.match(value)), path, "must be 1-64 letters, digits, '_', '.' or '-'")
    return value


def _choice(p: Problems, value: str, options: tuple[str, ...], path: str) -> str:
    p.check(value in options, path, f"must be one of {', '.join(options)}, got {value!r}")
    return value


def _choices(
    p: Problems, values: list[Any], options: tuple[str, ...], path: str, non_empty: bool = False
) -> list[str]:
    if non_empty:
        p.check(bool(values), path, f"at least one of {', '.join(options)} is required")
    return [
        v
        for i, v in enumerate(values)
        if p.check(v in options, f"{path}[{i}]", f"must be one of {', '.join(options)}, got {v!r}")
    ]


def _patterned(p: Problems, values: list[Any], pattern: re.Pattern[str], path: str, what: str) -> list[str]:
    return [
        v
        for i, v in enumerate(values)
        if p.check(isinstance(v, str) and bool(pattern.match(v)), f"{path}[{i}]", f"must be {what}")
    ]


def _amount(p: Problems, value: int, path: str) -> int:
    p.check(0 <= value <= MAX_AMOUNT, path, "must be a non-negative amount in minor units")
    return value


def _bounded(
    p: Problems, doc: dict[str, Any], name: str, path: str, bounds: tuple[int, int], needed: bool
) -> int:
    if not needed:
        return 0
    value: int = p.field(doc, name, int, path, bounds[0])
    p.check(bounds[0] <= value <= bounds[1], f"{path}.{name}", f"must be between {bounds[0]} and {bounds[1]}")
    return value


def _unique(p: Problems, ids: list[str], path: str, name: str) -> None:
    seen: set[str] = set()
    for i, value in enumerate(ids):
        p.check(value not in seen, f"{path}[{i}].{name}", f"duplicate {name} {value!r}")
        seen.add(value)
