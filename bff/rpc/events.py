"""RPC method of monitoring: ``events.track``, a batch of events into the events stream."""

from __future__ import annotations

import time
from typing import Any

from flask import current_app, request
from flask_jsonrpc import JSONRPC

from bff.attribution.ingest import order_problem, record_batch
from bff.attribution.store import AttributionStore
from bff.errors import InvalidParams, ServiceUnavailable, StoreUnavailable, quoted
from bff.monitoring.ingest import stream
from bff.monitoring.ingest.event_auth import sender_merchant
from bff.monitoring.ingest.event_schema import Rejection, validate_event
from bff.monitoring.ingest.monitored_campaigns import (
    MESSAGE_FIELDS,
    Monitored,
    for_stream,
    monitored_variants,
)
from bff.monitoring.ingest.visit_dimensions import VisitDimensions
from bff.rate_limits import client_ip, enforce, key_identity, largest_cost
from bff.rpc.early_refusal import EVENTS_LIMIT
from bff.rpc.exposed import exposed
from bff.settings import Settings
from bff.store.connection import get_redis

MAX_EVENTS = 500


@exposed
def track(events: Any = None) -> dict[str, Any]:
    """Validate a batch of events and append the valid ones to the events stream.

    Frames send it as a JSON-RPC notification (no reply) with frame events; merchant
    servers call it with ``Authorization: Bearer <api key>`` and read the reply:
    ``{"accepted": <count>, "rejected": [{"index", "id", "reason"}]}``. A bad event is
    rejected on its own and never spoils the batch. The call returns only after the
    accepted events are in the stream; if that fails nothing is accepted (-32002) and the
    same batch can be resent: events are counted once per id.

    Touches and orders are recorded for attribution before the append
    (``bff.attribution.ingest``); an order report that does not count (a source the
    merchant does not count, or an order id already counted) is accepted and stored there
    but kept out of the stream, so the rollups count each order once. Events of a visit
    then get the visit's dimensions (``visit_dimensions``), and campaign and variant stay
    on the stream's copy only for the merchant's own campaigns (``monitored_campaigns``).

    Rate limits count events, not calls: per API key (``ONSITE_EVENTS_RATE_PER_KEY``) for
    merchant servers, per client address (``ONSITE_EVENTS_RATE_PER_IP``) for frames. A batch
    that does not fit in what is left is refused whole (-32005, ``data.retry_after_s``);
    one larger than the whole limit is invalid (-32602).
    """
    if not isinstance(events, list):
        raise InvalidParams("events", "is required: a list of event objects")
    if not 1 <= len(events) <= MAX_EVENTS:
        raise InvalidParams("events", f"must hold between 1 and {MAX_EVENTS} events; got {len(events)}")
    merchant = sender_merchant()
    settings: Settings = current_app.extensions["onsite.settings"]
    key = key_identity()
    if key is not None:
        _enforce("events.track/key", settings.events_rate_per_key, key, len(events))
    else:
        _enforce(EVENTS_LIMIT, settings.events_rate_per_ip, client_ip(), len(events))
    now_ms = int(time.time() * 1000)
    accepted: list[tuple[int, dict[str, Any]]] = []
    rejected: list[Rejection] = []
    for index, raw in enumerate(events):
        result = validate_event(raw, index=index, now_ms=now_ms, merchant=merchant)
        if isinstance(result, Rejection):
            rejected.append(result)
        else:
            accepted.append((index, result))
    merchants: dict[str, Any] = {}
    if merchant is None:
        accepted = _from_known_merchants(accepted, rejected, merchants)
    elif any(wire["type"] == "order_created" for _, wire in accepted):
        merchants[merchant] = _merchant(merchant)  # its order_source and window
    accepted = _valid_orders(accepted, rejected, merchants)
    if accepted:
        wires = [wire for _, wire in accepted]
        try:
            redis_client = get_redis()
            found = {client_id: m for client_id, m in merchants.items() if m is not None}
            keep = record_batch(AttributionStore(redis_client), wires, found, now_ms)
            kept = [wire for wire, counts in zip(wires, keep, strict=True) if counts]
            if kept:
                agent, languages = request.headers.get("User-Agent"), request.headers.get("Accept-Language")
                from_frame = merchant is None
                VisitDimensions(redis_client).join(
                    kept, from_frame=from_frame, user_agent=agent, accept_language=languages
                )
                stream.append_batch(
                    redis_client, _stream_wires(kept),
                    from_frame=from_frame, user_agent=agent, accept_language=languages,
                )  # fmt: skip
        except StoreUnavailable as exc:
            raise ServiceUnavailable() from exc
    return {
        "accepted": len(accepted),
        "rejected": [r.as_dict() for r in sorted(rejected, key=lambda r: r.index)],
    }


