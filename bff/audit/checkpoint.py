"""Signed checkpoints of the audit chain (pure): their content, their line format, when one is due.

A checkpoint says "at ``at`` the chain had ``records`` records and the last one's hash was
``head``". It is kept outside Redis (``bff/audit/checkpoint_file.py``) as one JSON line::

    {"at":"2026-05-04T10:00:00+00:00","head":"<64 hex>","mac":"<64 hex>","records":42}

``mac`` is HMAC-SHA256, under the key derived for ``audit-checkpoint`` (not the chain's
key), of the canonical JSON of ``at``, ``head`` and ``records`` as written in the line.
Someone who can rewrite Redis can therefore neither forge a checkpoint nor make a chain
they cut short agree with one; ``bff/audit/chain.py`` checks the chain against them.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import re
from dataclasses import dataclass, field
from typing import Any

# Within one process, an append writes a checkpoint when the last one known is this many
# records behind; the time interval is the setting ``audit_checkpoint_s``.
CHECKPOINT_EVERY_RECORDS = 1000
HEX64 = re.compile(r"[0-9a-f]{64}")


@dataclass(frozen=True)
class Checkpoint:
    """``records`` records, the last with hash ``head``, anchored at ``at`` (UTC).

    ``line`` is where it was read (1-based; 0 when not read from a file): for messages only.
    """

    records: int
    head: str
    at: dt.datetime
    line: int = field(default=0, compare=False)


@dataclass(frozen=True)
class BadLine:
    """A line of the checkpoint file that is not a correctly signed checkpoint (0: the whole file)."""

    line: int
    reason: str


@dataclass(frozen=True)
class CheckpointPolicy:
    """When an append also writes a checkpoint: ``every_s`` seconds or ``every_records`` records."""

    every_s: float = 60.0
    every_records: int = CHECKPOINT_EVERY_RECORDS


def _body(records: int, head: str, at: str) -> bytes:
    fields = {"at": at, "head": head, "records": records}
    return json.dumps(fields, sort_keys=True, separators=(",", ":")).encode()


def _mac(key: bytes, records: int, head: str, at: str) -> str:
    return hmac.new(key, _body(records, head, at), hashlib.sha256).hexdigest()


def signed_line(checkpoint: Checkpoint, key: bytes) -> str:
    """The checkpoint as one JSON line (no newline), with its HMAC under ``key``."""
    at = checkpoint.at.astimezone(dt.UTC).isoformat(timespec="seconds")
    fields: dict[str, Any] = {"at": at, "head": checkpoint.head, "records": checkpoint.records}
    fields["mac"] = _mac(key, checkpoint.records, checkpoint.head, at)
    return json.dumps(fields, sort_keys=True, separators=(",", ":"))


def read_line(text: str, key: bytes, line: int) -> Checkpoint | BadLine:
    """Parse and authenticate one line; anything but a correctly signed checkpoint is a ``BadLine``."""
    try:
        fields = json.loads(text)
    except ValueError:
        return BadLine(line, "not a checkpoint (unreadable JSON: a line cut short by a crash, or an edit)")
    if not isinstance(fields, dict) or set(fields) != {"at", "head", "mac", "records"}:
        return BadLine(line, "not a checkpoint (wrong fields)")
    records, head, at, mac = fields["records"], fields["head"], fields["at"], fields["mac"]
    if (
        type(records) is not int
        or records < 0
        or not isinstance(head, str)
        or not HEX64.fullmatch(head)
        or not isinstance(at, str)
        or not isinstance(mac, str)
    ):
        return BadLine(line, "not a checkpoint (a field has the wrong type)")
    if not hmac.compare_digest(mac, _mac(key, records, head, at)):
        return BadLine(line, "the checkpoint's HMAC does not match: the line was forged or edited")
    try:
        when = dt.datetime.fromisoformat(at)
    except ValueError:
        return BadLine(line, "not a checkpoint (unreadable time)")
    if when.tzinfo is None:
        return BadLine(line, "not a checkpoint (time without a zone)")
    return Checkpoint(records, head, when, line)


def checkpoint_due(last: Checkpoint | None, records: int, now: dt.datetime, policy: CheckpointPolicy) -> bool:
    """Whether a chain of ``records`` records at ``now`` should be anchored, given the last checkpoint."""
    if last is None:
        return True
    if records - last.records >= policy.every_records:
        return True
    return records != last.records and (now - last.at).total_seconds() >= policy.every_s
