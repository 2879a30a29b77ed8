"""``flask --app bff audit archive``: set aside a log that does not verify, and start a new chain.

For a log sealed before the chain was keyed (plain SHA-256: verify fails at record 0 and
names this command), after a change of the server secret, or after tampering that has
been looked into. Contract:

* The command refuses a log that verifies: an intact log is never archived.
* Every record, exactly as read, goes to ``VAR_DIR/audit-archive-<UTC time>.jsonl`` (one
  JSON object per line, oldest first, created exclusively, fsynced); the checkpoint file
  is renamed next to it (``...checkpoints.jsonl``), since its checkpoints describe the
  old chain.
* In the same WATCH/MULTI transaction that deletes the old records, the new chain's
  record 0 (action ``audit.archive``) names the archive file, its SHA-256, the number of
  records, the old head hash and the verdicts that led here; a concurrent append makes
  the transaction retry, so no record is lost between reading and deleting.
* A checkpoint of the new chain is written at once.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import redis

from bff.audit.chain import GENESIS, Verdict, seal, verify_unkeyed
from bff.audit.checkpoint import Checkpoint
from bff.audit.log import PAGE, RECORDS_KEY, AuditLog, actor_cli, decode_record

MAX_ATTEMPTS = 20


@dataclass(frozen=True)
class Archived:
    """What ``archive_log`` did: where the records and checkpoints went, and the new record 0."""

    path: Path
    records: int
    head: str
    sha256: str
    checkpoints_path: Path | None
    first: dict[str, Any]


def archive_log(audit: AuditLog, var_dir: Path, now: dt.datetime, verdict: Verdict) -> Archived:
    """Move every record to a file under ``var_dir`` and start a new chain naming it.

    ``verdict`` is the failed verification that justifies it (the caller refuses an intact
    log). Raises ``FileExistsError`` when an archive of the same second exists, and
    ``redis.RedisError`` and ``OSError`` as they come.
    """
    stamp = now.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    path = var_dir / f"audit-archive-{stamp}.jsonl"
    var_dir.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o640)
    os.close(fd)
    for _ in range(MAX_ATTEMPTS):
        with audit.client.pipeline(transaction=True) as pipe:
            try:
                pipe.watch(RECORDS_KEY)  # type: ignore[no-untyped-call]
                records = _read_all(pipe)
                digest = _write(path, records)
                head = _head(records)
                entry = _first_entry(path, records, head, digest, verdict, now)
                first = seal(entry, 0, GENESIS, audit.chain_key)
                pipe.multi()
                pipe.delete(RECORDS_KEY)
                pipe.rpush(RECORDS_KEY, json.dumps(first, sort_keys=True, ensure_ascii=False))
                pipe.execute()
                break
            except redis.WatchError:
                continue
    else:
        raise redis.WatchError("the audit log kept changing while it was archived: retry")
    moved_to = path.with_suffix(".checkpoints.jsonl")
    checkpoints_path = moved_to if audit.checkpoints.move_to(moved_to) else None
    audit.write_checkpoint(Checkpoint(1, first["hash"], now))
    return Archived(path, len(records), head, digest, checkpoints_path, first)


def _read_all(pipe: Any) -> list[dict[str, Any]]:
    records: list[dict[str, Any]] = []
    while True:
        page = pipe.lrange(RECORDS_KEY, len(records), len(records) + PAGE - 1)
        if not page:
            return records
        records.extend(decode_record(raw) for raw in page)


def _write(path: Path, records: list[dict[str, Any]]) -> str:
    """Write the records as JSON Lines (replacing an earlier attempt); returns the file's SHA-256."""
    body = b"".join(
        json.dumps(record, sort_keys=True, ensure_ascii=False).encode() + b"\n" for record in records
    )
    with path.open("wb") as out:
        out.write(body)
        out.flush()
        os.fsync(out.fileno())
    return hashlib.sha256(body).hexdigest()


def _head(records: list[dict[str, Any]]) -> str:
    last = records[-1] if records else None
    found = last.get("hash") if isinstance(last, dict) else None
    return found if isinstance(found, str) else GENESIS


def _first_entry(
    path: Path, records: list[dict[str, Any]], head: str, digest: str, verdict: Verdict, now: dt.datetime
) -> dict[str, Any]:
    unkeyed = verify_unkeyed(records)
    return {
        "at": now.isoformat(timespec="milliseconds"),
        "action": "audit.archive",
        "actor": actor_cli(),
        "target": {"archive": path.name},
        "details": {
            "records": len(records),
            "head": head,
            "sha256": digest,
            "verdict": f"BROKEN at {verdict.position}: {verdict.reason}",
            "unkeyed_chain": "intact" if unkeyed.ok else f"BROKEN at {unkeyed.position}: {unkeyed.reason}",
        },
    }