def _stream_wires(wires: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The wires as the stream gets them: campaign and variant only where the merchant's
    campaigns have them (``monitored_campaigns``: the bound on the rollups' combos)."""
    configs = current_app.extensions["onsite.merchants"]
    monitored: dict[str, Monitored] = {}
    for wire in wires:
        client_id = wire["client_id"]
        if client_id not in monitored and any(name in wire for name in MESSAGE_FIELDS):
            config = configs.fresh(client_id) or configs.load(client_id)
            monitored[client_id] = monitored_variants(config.campaigns) if config else frozenset()
    return [for_stream(wire, monitored.get(wire["client_id"], frozenset())) for wire in wires]


def _enforce(name: str, limit: str, key: str, count: int) -> None:
    if count > largest_cost(limit):
        raise InvalidParams(
            "events", f"must hold at most {largest_cost(limit)} events per call here (the limit is {limit})"
        )
    enforce(name, limit, key, cost=count)


def _merchant(client_id: str) -> Any:
    try:
        return current_app.extensions["onsite.merchants"].get(client_id)
    except StoreUnavailable as exc:
        raise ServiceUnavailable() from exc


def _valid_orders(
    accepted: list[tuple[int, dict[str, Any]]], rejected: list[Rejection], merchants: dict[str, Any]
) -> list[tuple[int, dict[str, Any]]]:
    """Drop the order reports their merchant refuses (``bff.attribution.ingest.order_problem``)."""
    kept = []
    for index, wire in accepted:
        merchant = merchants.get(wire["client_id"])
        problem = order_problem(wire, merchant) if merchant is not None else None
        if problem is None:
            kept.append((index, wire))
        else:
            rejected.append(Rejection(index, wire["id"], problem))
    return kept


def _from_known_merchants(
    accepted: list[tuple[int, dict[str, Any]]], rejected: list[Rejection], merchants: dict[str, Any]
) -> list[tuple[int, dict[str, Any]]]:
    """Keep frame events of known merchants whose page is on one of the merchant's origins
    (``merchants`` gets the documents read, None for an unknown client id)."""
    kept = []
    for index, wire in accepted:
        client_id = wire["client_id"]
        if client_id not in merchants:
            merchants[client_id] = _merchant(client_id)
        merchant = merchants[client_id]
        if merchant is None:
            rejected.append(
                Rejection(index, wire["id"], f"client_id {quoted(client_id)} is not a known merchant")
            )
        elif (
            "page_url_host" in wire
            and merchant.allowed_origins
            and not any(_host(origin) == wire["page_url_host"] for origin in merchant.allowed_origins)
        ):
            rejected.append(Rejection(index, wire["id"], "page_url is not on one of the merchant's origins"))
        else:
            kept.append((index, wire))
    return kept


def _host(origin: str) -> str:
    return origin.split("://", 1)[-1].rsplit(":", 1)[0].strip("[]")


def register(jsonrpc: JSONRPC) -> None:
    jsonrpc.register(track, name="events.track", validate=False)
