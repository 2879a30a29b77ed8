"""The audit log in Redis: one list under one hash tag, appended under optimistic locking.

``append`` reads the head (last hash and length), seals the new record and pushes it
in a MULTI/EXEC guarded by WATCH, retrying when another writer got in between, so the
chain stays linear across processes. Shopper refs must be hashed before they get here.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import time
from collections.abc import Iterator
from typing import Any

import redis
import structlog

from bff.audit.chain import GENESIS, Verdict, seal, verify
from bff.errors import StoreUnavailable
from bff.store.keys import area_prefix

log = structlog.get_logger(__name__)

RECORDS_KEY = f"{area_prefix('audit')}:records"
MAX_ATTEMPTS = 200
PAGE = 1000


class AuditLog:
    def __init__(self, client: redis.Redis) -> None:
        self.client = client

    def append(
        self,
        action: str,
        actor: dict[str, str],
        target: dict[str, Any] | None = None,
        details: dict[str, Any] | None = None,
        now: dt.datetime | None = None,
    ) -> dict[str, Any]:
        """Seal and append one record; returns it. Raises ``StoreUnavailable`` when Redis fails."""
        entry = {
            "at": (now or dt.datetime.now(dt.UTC)).isoformat(timespec="milliseconds"),
            "action": action,
            "actor": actor,
            "target": target or {},
            "details": details or {},
        }
        try:
            for _ in range(MAX_ATTEMPTS):
                with self.client.pipeline(transaction=True) as pipe:
                    try:
                        pipe.watch(RECORDS_KEY)  # type: ignore[no-untyped-call]
                        length = int(pipe.llen(RECORDS_KEY))
                        last = pipe.lindex(RECORDS_KEY, -1) if length else None
                        prev = json.loads(last)["hash"] if last else GENESIS
                        record = seal(entry, length, prev)
                        pipe.multi()
                        pipe.rpush(RECORDS_KEY, json.dumps(record, sort_keys=True, ensure_ascii=False))
                        pipe.execute()
                        return record
                    except redis.WatchError:
                        # Another writer appended first: back off a little, re-read the head.
                        time.sleep(random.uniform(0, 0.005))  # noqa: S311 (jitter, not a secret)
                        continue
        except redis.RedisError as exc:
            raise StoreUnavailable("the audit log is unreachable") from exc
        raise StoreUnavailable("the audit log is too busy: retry")

    def records(self) -> Iterator[dict[str, Any]]:
        """Every record, oldest first, in pages."""
        start = 0
        while True:
            page: list[bytes] = self.client.lrange(RECORDS_KEY, start, start + PAGE - 1)  # type: ignore[assignment]
            if not page:
                return
            for raw in page:
                try:
                    yield json.loads(raw)
                except ValueError:
                    yield {"unparseable": raw.decode("utf-8", errors="replace")}
            start += PAGE

    def verify(self) -> Verdict:
        return verify(self.records())


def actor_of_key(key_id: str, client_id: str) -> dict[str, str]:
    return {"kind": "api_key", "id": key_id, "merchant": client_id}


def actor_cli(user: str = "cli") -> dict[str, str]:
    return {"kind": "cli", "id": user}


def record_safely(audit: AuditLog, action: str, actor: dict[str, str], **fields: Any) -> None:
    """Append, logging (not raising) when the audit log is down: for callers that already acted."""
    try:
        audit.append(action, actor, **fields)
    except StoreUnavailable:
        log.error("audit.append_failed", action=action)
