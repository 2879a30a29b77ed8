"""Enrichment of a validated event into its dimension values (pure; ua-parser, cached).

``enrich(wire, source=..., request_user_agent=..., accept_language=...)`` returns a dict
``dimension -> value`` for the dimensions the event has (see ``dimensions.DIMENSIONS``):

* ``merchant``: the event's ``client_id``.
* ``browser`` and ``device``: from the shopper's user agent. For frame events that is the
  request's ``User-Agent`` header (the frame runs in the shopper's browser); merchant
  servers may pass the shopper's agent in the event's ``user_agent`` field, and without it
  their events have no browser or device (the header would name the server's HTTP library).
  Browser is ua-parser's family (``Chrome``, ``Mobile Safari``...); device is ``mobile``,
  ``tablet``, ``desktop``, ``bot`` or ``other``.
* ``channel``: ``paid``, ``email``, ``social``, ``affiliate``, ``campaign`` (other UTM),
  ``search``, ``referral`` or ``direct``, from the UTM fields first, then the referrer's
  host (a referrer on the page's own host counts as direct).
* ``country``: the event's ``country``; else the region of its ``locale`` (the market the
  merchant rendered for); else the first region in ``Accept-Language`` (frames only: a
  server's header says nothing about the shopper); else ``ZZ`` (unknown).
* ``payment_method``: only for events that carry one (authorizations, some orders).
* ``campaign`` and ``variant``: the message a widget event showed (``campaign_id`` and
  ``variant``), or the one an order's last touch showed (set at ingest by attribution);
  only the variants of the merchant's configured campaigns reach the stream
  (``monitored_campaigns``), cut to ``safe_value``.

**The visit join.** Browser, device, channel and country describe the *visit*, not the
event: an event carrying ``visit`` (``browser|device|channel|country``, the visit's first
event with a user agent, remembered at ingest by ``visit_dimensions``) takes those four
values from it, whatever its own agent, referrer or locale say. So a merchant server's
order without a user agent still counts under the browser of the visit that saw the
message, and a visit that arrived from a search keeps ``channel=search`` on its later
pages (whose referrer is the shop itself). ``own_values`` are an event's values without
the join: what ingest remembers for a new visit (``visit_record``).
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from ua_parser import parse

UNKNOWN_COUNTRY = "ZZ"
SEARCH_HOSTS = ("google.", "bing.", "duckduckgo.", "yahoo.", "baidu.", "yandex.", "ecosia.", "startpage.")
SOCIAL_HOSTS = (
    "facebook.", "instagram.", "t.co", "twitter.", "x.com", "linkedin.", "pinterest.",
    "tiktok.", "reddit.", "youtube.", "snapchat.",
)  # fmt: skip
PAID_MEDIUMS = (
    "cpc",
    "ppc",
    "paid",
    "paidsearch",
    "paid_search",
    "paid-social",
    "paid_social",
    "cpm",
    "display",
)
SOCIAL_SOURCES = (
    "facebook",
    "instagram",
    "twitter",
    "x",
    "linkedin",
    "pinterest",
    "tiktok",
    "reddit",
    "youtube",
)
TABLET_FAMILIES = ("iPad", "Kindle", "Tablet", "Galaxy Tab", "Nexus 7", "Nexus 9", "Nexus 10")
MOBILE_OS = ("iOS", "Android", "Windows Phone", "KaiOS")
UNSAFE_VALUE = re.compile(r"[^A-Za-z0-9 _.+-]")
REGION = re.compile(r"^[a-zA-Z]{2,3}(?:-[a-zA-Z]{4})?-([a-zA-Z]{2})\b")


VISIT_DIMENSIONS = ("browser", "device", "channel", "country")


def enrich(
    wire: dict[str, Any], *, from_frame: bool, request_user_agent: str | None, accept_language: str | None
) -> dict[str, str]:
    """Dimension values of one validated event (see the module docstring)."""
    values: dict[str, str] = {"merchant": wire["client_id"]}
    visit = parse_visit(wire.get("visit"))
    if visit is None:
        visit = own_values(wire, from_frame, request_user_agent, accept_language)
    values.update(visit)
    if wire.get("campaign_id") and wire.get("variant"):
        values["campaign"] = safe_value(wire["campaign_id"])
        values["variant"] = safe_value(wire["variant"])
    if "payment_method" in wire:
        values["payment_method"] = wire["payment_method"]
    return values


def own_values(
    wire: dict[str, Any], from_frame: bool, request_user_agent: str | None, accept_language: str | None
) -> dict[str, str]:
    """The event's own browser and device (with a user agent), channel and country: no visit join."""
    values: dict[str, str] = {}
    agent = wire.get("user_agent") or (request_user_agent if from_frame else None)
    if agent:
        values["browser"], values["device"] = browser_and_device(agent)
    values["channel"] = classify_channel(
        wire.get("utm_source"), wire.get("utm_medium"), wire.get("referrer_host"), wire.get("page_url_host")
    )
    values["country"] = country_of(
        wire.get("country"), wire.get("locale"), accept_language if from_frame else None
    )
    return values


