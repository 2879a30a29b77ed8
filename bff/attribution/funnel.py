"""The funnel counters: per merchant, UTC day, campaign, variant and placement, how often a
message was rendered, seen, clicked and opened, and how many distinct visits saw it.

* ``FunnelStore(client).record(wires, now_ms)``: one pipelined write per batch (called by
  ``bff.attribution.ingest.record_batch``): an ``HINCRBY`` per event type and target, and a
  ``PFADD`` of the visit's digest to its (campaign, variant) day and to the merchant's day.
* ``funnel(client_id, day_range)``: the counters as ``FunnelRow``s, one pipelined read.
* ``exposed_visits(client_id, campaign_id, variant, day_range)``: distinct visits exposed
  over those days (one ``PFCOUNT`` over the day keys: a union, so a visit seen on two days
  counts once); with ``campaign_id=None``, visits exposed to any campaign.

A visit is *exposed* when any of its events names the campaign and variant (a ``view``:
the message was rendered). Rendering, not viewability, is the exposure because viewability
can depend on the variant itself (a taller message is seen more), which would bias an
experiment. The visit id never reaches Redis in clear: the HyperLogLogs hold a BLAKE2b digest
keyed by the merchant id. Keys: ``bff/attribution/keys.py``; kept ``COUNTERS_TTL_S`` (400
days) like the attributed counters. Redis errors become ``StoreUnavailable``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import redis

from bff.attribution import keys
from bff.attribution.store import COUNTERS_TTL_S, day_hashes, day_strings
from bff.errors import StoreUnavailable

# The funnel's steps in order, and the name of each step's count on a ``FunnelRow``.
FUNNEL_TYPES = {"view": "views", "impression": "impressions", "click": "clicks", "interstitial_open": "opens"}


@dataclass(frozen=True)
class FunnelRow:
    """One day's counts of one (campaign, variant, placement)."""

    day: str
    campaign_id: str
    variant: str
    placement_key: str
    views: int = 0
    impressions: int = 0
    clicks: int = 0
    opens: int = 0


def visit_digest(client_id: str, visit_id: str) -> str:
    """The visit as the HyperLogLogs hold it: keyed by the merchant, so not joinable across them."""
    return hashlib.blake2b(visit_id.encode(), key=client_id.encode()[:64], digest_size=12).hexdigest()


def is_funnel_event(wire: Mapping[str, Any]) -> bool:
    """Whether ``wire`` is a message event that names its campaign, variant and placement."""
    return (
        wire.get("type") in FUNNEL_TYPES
        and "campaign_id" in wire
        and "variant" in wire
        and "placement_key" in wire
    )


class FunnelStore:
    """The funnel counters of every merchant, on one Redis client."""

    def __init__(self, client: redis.Redis) -> None:
        self._client = client

    def record(self, wires: Iterable[Mapping[str, Any]], now_ms: int) -> None:
        """Count the funnel events of ``wires`` (the caller keeps only known merchants')."""
        day = _day(now_ms)
        pipe = self._client.pipeline(transaction=False)
        touched: set[str] = set()
        for wire in wires:
            if not is_funnel_event(wire):
                continue
            client_id = wire["client_id"]
            counters = keys.funnel_key(client_id, day)
            name = f"{wire['campaign_id']}|{wire['variant']}|{wire['placement_key']}|{wire['type']}"
            pipe.hincrby(counters, name, 1)
            touched.add(counters)
            if wire.get("visit_id"):
                digest = visit_digest(client_id, wire["visit_id"])
                for key in (
                    keys.exposed_key(client_id, day, wire["campaign_id"], wire["variant"]),
                    keys.exposed_key(client_id, day),
                ):
                    pipe.pfadd(key, digest)
                    touched.add(key)
        if not touched:
            return
        for key in touched:
            pipe.expire(key, COUNTERS_TTL_S)
        try:
            pipe.execute()
        except redis.RedisError as exc:
            raise StoreUnavailable("could not count the funnel") from exc

    def funnel(self, client_id: str, day_range: tuple[dt.date, dt.date]) -> list[FunnelRow]:
        """The counters of the UTC days ``day_range`` (first, last; inclusive), by day and target."""
        rows: list[FunnelRow] = []
        for day, counters in day_hashes(
            self._client, day_range, lambda day: keys.funnel_key(client_id, day), "the funnel"
        ):
            rows += _rows(day, counters)
        return rows

    def exposed_visits(
        self, client_id: str, campaign_id: str | None, variant: str | None, day_range: tuple[dt.date, dt.date]
    ) -> int:
        """Distinct visits exposed over ``day_range`` (HyperLogLog: exact for small counts,
        about 0.8% off beyond a few hundred)."""
        day_keys = [keys.exposed_key(client_id, day, campaign_id, variant) for day in day_strings(day_range)]
        try:
            return int(self._client.pfcount(*day_keys))
        except redis.RedisError as exc:
            raise StoreUnavailable("could not count exposed visits") from exc


def _rows(day: str, counters: dict[bytes, bytes]) -> list[FunnelRow]:
    grouped: dict[tuple[str, str, str], dict[str, int]] = {}
    for raw_name, raw_value in counters.items():
        parts = raw_name.decode().split("|")
        if len(parts) != 4 or parts[3] not in FUNNEL_TYPES:
            continue
        campaign_id, variant, placement_key, kind = parts
        grouped.setdefault((campaign_id, variant, placement_key), {})[FUNNEL_TYPES[kind]] = int(raw_value)
    return [
        FunnelRow(day, campaign_id, variant, placement_key, **counts)
        for (campaign_id, variant, placement_key), counts in sorted(grouped.items())
    ]


def _day(ts_ms: int) -> str:
    return dt.datetime.fromtimestamp(ts_ms / 1000, dt.UTC).date().isoformat()
