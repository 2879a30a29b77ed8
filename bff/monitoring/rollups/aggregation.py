"""A batch of enriched events -> counter increments per minute (pure).

Events are counted in the minute the server received them (the stream entry's id is the
receive time in ms), not by the client's ``ts``: browser clocks drift, and the detector
needs a minute to be complete once the stream has been consumed past its end.

An increment is keyed by ``(minute, bucket, field)``: ``minute`` is ``ms // 60000``,
``bucket`` the merchant (or ``*`` for cross-merchant combos) that the storage groups
fields by, and ``field`` is ``<combo>#<counter>``.

Idempotency windows: an event's identity is ``<client_id>:<id>``, remembered in the set of
its receive time's ``DEDUP_BUCKET_MS`` bucket; a new event is checked against the
``DEDUP_BUCKETS_CHECKED`` most recent buckets, so any duplicate received within 90 minutes
of the original is recognised, which covers the accepted ``ts`` window (60 minutes back,
5 ahead) plus 25 minutes of consumer lag.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from bff.monitoring.dimensions import COMBINATIONS, DIMENSIONS, Combination, bucket_of, combos_of
from bff.monitoring.metrics import counters_of

MINUTE_MS = 60_000
DEDUP_BUCKET_MS = 30 * 60_000
DEDUP_BUCKETS_CHECKED = 4

Increment = tuple[int, str, str]


@dataclass(frozen=True)
class CountedEvent:
    """One event ready to be counted: identity, receive time, dimension values, counters."""

    identity: str
    received_ms: int
    values: dict[str, str]
    counters: tuple[str, ...]


def counted_event(wire: dict[str, Any], received_ms: int, values: dict[str, str]) -> CountedEvent:
    return CountedEvent(f"{wire['client_id']}:{wire['id']}", received_ms, values, counters_of(wire))


def minute_of(ms: int) -> int:
    return ms // MINUTE_MS


def dedup_bucket(ms: int) -> int:
    return ms // DEDUP_BUCKET_MS


def dedup_buckets_to_check(received_ms: Iterable[int]) -> list[int]:
    """Every bucket a batch received in, plus the ``DEDUP_BUCKETS_CHECKED - 1`` before the first."""
    buckets = {dedup_bucket(ms) for ms in received_ms}
    if not buckets:
        return []
    return list(range(min(buckets) - DEDUP_BUCKETS_CHECKED + 1, max(buckets) + 1))


def increments(
    events: Iterable[CountedEvent], combinations: tuple[Combination, ...] = COMBINATIONS
) -> Counter[Increment]:
    """Sum of the counter increments of ``events`` (callers remove duplicates first).

    Events of one batch mostly share their values (a visit's events, a merchant's traffic):
    the fields of each distinct (values, counters) are built once per call.
    """
    total: Counter[Increment] = Counter()
    fields_of: dict[tuple[Any, ...], list[tuple[str, str]]] = {}
    for event in events:
        minute = event.received_ms // MINUTE_MS
        signature = (*(event.values.get(name) for name in DIMENSIONS), event.counters)
        fields = fields_of.get(signature)
        if fields is None:
            fields = fields_of[signature] = [
                (bucket_of(combo), f"{combo}#{counter}")
                for combo in combos_of(event.values, combinations)
                for counter in event.counters
            ]
        for bucket, field in fields:
            total[(minute, bucket, field)] += 1
    return total


def unique_by_identity(events: Iterable[CountedEvent]) -> list[CountedEvent]:
    """Keep the first of events sharing an identity (a client retried within one batch)."""
    seen: set[str] = set()
    unique = []
    for event in events:
        if event.identity not in seen:
            seen.add(event.identity)
            unique.append(event)
    return unique
