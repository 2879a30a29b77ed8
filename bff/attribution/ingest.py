"""Attribution at ingest: the touches and orders of one accepted ``events.track`` batch.

Recorded at ingest (``bff/rpc/events.py``), not by the rollup worker, because the visit
id is needed and the events stream deliberately never holds it; the touches of a batch are
one pipelined write, the funnel counters (``bff.attribution.funnel``) one more, orders (rare)
one read and one script each.

``order_problem(wire, merchant)`` is the check of an order against its merchant (its
currency must be one the merchant sells in); ``record_batch`` records and says, per event,
whether it goes on to the events stream: every event but an order report that does not
count (a source the merchant does not count, or an order id already counted), so the
rollups count each order once. A counted order with a last touch gets that touch's
``campaign_id`` and ``variant`` in its wire, so the rollups count it under the variant
(docs/monitoring.md, "Dimensions").
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from bff.attribution.funnel import FunnelStore
from bff.attribution.rule import TOUCH_TYPES, Touch
from bff.attribution.store import AttributionStore, RecordedTouch, ReportedOrder
from bff.decisions.merchant import Merchant


def order_problem(wire: dict[str, Any], merchant: Merchant) -> str | None:
    """Why an order report of ``merchant`` is refused, or None."""
    if wire.get("type") != "order_created" or "order_id" not in wire:
        return None
    sold = sorted(set(merchant.currencies.values()))
    if sold and wire["currency"] not in sold:
        return f"currency {wire['currency']!r} is not one the merchant sells in ({', '.join(sold)})"
    return None


def counts_source(merchant: Merchant, source: str) -> bool:
    """Whether the merchant counts orders reported by ``source`` (``order_source``)."""
    return merchant.order_source in (source, "both")


def record_batch(
    store: AttributionStore, wires: Sequence[dict[str, Any]], merchants: Mapping[str, Merchant], now_ms: int
) -> list[bool]:
    """Record the batch's touches, then its orders; per wire, whether it goes to the stream.

    A counted order's wire gets the ``campaign_id`` and ``variant`` of its last touch (when
    it has one). Times are ``now_ms``, the server's receive time: shoppers' clocks are not
    trusted.
    """
    touches = [
        RecordedTouch(w["client_id"], merchants[w["client_id"]].attribution_window_days, _touch(w, i, now_ms))
        for i, w in enumerate(wires)
        if _is_touch(w) and w["client_id"] in merchants
    ]
    store.record_touches(touches)
    FunnelStore(store.client).record((w for w in wires if w["client_id"] in merchants), now_ms)
    keep = []
    for wire in wires:
        merchant = merchants.get(wire["client_id"])
        if wire["type"] != "order_created" or "order_id" not in wire or merchant is None:
            keep.append(True)
            continue
        outcome = store.record_order(
            _order(wire, now_ms),
            window_days=merchant.attribution_window_days,
            counts=counts_source(merchant, wire["source"]),
        )
        last = next((c for c in outcome.credits if c.model == "last_touch"), None)
        if outcome.counts and last is not None:
            wire["campaign_id"], wire["variant"] = last.campaign_id, last.variant
        keep.append(outcome.counts)
    return keep


def _is_touch(wire: dict[str, Any]) -> bool:
    return (
        wire["type"] in TOUCH_TYPES
        and "visit_id" in wire
        and "placement_key" in wire
        and "campaign_id" in wire
        and "variant" in wire
    )


def _touch(wire: dict[str, Any], index: int, now_ms: int) -> Touch:
    return Touch(
        id=wire["id"],
        type=wire["type"],
        ts=now_ms,
        visit_id=wire["visit_id"],
        campaign_id=wire["campaign_id"],
        variant=wire["variant"],
        placement_key=wire["placement_key"],
        seq=index,
    )


def _order(wire: dict[str, Any], now_ms: int) -> ReportedOrder:
    return ReportedOrder(
        client_id=wire["client_id"],
        event_id=wire["id"],
        order_id=wire["order_id"],
        visit_id=wire.get("visit_id"),
        source=wire["source"],
        amount=wire["amount"],
        currency=wire["currency"],
        ts=now_ms,
        payment_method=wire.get("payment_method"),
    )
