"""Partitioned events stream against a real Redis: workers share the partitions, every event
is counted exactly once, and a merchant's events are counted in the order received."""

from __future__ import annotations

import json
import time
import uuid
from typing import Any

import redis

from bff.monitoring import keys
from bff.monitoring.ingest import stream
from bff.monitoring.partition_layout import set_partition_count
from bff.monitoring.partitions import partition_of
from bff.monitoring.rollups.aggregation import CountedEvent
from bff.monitoring.rollups.store import RollupStore
from bff.monitoring.rollups.worker import RollupWorker, WorkerConfig

MERCHANTS = [f"shop{i}" for i in range(10)]
PARTITIONS = 4


def fill(client: redis.Redis, batches: int) -> int:
    """Frame batches naming several merchants each; event ids carry a per-merchant sequence."""
    seq = dict.fromkeys(MERCHANTS, 0)
    now_ms = int(time.time() * 1000)
    total = 0
    for b in range(batches):
        events: list[dict[str, Any]] = []
        for j in range(6):
            merchant = MERCHANTS[(b * 3 + j) % len(MERCHANTS)]
            seq[merchant] += 1
            event_id = f"{merchant}.{seq[merchant]:06d}.{uuid.uuid4().hex[:6]}"
            events.append({"id": event_id, "type": "impression", "client_id": merchant, "ts": now_ms,
                           "placement_key": "badge", "locale": "sv-SE"})  # fmt: skip
        stream.append_batch(client, events, from_frame=True, user_agent=None, accept_language=None)
        total += len(events)
    return total


def sequence(identity: str) -> tuple[str, int]:
    merchant, rest = identity.split(":", 1)
    return merchant, int(rest.split(".")[1])


def drained(client: redis.Redis) -> bool:
    for p in range(PARTITIONS):
        group = next(g for g in client.xinfo_groups(keys.events_stream(p)) if g["name"] == b"rollup")
        if int(group["pending"]) or int(group["lag"] or 0):
            return False
    return True


def test_a_batch_is_split_by_merchant_and_keeps_each_merchants_order(redis_client: redis.Redis) -> None:
    set_partition_count(redis_client, PARTITIONS)
    fill(redis_client, batches=20)
    for p in range(PARTITIONS):
        events = [e for _, f in redis_client.xrange(keys.events_stream(p)) for e in json.loads(f[b"ev"])]
        assert events, f"partition {p} got nothing"
        assert {partition_of(e["client_id"], PARTITIONS) for e in events} == {p}
        for merchant in {e["client_id"] for e in events}:
            order = [int(e["id"].split(".")[1]) for e in events if e["client_id"] == merchant]
            assert order == list(range(1, len(order) + 1))


def test_two_workers_over_four_partitions_count_everything_exactly_once(redis_client: redis.Redis) -> None:
    set_partition_count(redis_client, PARTITIONS)
    total = fill(redis_client, batches=400)
    stream.ensure_group(redis_client)
    committed: list[tuple[str, int, list[str], list[str]]] = []

    def recording(worker: RollupWorker) -> RollupWorker:
        real = worker.store.commit

        def commit(events: list[CountedEvent], entry_ids: list[str], partition: int = 0) -> int:
            committed.append(
                (worker.config.consumer, partition, list(entry_ids), [e.identity for e in events])
            )
            return real(events, entry_ids, partition)

        worker.store.commit = commit  # type: ignore[method-assign]
        return worker

    config = {"block_ms": 5, "batch_entries": 3, "lease_ms": 400}
    first = recording(RollupWorker(redis_client, WorkerConfig(consumer="first", **config)))  # type: ignore[arg-type]
    second = recording(RollupWorker(redis_client, WorkerConfig(consumer="second", **config)))  # type: ignore[arg-type]
    first.step()  # alone: it takes every partition
    assert first.partitions == [0, 1, 2, 3]
    deadline = time.monotonic() + 60
    while not drained(redis_client) and time.monotonic() < deadline:
        first.step()
        second.step()
    assert drained(redis_client)
    assert len(first.partitions) == 2 and len(second.partitions) == 2  # the second got its share
    assert not set(first.partitions) & set(second.partitions)
    by_worker = {name: {p for n, p, _, _ in committed if n == name} for name in ("first", "second")}
    assert by_worker["second"], "the second worker never counted anything"
    # every entry committed once, by one worker (entry ids are unique within their stream)
    entries = [(p, e) for _, p, ids, _ in committed for e in ids]
    stored = sum(redis_client.xlen(keys.events_stream(p)) for p in range(PARTITIONS))
    assert len(entries) == len(set(entries)) == stored
    assert first.counted + second.counted == total
    minute = int(time.time() * 1000) // 60_000
    tables = [RollupStore(redis_client).minute(m) for m in (minute - 1, minute)]
    assert sum(t.get("*", [0])[0] for t in tables) == total  # impressions in the global total
    for merchant in MERCHANTS:
        merchant_total = sum(t.get(f"merchant={merchant}", [0])[0] for t in tables)
        assert merchant_total == sum(
            1 for _, _, _, ids in committed for i in ids if i.startswith(f"{merchant}:")
        )
    # a merchant's events were committed in the order they were received, across the hand-over
    seen: dict[str, int] = {}
    for _, _, _, identities in committed:
        for identity in identities:
            merchant, number = sequence(identity)
            assert number == seen.get(merchant, 0) + 1, f"{merchant} out of order"
            seen[merchant] = number


def test_a_stopped_worker_gives_its_partitions_back_at_once(redis_client: redis.Redis) -> None:
    set_partition_count(redis_client, PARTITIONS)
    stream.ensure_group(redis_client)
    leaving = RollupWorker(redis_client, WorkerConfig(consumer="leaving", block_ms=5, lease_ms=60_000))
    leaving.run(should_stop=iter([False, True]).__next__)
    staying = RollupWorker(redis_client, WorkerConfig(consumer="staying", block_ms=5, lease_ms=60_000))
    staying.step()
    assert staying.partitions == [0, 1, 2, 3]


def test_the_watermark_waits_for_the_slowest_partition(redis_client: redis.Redis) -> None:
    set_partition_count(redis_client, PARTITIONS)
    stream.ensure_group(redis_client)
    now_ms = int(time.time() * 1000) + 60_000
    assert stream.applied_watermark_ms(redis_client, now_ms) == now_ms
    fill(redis_client, batches=1)
    behind = stream.applied_watermark_ms(redis_client, now_ms)
    assert behind < now_ms - 50_000
    worker = RollupWorker(redis_client, WorkerConfig(consumer="w", block_ms=5))
    while worker.step():
        pass
    assert stream.applied_watermark_ms(redis_client, now_ms) == now_ms


def test_monitor_partitions_shows_and_sets_the_count(app, redis_client: redis.Redis) -> None:  # type: ignore[no-untyped-def]
    runner = app.test_cli_runner()
    assert runner.invoke(args=["monitor", "partitions"]).output.strip() == "1"
    assert runner.invoke(args=["monitor", "partitions", "--set", "4"]).output.strip() == "4"
    assert redis_client.get(keys.partition_count_key()) == b"4"
    refused = runner.invoke(args=["monitor", "partitions", "--set", "65"])
    assert refused.exit_code != 0 and "1 to 64" in refused.output
    assert redis_client.get(keys.partition_count_key()) == b"4"