def visit_record(values: dict[str, str]) -> str | None:
    """``browser|device|channel|country`` of ``own_values``; None without a browser (no agent):
    such an event cannot tell the visit's browser, so it never starts the visit's record."""
    if not all(name in values for name in VISIT_DIMENSIONS):
        return None
    return "|".join(values[name] for name in VISIT_DIMENSIONS)


def parse_visit(record: Any) -> dict[str, str] | None:
    """The values of a ``visit_record``; None for anything else (absent, malformed, unsafe)."""
    if not isinstance(record, str):
        return None
    parts = record.split("|")
    if len(parts) != len(VISIT_DIMENSIONS) or any(not part or safe_value(part) != part for part in parts):
        return None
    return dict(zip(VISIT_DIMENSIONS, parts, strict=True))


@lru_cache(maxsize=8192)
def browser_and_device(user_agent: str) -> tuple[str, str]:
    """``(browser family, device class)`` of a user agent; ``("Other", "other")`` when unknown."""
    result = parse(user_agent[:512])
    browser = result.user_agent.family if result.user_agent else "Other"
    family = result.device.family if result.device else "Other"
    os_family = result.os.family if result.os else "Other"
    if family == "Spider":
        device = "bot"
    elif any(name in family for name in TABLET_FAMILIES) or (
        os_family == "Android" and "Mobile" not in user_agent
    ):
        device = "tablet"
    elif os_family in MOBILE_OS or "Mobile" in user_agent:
        device = "mobile"
    elif os_family in ("Windows", "Mac OS X", "Linux", "Ubuntu", "Chrome OS", "Fedora", "FreeBSD"):
        device = "desktop"
    else:
        device = "other"
    return safe_value(browser), device


@lru_cache(maxsize=4096)
def classify_channel(
    utm_source: str | None, utm_medium: str | None, referrer_host: str | None, page_host: str | None
) -> str:
    """The acquisition channel (see the module docstring for the order of the rules)."""
    medium = (utm_medium or "").lower()
    source = (utm_source or "").lower()
    if medium or source:
        if medium in PAID_MEDIUMS or medium.startswith("paid"):
            return "paid"
        if medium in ("email", "e-mail", "newsletter"):
            return "email"
        if medium in ("social", "social-network", "sm") or source in SOCIAL_SOURCES:
            return "social"
        if medium in ("affiliate", "partner"):
            return "affiliate"
        return "campaign"
    host = (referrer_host or "").lower()
    if not host or host == (page_host or "").lower():
        return "direct"
    if _host_matches(host, SEARCH_HOSTS):
        return "search"
    if _host_matches(host, SOCIAL_HOSTS):
        return "social"
    return "referral"


def country_of(country: str | None, locale: str | None, accept_language: str | None) -> str:
    """ISO country: the explicit field, the locale's region, Accept-Language's first region, or ZZ."""
    if country:
        return country
    for tag in ([locale] if locale else []) + _language_tags(accept_language):
        match = REGION.match(tag)
        if match and match.group(1).isalpha():
            return match.group(1).upper()
    return UNKNOWN_COUNTRY


def safe_value(value: str) -> str:
    """A dimension value fit for a combination key: no ``|``, ``=`` or ``#``, at most 40 chars."""
    return UNSAFE_VALUE.sub("_", value)[:40] or "_"


def _language_tags(header: str | None) -> list[str]:
    """Accept-Language tags ordered by quality (highest first; ties keep header order)."""
    if not header:
        return []
    weighted: list[tuple[float, int, str]] = []
    for position, part in enumerate(header[:256].split(",")):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        if tag and tag != "*":
            weighted.append((-quality, position, tag.strip()))
    return [tag for _, _, tag in sorted(weighted)]


def _host_matches(host: str, patterns: tuple[str, ...]) -> bool:
    labels = host.split(".")
    suffixes = {".".join(labels[i:]) for i in range(len(labels))}
    for pattern in patterns:
        if pattern.endswith("."):
            if any(label + "." == pattern for label in labels):
                return True
        elif pattern in suffixes:
            return True
    return False
