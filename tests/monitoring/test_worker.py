"""The rollup worker against a real Redis: exact counts despite duplicates and a killed worker."""

from __future__ import annotations

import json
import signal
import time
import uuid
from collections import Counter
from typing import Any

import redis

from bff.monitoring import keys
from bff.monitoring.ingest import stream
from bff.monitoring.ingest.enrichment import enrich
from bff.monitoring.rollups.aggregation import counted_event, increments
from bff.monitoring.rollups.store import RollupStore
from bff.monitoring.rollups.worker import RollupWorker, WorkerConfig
from bff.store import keys as bff_keys
from bff.store.aof_rewrites import AofRewrites

CHROME = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/120.0.0.0 Safari/537.36"
)
FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"


def make_batch(i: int, now_ms: int, size: int) -> tuple[list[dict[str, Any]], bool, str]:
    """A deterministic batch: frame impressions/clicks, or server sessions/authorizations."""
    merchant = f"m{i % 3}"
    if i % 2:
        kinds = ["impression", "click", "view"]
        events = [
            {
                "id": str(uuid.uuid4()),
                "type": kinds[j % 3],
                "client_id": merchant,
                "ts": now_ms,
                "placement_key": "badge",
                "locale": ["sv-SE", "de-DE"][j % 2],
            }
            for j in range(size)
        ]
        return events, True, [CHROME, FIREFOX][i // 2 % 2]
    events = []
    for j in range(size):
        if j % 3 == 0:
            events.append(
                {
                    "id": str(uuid.uuid4()),
                    "type": "session",
                    "client_id": merchant,
                    "ts": now_ms,
                    "country": "SE",
                }
            )
        else:
            events.append(
                {
                    "id": str(uuid.uuid4()),
                    "type": "authorization",
                    "client_id": merchant,
                    "ts": now_ms,
                    "outcome": ["success", "failure"][j % 2],
                    "payment_method": "pay_in_4",
                    "user_agent": FIREFOX,
                }
            )
    return events, False, "merchant-server/1.0"


def fill_stream(client: redis.Redis, batches: int, size: int, duplicate_every: int = 7) -> None:
    """Append ``batches`` entries; every ``duplicate_every``-th one re-sends the previous batch."""
    now_ms = int(time.time() * 1000)
    previous = None
    for i in range(batches):
        if previous is not None and i % duplicate_every == 0:
            stream.append_batch(
                client, previous[0], from_frame=previous[1], user_agent=previous[2], accept_language="sv-SE"
            )
            continue
        previous = make_batch(i, now_ms, size)
        stream.append_batch(
            client, previous[0], from_frame=previous[1], user_agent=previous[2], accept_language="sv-SE"
        )


def expected_counts(client: redis.Redis) -> Counter:  # type: ignore[type-arg]
    """What the rollups must hold: every distinct event id counted once, in its receive minute."""
    events, seen = [], set()
    for raw_id, fields in client.xrange(keys.events_stream()):
        entry = stream.decode_entry(raw_id, fields)
        for wire in entry.events:
            if (wire["client_id"], wire["id"]) in seen:
                continue
            seen.add((wire["client_id"], wire["id"]))
            values = enrich(
                wire,
                from_frame=entry.from_frame,
                request_user_agent=entry.user_agent,
                accept_language=entry.accept_language,
            )
            events.append(counted_event(wire, entry.received_ms, values))
    return increments(events)


def stored_counts(client: redis.Redis, minutes: set[int]) -> Counter:  # type: ignore[type-arg]
    stored: Counter = Counter()  # type: ignore[type-arg]
    for minute in minutes:
        for bucket in client.smembers(keys.minute_buckets_key(minute)):
            for field, value in client.hgetall(keys.rollup_key(minute, bucket.decode())).items():
                stored[(minute, bucket.decode(), field.decode())] = int(value)
    return stored


def drained(client: redis.Redis) -> bool:
    group = next(g for g in client.xinfo_groups(keys.events_stream()) if g["name"] == keys.GROUP.encode())
    return int(group["pending"]) == 0 and int(group["lag"] or 0) == 0


def test_a_worker_counts_each_event_once_and_acknowledges_everything(redis_client) -> None:  # type: ignore[no-untyped-def]
    fill_stream(redis_client, batches=30, size=20)
    stream.ensure_group(redis_client)
    worker = RollupWorker(redis_client, WorkerConfig(consumer="solo", block_ms=10, batch_entries=7))
    while worker.step():
        pass
    expected = expected_counts(redis_client)
    assert stored_counts(redis_client, {m for m, _, _ in expected}) == expected
    assert drained(redis_client)
    minute = next(iter(expected))[0]
    table = RollupStore(redis_client).minute(minute)
    distinct = len(
        {
            (e["client_id"], e["id"])
            for _, f in redis_client.xrange(keys.events_stream())
            for e in json.loads(f[b"ev"])
        }
    )
    assert sum(table["*"][i] for i in (0, 1, 2, 4, 5)) == distinct  # every event once in the global total


def test_a_redelivered_batch_is_not_counted_twice(redis_client) -> None:  # type: ignore[no-untyped-def]
    fill_stream(redis_client, batches=4, size=10, duplicate_every=100)
    stream.ensure_group(redis_client)
    first = RollupWorker(redis_client, WorkerConfig(consumer="first", block_ms=10))
    response = redis_client.xreadgroup(keys.GROUP, "first", {keys.events_stream(): ">"}, count=2)
    entries = [(i, f) for _, items in response for i, f in items]
    first._process(entries)  # counted and acknowledged
    redis_client.xgroup_setid(
        keys.events_stream(), keys.GROUP, "0"
    )  # the group forgets: everything redelivered
    second = RollupWorker(redis_client, WorkerConfig(consumer="second", block_ms=10))
    while second.step():
        pass
    expected = expected_counts(redis_client)
    assert stored_counts(redis_client, {m for m, _, _ in expected}) == expected


def test_killing_a_worker_mid_stream_keeps_every_count_exact(redis_client, monitor_process) -> None:  # type: ignore[no-untyped-def]
    fill_stream(redis_client, batches=1500, size=12)
    stream.ensure_group(redis_client)
    total = sum(1 for _ in redis_client.xrange(keys.events_stream()))
    victim = monitor_process("run", "--consumer", "victim", "--batch", "1")
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        group = next(g for g in redis_client.xinfo_groups(keys.events_stream()) if g["name"] == b"rollup")
        if int(group["entries-read"] or 0) >= total // 4:
            break
        time.sleep(0.005)
    victim.send_signal(signal.SIGKILL)
    victim.wait(10)
    group = next(g for g in redis_client.xinfo_groups(keys.events_stream()) if g["name"] == b"rollup")
    assert 0 < int(group["entries-read"]) < total, "the worker must die in the middle of the stream"
    # the victim comes back under its own name (re-reads its pending entries), and a second
    # worker joins (claims whatever the victim left pending once it is idle for 300 ms)
    monitor_process("run", "--consumer", "victim", "--batch", "50")
    monitor_process("run", "--consumer", "helper", "--batch", "50", "--claim-idle-ms", "300")
    deadline = time.monotonic() + 60
    while not drained(redis_client) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert drained(redis_client)
    expected = expected_counts(redis_client)
    assert stored_counts(redis_client, {m for m, _, _ in expected}) == expected


def test_the_worker_runs_its_chores_when_it_trims(redis_client) -> None:  # type: ignore[no-untyped-def]
    stream.ensure_group(redis_client)
    runs: list[str] = []
    config = WorkerConfig(consumer="chores", block_ms=10, trim_every_s=0)
    worker = RollupWorker(redis_client, config, chores=[lambda: runs.append("a"), lambda: runs.append("b")])
    worker.step()
    worker.step()
    assert runs == ["a", "b", "a", "b"]


def test_monitor_run_rewrites_the_aof_an_erasure_left_due(app, redis_client) -> None:  # type: ignore[no-untyped-def]
    assert AofRewrites(redis_client, 0).wait_until_rewritten(30)  # an earlier test's rewrite is over
    redis_client.hset(bff_keys.aof_rewrite_key(), mapping={"erasures": 2, "covered": 1, "attempted_at": 0})
    before = redis_client.info("persistence")["aof_rewrites"]
    handlers = {signum: signal.getsignal(signum) for signum in (signal.SIGINT, signal.SIGTERM)}
    try:
        result = app.test_cli_runner().invoke(args=["monitor", "run", "--max-seconds", "0.3"])
    finally:  # the command installs its own stop handlers: give pytest's back
        for signum, handler in handlers.items():
            signal.signal(signum, handler)
    assert result.exit_code == 0, result.output
    assert redis_client.hget(bff_keys.aof_rewrite_key(), "covered") == b"2"
    assert redis_client.info("persistence")["aof_rewrites"] == before + 1
