"""The attribution rule (pure): which messages a visit saw get the credit for its order.

``attribute(order, touches, window_s, model)`` returns the ``Credit`` list of one order
under one model; docs/attribution.md states the rule, tests/attribution/attribution_cases.json
holds it as data. No I/O, no clock: every time is in the arguments.

* A **touch** is a message event of the visit that shows intent or attention:
  ``impression`` (the viewable one), ``click`` or ``interstitial_open``. A ``view`` (the
  frame merely rendered a message) is not a touch.
* A touch counts when it is of the order's visit, has a campaign and a variant, and was
  recorded in ``[order.ts - window, order.ts + SKEW_MS]``; the same touch id counts once.
* ``last_touch``: the counting touch with the greatest ``(ts, seq)`` gets the order.
* ``any_touch``: each distinct (campaign, variant, placement) among the counting touches
  gets the order once, in the order of their latest touch.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

TOUCH_TYPES = ("impression", "click", "interstitial_open")
MODELS = ("last_touch", "any_touch")
# Touch and order times are server receive times; two servers' clocks (and a touch
# batch still in flight while the order arrives) may disagree by this much.
SKEW_MS = 2000


@dataclass(frozen=True)
class Touch:
    """One recorded message event: ``seq`` is its position in the visit's record (ties)."""

    id: str
    type: str
    ts: int
    visit_id: str
    campaign_id: str | None
    variant: str | None
    placement_key: str
    seq: int = 0


@dataclass(frozen=True)
class Order:
    """The order being attributed: its visit (None when the merchant did not pass it) and time."""

    order_id: str
    visit_id: str | None
    ts: int


@dataclass(frozen=True)
class Credit:
    """One (campaign, variant, placement) credited with the order under ``model``."""

    model: str
    campaign_id: str
    variant: str
    placement_key: str


def attribute(order: Order, touches: Iterable[Touch], window_s: int, model: str) -> list[Credit]:
    """The credits of ``order`` under ``model`` (``MODELS``); empty when no touch counts."""
    if model not in MODELS:
        raise ValueError(f"model must be one of {', '.join(MODELS)}")
    counting = sorted(_counting(order, touches, window_s), key=lambda t: (t.ts, t.seq))
    if not counting:
        return []
    if model == "last_touch":
        return [_credit(model, counting[-1])]
    latest: dict[tuple[str, str, str], Touch] = {}
    for touch in counting:
        latest[_target(touch)] = touch
    ordered = sorted(latest.values(), key=lambda t: (t.ts, t.seq))
    return [_credit(model, touch) for touch in ordered]


def _counting(order: Order, touches: Iterable[Touch], window_s: int) -> list[Touch]:
    if order.visit_id is None:
        return []
    earliest, latest = order.ts - window_s * 1000, order.ts + SKEW_MS
    seen: set[str] = set()
    kept = []
    for touch in touches:
        if (
            touch.type in TOUCH_TYPES
            and touch.visit_id == order.visit_id
            and touch.campaign_id
            and touch.variant
            and earliest <= touch.ts <= latest
            and touch.id not in seen
        ):
            seen.add(touch.id)
            kept.append(touch)
    return kept


def _target(touch: Touch) -> tuple[str, str, str]:
    return (touch.campaign_id or "", touch.variant or "", touch.placement_key)


def _credit(model: str, touch: Touch) -> Credit:
    campaign_id, variant, placement_key = _target(touch)
    return Credit(model, campaign_id, variant, placement_key)
