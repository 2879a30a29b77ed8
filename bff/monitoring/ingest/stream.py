"""The events stream: append accepted batches, decode entries, and the applied watermark.

The stream is split into partitions by merchant (``bff/monitoring/partitions.py``; their
count: ``partition_layout``): a batch naming merchants of several partitions becomes one
entry in each, written in one pipeline, and a merchant's events stay in the order they
were received. One stream entry holds one accepted batch's events of one partition: ``src`` (``frame`` or
``server``), ``ua`` and ``al`` (the request's User-Agent and Accept-Language, needed for
enrichment) and ``ev`` (JSON list of wire events, without ``PRIVATE_FIELDS``: the visit
id serves attribution at ingest, never the rollups). The entry id is the receive time.
``XADD`` returns only once Redis has the entry; with AOF on (the embedded server runs
``appendonly yes``, ``appendfsync everysec``) it survives a restart of Redis.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import redis

from bff.errors import StoreUnavailable
from bff.monitoring import keys
from bff.monitoring.partition_layout import layout_of
from bff.monitoring.partitions import partition_of

PRIVATE_FIELDS = ("visit_id",)


@dataclass(frozen=True)
class StreamEntry:
    """A decoded stream entry: its id and receive time, the batch and its request context."""

    entry_id: str
    received_ms: int
    from_frame: bool
    user_agent: str | None
    accept_language: str | None
    events: list[dict[str, Any]]


def append_batch(
    client: redis.Redis,
    events: list[dict[str, Any]],
    *,
    from_frame: bool,
    user_agent: str | None,
    accept_language: str | None,
    partitions: int | None = None,
) -> str:
    """Append one batch of validated wire events; return the (last) entry id.

    ``partitions``: the partition count (default: the deployed one, ``layout_of``). Raises
    ``StoreUnavailable``; then none or only some partitions' entries may have been written,
    and the caller's resend is counted once (events are deduplicated by identity).
    """
    count = layout_of(client).count() if partitions is None else partitions
    context = {"src": "frame" if from_frame else "server", "ua": (user_agent or "")[:512],
               "al": (accept_language or "")[:256]}  # fmt: skip
    by_partition: dict[int, list[dict[str, Any]]] = {}
    for event in events:
        partition = partition_of(str(event.get("client_id", "")), count)
        by_partition.setdefault(partition, []).append(_public(event))
    try:
        if len(by_partition) == 1:
            ((partition, public),) = by_partition.items()
            ids = [client.xadd(keys.events_stream(partition), context | {"ev": _json(public)})]  # type: ignore[arg-type]
        else:
            with client.pipeline(transaction=False) as pipe:
                for partition, public in sorted(by_partition.items()):
                    pipe.xadd(keys.events_stream(partition), context | {"ev": _json(public)})  # type: ignore[arg-type]
                ids = pipe.execute()
    except redis.RedisError as exc:
        raise StoreUnavailable("could not append events to the stream") from exc
    entry_id = ids[-1]
    return entry_id.decode() if isinstance(entry_id, bytes) else str(entry_id)


def _json(events: list[dict[str, Any]]) -> str:
    return json.dumps(events, separators=(",", ":"))


def _public(event: dict[str, Any]) -> dict[str, Any]:
    return {name: value for name, value in event.items() if name not in PRIVATE_FIELDS}


def decode_entry(entry_id: bytes | str, fields: dict[bytes, bytes]) -> StreamEntry:
    """Decode a raw ``XREADGROUP`` entry (bytes, as redis-py returns it)."""
    text_id = entry_id.decode() if isinstance(entry_id, bytes) else entry_id
    return StreamEntry(
        entry_id=text_id,
        received_ms=int(text_id.split("-", 1)[0]),
        from_frame=fields.get(b"src") == b"frame",
        user_agent=(fields.get(b"ua") or b"").decode() or None,
        accept_language=(fields.get(b"al") or b"").decode() or None,
        events=json.loads(fields.get(b"ev") or b"[]"),
    )


def ensure_group(client: redis.Redis, partition: int | None = None) -> None:
    """Create the consumer group (from the start of the stream) unless it exists, on one
    partition's stream or (``None``) on every partition's."""
    count = layout_of(client).count()
    for p in range(count) if partition is None else (partition,):
        try:
            client.xgroup_create(keys.events_stream(p), keys.GROUP, id="0", mkstream=True)
        except redis.ResponseError as exc:
            if "BUSYGROUP" not in str(exc):
                raise


def applied_watermark_ms(client: redis.Redis, now_ms: int) -> int:
    """A time up to which every received event has been counted, in every partition.

    Entries not yet delivered to a worker, or delivered but not acknowledged, hold the
    watermark back to just before the oldest of them; with nothing outstanding it is
    ``now_ms`` (an idle stream means there is nothing missing, e.g. a full outage).
    """
    count = layout_of(client).count()
    return min(partition_watermark_ms(client, p, now_ms) for p in range(count))


def partition_watermark_ms(client: redis.Redis, partition: int, now_ms: int) -> int:
    """``applied_watermark_ms`` of one partition."""
    stream = keys.events_stream(partition)
    try:
        groups = client.xinfo_groups(stream)
    except redis.ResponseError:  # no stream yet: nothing was ever received
        return now_ms
    group = next((g for g in groups if _text(g.get("name")) == keys.GROUP), None)
    if group is None:
        return now_ms
    marks = [now_ms]
    pending = client.xpending(stream, keys.GROUP)
    if pending and pending.get("pending"):
        marks.append(_ms(pending["min"]) - 1)
    lag = group.get("lag")
    if lag is None:  # Redis cannot tell after some trims: compare with the last entry instead
        last = client.xinfo_stream(stream).get("last-generated-id")
        lag = 0 if _text(last) == _text(group.get("last-delivered-id")) else 1
    if int(lag) > 0:
        marks.append(_ms(group.get("last-delivered-id")))
    return max(0, min(marks))


def _text(value: Any) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)


def _ms(entry_id: Any) -> int:
    return int(_text(entry_id).split("-", 1)[0])
