"""Keyed hash chaining of audit records (pure): sealing a record, verifying a sequence.

Each record carries ``seq`` (0, 1, 2, ...), ``prev`` (the previous record's hash; 64 zeros
for the first) and ``hash`` = HMAC-SHA256, under the key derived for ``audit-chain``, of
the canonical JSON of every other field. Redis holds the records but never the key, so
whoever can only write Redis cannot seal a record: an edit, removal, insertion,
reordering or a forged record (re-hashed with plain SHA-256 or sealed with another key)
fails at its own position.

What a chain alone cannot show is that records were cut off the end, or that the whole
list was deleted: ``verify`` also checks the chain against signed checkpoints
(``bff/audit/checkpoint.py``), each of which says how many records there were and the
hash of the last. Logs sealed before the chain was keyed (plain SHA-256) fail at record 0
with a message naming ``flask --app bff audit archive``.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from bff.audit.checkpoint import BadLine, Checkpoint

GENESIS = "0" * 64
ARCHIVE_HINT = "set it aside with `flask --app bff audit archive`"


def canonical(record: dict[str, Any]) -> bytes:
    """The bytes that are sealed: sorted keys, no whitespace, UTF-8, without ``hash``."""
    body = {k: v for k, v in record.items() if k != "hash"}
    return json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def record_mac(record: dict[str, Any], key: bytes) -> str:
    """The hash a record sealed with ``key`` carries."""
    return hmac.new(key, canonical(record), hashlib.sha256).hexdigest()


def unkeyed_hash(record: dict[str, Any]) -> str:
    """The hash of the sealing before the chain was keyed (plain SHA-256): recognised, never accepted."""
    return hashlib.sha256(canonical(record)).hexdigest()


def seal(entry: dict[str, Any], seq: int, prev: str, key: bytes) -> dict[str, Any]:
    """Return ``entry`` with ``seq``, ``prev`` and its ``hash`` under ``key``."""
    record = {**entry, "seq": seq, "prev": prev}
    record["hash"] = record_mac(record, key)
    return record


@dataclass(frozen=True)
class Verdict:
    """The outcome of ``verify``.

    ``checked`` records were read. When not ``ok``, the first problem is at record
    ``first_bad`` (a position, 0-based; a cut-off or deleted log names the first missing
    position), or, when every record is fine, at ``checkpoint_line`` of the checkpoint file
    (1-based; 0 means the file as a whole). ``checkpoints`` valid checkpoints were checked;
    ``head`` is the hash of the last record that verified (``GENESIS`` when none did).
    """

    ok: bool
    checked: int
    first_bad: int | None = None
    reason: str = ""
    checkpoint_line: int | None = None
    checkpoints: int = 0
    head: str = GENESIS

    @property
    def position(self) -> str:
        """Where the first problem is, for messages: ``record 4`` or ``checkpoint line 3``."""
        if self.first_bad is not None:
            return f"record {self.first_bad}"
        if self.checkpoint_line:
            return f"checkpoint line {self.checkpoint_line}"
        return "the checkpoint file" if self.checkpoint_line == 0 else "-"


def verify(
    records: Iterable[dict[str, Any]],
    key: bytes,
    checkpoints: Sequence[Checkpoint] = (),
    bad_lines: Sequence[BadLine] = (),
) -> Verdict:
    """Check the chain under ``key`` and against every checkpoint; name the first problem.

    Records are checked in order (structure, link, seal, then the head hash of any
    checkpoint that ends there); then the length against the longest checkpoint; then the
    checkpoint file's bad lines. ``records`` is read once, so a generator is fine.
    """
    anchors: dict[int, list[Checkpoint]] = {}
    for checkpoint in checkpoints:
        if checkpoint.records > 0:
            anchors.setdefault(checkpoint.records - 1, []).append(checkpoint)
    n_checkpoints = len(checkpoints)
    prev, count = GENESIS, 0
    for position, record in enumerate(records):
        count = position + 1
        problem = _record_problem(record, position, prev, key) or _anchor_problem(
            record, anchors.get(position, ())
        )
        if problem:
            return Verdict(False, count, position, problem, checkpoints=n_checkpoints, head=prev)
        prev = record["hash"]
    longest = max(checkpoints, key=lambda c: c.records, default=None)
    if longest is not None and longest.records > count:
        what = "every record was deleted" if count == 0 else "records were cut off the end"
        reason = (
            f"the log has {count} records, but checkpoint line {longest.line} "
            f"({longest.at.isoformat()}) anchored {longest.records}: {what}"
        )
        return Verdict(False, count, count, reason, checkpoints=n_checkpoints, head=prev)
    if bad_lines:
        first = min(bad_lines, key=lambda b: b.line)
        return Verdict(False, count, None, first.reason, first.line, n_checkpoints, prev)
    return Verdict(True, count, checkpoints=n_checkpoints, head=prev)


def verify_unkeyed(records: Iterable[dict[str, Any]]) -> Verdict:
    """The check from before the chain was keyed (plain SHA-256 links): describes a log being
    archived, never proves anything (anyone can re-hash)."""
    prev, count = GENESIS, 0
    for position, record in enumerate(records):
        count = position + 1
        if (
            not isinstance(record, dict)
            or record.get("seq") != position
            or record.get("prev") != prev
            or unkeyed_hash(record) != record.get("hash")
        ):
            return Verdict(False, count, position, "not a plain SHA-256 chain from here")
        prev = record["hash"]
    return Verdict(True, count, head=prev)


def _record_problem(record: Any, position: int, prev: str, key: bytes) -> str:
    if not isinstance(record, dict):
        return "not a JSON object"
    if record.get("seq") != position:
        return (
            f"seq is {record.get('seq')!r}, expected {position}: a record was removed, inserted or reordered"
        )
    if record.get("prev") != prev:
        return "prev does not match the previous record's hash: a record was removed, inserted or reordered"
    sealed = record.get("hash")
    if not isinstance(sealed, str):
        return "no hash"
    if hmac.compare_digest(record_mac(record, key), sealed):
        return ""
    if hmac.compare_digest(unkeyed_hash(record), sealed):
        if position == 0:
            return (
                "sealed with plain SHA-256, not the server key: a log from before the chain "
                f"was keyed ({ARCHIVE_HINT}), or a forgery"
            )
        return "sealed with plain SHA-256, not the server key: a forged or re-hashed record"
    return (
        "hash does not match the record under the server key: the record was edited, or "
        "sealed with another key (forged, or the server secret changed)"
    )


def _anchor_problem(record: dict[str, Any], anchored: Sequence[Checkpoint]) -> str:
    for checkpoint in anchored:
        if checkpoint.head != record["hash"]:
            return (
                f"checkpoint line {checkpoint.line} ({checkpoint.at.isoformat()}) anchored a "
                "different record here: the chain up to here was rewritten"
            )
    return ""
