"""The audit log in Redis: one list under one hash tag, appended under optimistic locking.

``append`` reads the head (last hash and length), seals the new record with the chain key
and pushes it in a MULTI/EXEC guarded by WATCH, retrying when another writer got in
between, so the chain stays linear across processes. Shopper refs must be hashed before
they get here.

After an append, a signed checkpoint of the chain (its length and the new record's hash)
goes to the checkpoint file under VAR_DIR when this process's last known checkpoint is
``policy.every_s`` seconds or ``policy.every_records`` records old. A failure to write it
is logged and never fails the append (the record is already in). ``verify`` checks the
chain against every checkpoint in the file (docs/security.md, "Audit log anchoring").
"""

from __future__ import annotations

import datetime as dt
import json
import random
import threading
import time
from collections.abc import Iterator
from typing import Any

import redis
import structlog

from bff.audit.chain import GENESIS, Verdict, seal, verify
from bff.audit.checkpoint import BadLine, Checkpoint, CheckpointPolicy, checkpoint_due
from bff.audit.checkpoint_file import CHECKPOINT_FILE, CheckpointFile
from bff.errors import StoreUnavailable
from bff.server_key import ServerKey
from bff.settings import Settings
from bff.store.keys import area_prefix

log = structlog.get_logger(__name__)

RECORDS_KEY = f"{area_prefix('audit')}:records"
MAX_ATTEMPTS = 200
PAGE = 1000


class AuditLog:
    """The chain in Redis under ``chain_key``, anchored by the checkpoints in ``checkpoints``."""

    def __init__(
        self,
        client: redis.Redis,
        chain_key: bytes,
        checkpoints: CheckpointFile,
        policy: CheckpointPolicy | None = None,
    ) -> None:
        self.client = client
        self.chain_key = chain_key
        self.checkpoints = checkpoints
        self.policy = policy or CheckpointPolicy()
        self._last: Checkpoint | None = None
        self._checkpoint_lock = threading.Lock()

    def append(
        self,
        action: str,
        actor: dict[str, str],
        target: dict[str, Any] | None = None,
        details: dict[str, Any] | None = None,
        now: dt.datetime | None = None,
    ) -> dict[str, Any]:
        """Seal and append one record; returns it. Raises ``StoreUnavailable`` when Redis fails."""
        now = now or dt.datetime.now(dt.UTC)
        entry = {
            "at": now.isoformat(timespec="milliseconds"),
            "action": action,
            "actor": actor,
            "target": target or {},
            "details": details or {},
        }
        record = self._push(entry)
        self._checkpoint_after_append(Checkpoint(record["seq"] + 1, record["hash"], now))
        return record

    def _push(self, entry: dict[str, Any]) -> dict[str, Any]:
        try:
            for _ in range(MAX_ATTEMPTS):
                with self.client.pipeline(transaction=True) as pipe:
                    try:
                        pipe.watch(RECORDS_KEY)  # type: ignore[no-untyped-call]
                        length = int(pipe.llen(RECORDS_KEY))
                        last = pipe.lindex(RECORDS_KEY, -1) if length else None
                        prev = _head_hash(last) if last else GENESIS
                        record = seal(entry, length, prev, self.chain_key)
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
            try:
                page: list[bytes] = self.client.lrange(RECORDS_KEY, start, start + PAGE - 1)  # type: ignore[assignment]
            except redis.RedisError as exc:
                raise StoreUnavailable("the audit log is unreachable") from exc
            if not page:
                return
            yield from (decode_record(raw) for raw in page)
            start += PAGE

    def length(self) -> int:
        """How many records the list holds now."""
        return int(self.client.llen(RECORDS_KEY))

    def verify(self) -> Verdict:
        """Check the whole chain and its consistency with every checkpoint (``chain.verify``).

        An unreadable checkpoint file is reported as a problem of the file (checkpoint line 0).
        """
        try:
            checkpoints, bad = self.checkpoints.read()
        except OSError as exc:
            checkpoints, bad = [], [BadLine(0, f"the checkpoint file cannot be read ({type(exc).__name__})")]
        try:
            kind = self.client.type(RECORDS_KEY)
        except redis.RedisError as exc:
            raise StoreUnavailable("the audit log is unreachable") from exc
        held = kind.decode() if isinstance(kind, bytes) else str(kind)
        if held not in ("list", "none"):  # replaced by something else
            return Verdict(False, 0, 0, f"the audit log's key holds a {held}, not the list of records")
        return verify(self.records(), self.chain_key, checkpoints, bad)

    def anchor(self, now: dt.datetime | None = None) -> Verdict:
        """Verify, and when the log is intact write a checkpoint of exactly what was verified.

        Returns the verdict; a broken log gets no checkpoint. Raises ``OSError`` when the
        checkpoint cannot be written.
        """
        verdict = self.verify()
        if verdict.ok:
            self.write_checkpoint(Checkpoint(verdict.checked, verdict.head, now or dt.datetime.now(dt.UTC)))
        return verdict

    def write_checkpoint(self, checkpoint: Checkpoint) -> None:
        """Append ``checkpoint`` to the file and remember it as this process's latest."""
        with self._checkpoint_lock:
            self.checkpoints.append(checkpoint)
            self._last = checkpoint

    def _checkpoint_after_append(self, anchored: Checkpoint) -> None:
        # The checkpoint is true whatever was appended since: it names this record's position.
        try:
            with self._checkpoint_lock:
                if not checkpoint_due(self._last, anchored.records, anchored.at, self.policy):
                    return
                # Another process may have written one meanwhile: the file decides.
                self._last = self.checkpoints.latest() or self._last
                if not checkpoint_due(self._last, anchored.records, anchored.at, self.policy):
                    return
                self.checkpoints.append(anchored)
                self._last = anchored
        except OSError as exc:
            log.error("audit.checkpoint_failed", path=str(self.checkpoints.path), error=type(exc).__name__)


def audit_log_for(client: redis.Redis, server_key: ServerKey, settings: Settings) -> AuditLog:
    """The app's audit log: chain key and checkpoint key derived from the server secret."""
    checkpoints = CheckpointFile(settings.var_dir / CHECKPOINT_FILE, server_key.derive("audit-checkpoint"))
    policy = CheckpointPolicy(every_s=settings.audit_checkpoint_s)
    return AuditLog(client, server_key.derive("audit-chain"), checkpoints, policy)


def decode_record(raw: bytes) -> dict[str, Any]:
    """One stored record; bytes that are not JSON come back as ``{"unparseable": text}`` (failing verify)."""
    try:
        found: dict[str, Any] = json.loads(raw)
    except ValueError:
        return {"unparseable": raw.decode("utf-8", errors="replace")}
    return found


def actor_of_key(key_id: str, client_id: str) -> dict[str, str]:
    return {"kind": "api_key", "id": key_id, "merchant": client_id}


def actor_cli(user: str = "cli") -> dict[str, str]:
    return {"kind": "cli", "id": user}


def _head_hash(raw: bytes | str) -> str:
    """The last record's hash; for a record tampered into garbage, a marker that can never
    verify (``verify`` reports that record), so one bad record cannot stop every append."""
    try:
        head = json.loads(raw).get("hash")
    except (ValueError, AttributeError):
        head = None
    return head if isinstance(head, str) else "unreadable"


def record_safely(audit: AuditLog, action: str, actor: dict[str, str], **fields: Any) -> None:
    """Append, logging (not raising) when the audit log is down: for callers that already acted."""
    try:
        audit.append(action, actor, **fields)
    except StoreUnavailable:
        log.error("audit.append_failed", action=action)
