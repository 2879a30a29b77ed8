"""Counters per event and the rates derived from them (pure).

Every combo counts, per minute, one counter per operation plus the outcome split of
authorizations. Rates are tested as proportions: ``numerator`` successes out of
``denominator`` trials, capped at 1 when tested. Both conversions are monitoring ratios
within the same minute rather than an exact funnel:

* ``conversion``: orders per session (server events), for the combos that have sessions;
* ``message_conversion``: orders per viewable impression. Widget events and the server's
  events of one visit share its browser, device, channel and country (the visit join,
  ``ingest.visit_dimensions``), so for ``merchant=m|browser=Firefox`` it is the orders of
  Firefox visits over the impressions of Firefox visits; for a campaign's variant
  (``merchant=m|campaign=c|variant=v``) it is the orders whose last touch showed the
  variant over the variant's impressions: the rate whose collapse names the variant.
"""

from __future__ import annotations

from typing import Any

COUNTERS = (
    "impression",
    "view",
    "click",
    "interstitial_open",
    "session",
    "authorization",
    "authorization_success",
    "authorization_failure",
    "order_created",
)
COUNTER_INDEX = {name: i for i, name in enumerate(COUNTERS)}
RATES: dict[str, tuple[str, str]] = {
    "click_through": ("click", "impression"),
    "authorization_success_rate": ("authorization_success", "authorization"),
    "conversion": ("order_created", "session"),
    "message_conversion": ("order_created", "impression"),
}
LABELS = {
    "impression": "impressions",
    "view": "views",
    "click": "clicks",
    "interstitial_open": "interstitial opens",
    "session": "sessions",
    "authorization": "authorizations",
    "authorization_success": "successful authorizations",
    "authorization_failure": "failed authorizations",
    "order_created": "orders",
    "click_through": "click-through rate",
    "authorization_success_rate": "authorization success rate",
    "conversion": "conversion rate (orders per session)",
    "message_conversion": "message conversion rate (orders per viewable impression)",
}


def counters_of(wire: dict[str, Any]) -> tuple[str, ...]:
    """The counters one event increments."""
    kind = wire["type"]
    if kind == "authorization":
        return (kind, f"authorization_{wire['outcome']}")
    return (kind,)


def is_rate(metric: str) -> bool:
    return metric in RATES
