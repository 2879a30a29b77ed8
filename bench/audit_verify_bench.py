"""How long ``AuditLog.verify()`` takes for a large audit log, against a private redis-server.

Usage: ``python bench/audit_verify_bench.py [N]`` (default 100,000 records). Fills the log
with N sealed records of a realistic size, a checkpoint every 1,000 records, then reports
the median of 3 full verifications (chain + checkpoints) and the append rate through
``AuditLog.append`` (WATCH/MULTI, checkpoint checks included).
"""

from __future__ import annotations

import datetime as dt
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import redis

from bff.audit.chain import GENESIS, seal
from bff.audit.checkpoint import Checkpoint, CheckpointPolicy
from bff.audit.checkpoint_file import CheckpointFile
from bff.audit.log import RECORDS_KEY, AuditLog, actor_of_key
from bff.store.embedded import EmbeddedRedis

CHAIN_KEY, CHECKPOINT_KEY = b"a" * 32, b"b" * 32
T0 = dt.datetime(2026, 5, 4, tzinfo=dt.UTC)
APPENDS = 2000


def fill(client: redis.Redis, checkpoints: CheckpointFile, n: int) -> None:
    prev, batch = GENESIS, []
    for i in range(n):
        at = T0 + dt.timedelta(seconds=i)
        entry = {
            "at": at.isoformat(timespec="milliseconds"),
            "action": "campaign.update",
            "actor": actor_of_key(f"{i % 4096:012x}", "demo"),
            "target": {"merchant": "demo", "campaign_id": f"spring-{i % 50}"},
            "details": {"version": i, "fields": ["copy", "schedule"]},
        }
        record = seal(entry, i, prev, CHAIN_KEY)
        prev = record["hash"]
        batch.append(json.dumps(record, sort_keys=True, ensure_ascii=False))
        if (i + 1) % 1000 == 0:
            checkpoints.append(Checkpoint(i + 1, prev, at))
        if len(batch) == 5000:
            client.rpush(RECORDS_KEY, *batch)
            batch = []
    if batch:
        client.rpush(RECORDS_KEY, *batch)


def main(n: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        server = EmbeddedRedis(Path(tmp))
        try:
            client = redis.Redis.from_url(server.start())
            checkpoints = CheckpointFile(Path(tmp) / "audit-checkpoints.jsonl", CHECKPOINT_KEY)
            log = AuditLog(client, CHAIN_KEY, checkpoints, CheckpointPolicy())
            fill(client, checkpoints, n)
            times = []
            for _ in range(3):
                started = time.perf_counter()
                verdict = log.verify()
                times.append(time.perf_counter() - started)
                assert verdict.ok and verdict.checked == n, verdict
            median = statistics.median(times)
            print(f"verify {n:,} records, {verdict.checkpoints} checkpoints: median {median:.2f} s")
            print(f"  ({', '.join(f'{t:.2f}' for t in times)} s; {n / median:,.0f} records/s)")
            started = time.perf_counter()
            for i in range(APPENDS):
                log.append("bench.append", actor_of_key("0" * 12, "demo"), details={"i": i})
            spent = time.perf_counter() - started
            print(f"append: {APPENDS / spent:,.0f} records/s ({spent / APPENDS * 1e3:.2f} ms each)")
        finally:
            server.stop()


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000)
