"""Counters per event and the rates derived from them (pure).

Every combo counts, per minute, one counter per operation plus the outcome split of
authorizations. Rates are tested as proportions: ``numerator`` successes out of
``denominator`` trials (``conversion`` is orders per session within the same minute, a
monitoring ratio rather than an exact funnel, and is capped at 1 when tested).
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
}


def counters_of(wire: dict[str, Any]) -> tuple[str, ...]:
    """The counters one event increments."""
    kind = wire["type"]
    if kind == "authorization":
        return (kind, f"authorization_{wire['outcome']}")
    return (kind,)


def is_rate(metric: str) -> bool:
    return metric in RATES
