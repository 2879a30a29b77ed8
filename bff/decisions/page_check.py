"""Why a merchant's placements would not show on a page of some origin (pure).

* ``frame_cause(merchant, origin)`` is the answer of ``/frame/check.js`` (the loader's
  warning): ``unknown_client`` (no such merchant, or a disabled one: the two look the same
  to a page), ``origin_not_allowed`` or ``ok``.
* ``page_checks(merchant, origin, live_campaigns)`` is the console's "check my page": one
  ``Check`` per thing a page needs (origin allowed, client live, a market, a placement, a
  live campaign), each with a sentence for the merchant. When the origin is not allowed,
  the sentence names the near misses the allow-list holds (the ``www.`` twin, another port
  or scheme of the same host), since those are the usual mistakes.

Origins are compared exactly, as the frame shell's ``frame-ancestors`` does.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from bff.decisions.merchant import Merchant
from bff.decisions.merchant_origins import www_twin

UNKNOWN_CLIENT = "unknown_client"
ORIGIN_NOT_ALLOWED = "origin_not_allowed"
OK = "ok"


@dataclass(frozen=True)
class Check:
    name: str  # origin_allowed, client_live, has_market, has_placement, has_campaign
    ok: bool
    text: str


def frame_cause(merchant: Merchant | None, origin: str | None) -> str:
    """``unknown_client``, ``origin_not_allowed`` or ``ok`` for frames of ``merchant`` on ``origin``."""
    if merchant is None or merchant.disabled:
        return UNKNOWN_CLIENT
    if origin is None or origin not in merchant.allowed_origins:
        return ORIGIN_NOT_ALLOWED
    return OK


def page_checks(merchant: Merchant, origin: str, live_campaigns: int) -> list[Check]:
    """What a page on ``origin`` needs of ``merchant``, each passed or failed with a sentence."""
    allowed = origin in merchant.allowed_origins
    return [
        Check("origin_allowed", allowed, _origin_text(merchant, origin, allowed)),
        Check(
            "client_live",
            not merchant.disabled,
            f"The client id {merchant.client_id} is live."
            if not merchant.disabled
            else f"The client id {merchant.client_id} is disabled: its placements show nothing.",
        ),
        Check(
            "has_market",
            bool(merchant.markets or merchant.currencies),
            "It sells in at least one market."
            if merchant.markets or merchant.currencies
            else "It has no market yet: add one (country, locale, currency) in Settings.",
        ),
        Check(
            "has_placement",
            bool(merchant.placements),
            f"It has {len(merchant.placements)} placement key(s)."
            if merchant.placements
            else "It has no placement key yet: add one in Settings.",
        ),
        Check(
            "has_campaign",
            live_campaigns > 0,
            f"It has {live_campaigns} active campaign(s)."
            if live_campaigns
            else "It has no active campaign: placements stay empty until one is published.",
        ),
    ]


def near_misses(allowed_origins: tuple[str, ...], origin: str) -> list[str]:
    """Allowed origins that differ from ``origin`` only by ``www.``, port or scheme."""
    twin = www_twin(origin)
    host = urlsplit(origin).hostname
    return [o for o in allowed_origins if o != origin and (o == twin or urlsplit(o).hostname == host)]


def _origin_text(merchant: Merchant, origin: str, allowed: bool) -> str:
    if allowed:
        return f"{origin} is an allowed origin."
    near = near_misses(merchant.allowed_origins, origin)
    if not near:
        return f"{origin} is not an allowed origin: allow it, or the browser refuses the frames."
    listed = " and ".join(near) if len(near) < 3 else ", ".join(near)
    return (
        f"{origin} is not an allowed origin, but {listed} {'is' if len(near) == 1 else 'are'}: "
        "origins must match exactly (www., scheme and port included), so allow this one too."
    )
