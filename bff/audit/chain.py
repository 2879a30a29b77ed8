"""Hash chaining of audit records (pure): sealing a record and verifying a sequence.

Each record carries ``seq`` (0, 1, 2, ...), ``prev`` (the previous record's hash; 64
zeros for the first) and ``hash`` = SHA-256 of the canonical JSON of every other field.
Editing, removing or reordering any record breaks a hash or a link after it.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

GENESIS = "0" * 64


def canonical(record: dict[str, Any]) -> bytes:
    """The bytes that are hashed: sorted keys, no whitespace, UTF-8, without ``hash``."""
    body = {k: v for k, v in record.items() if k != "hash"}
    return json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def seal(entry: dict[str, Any], seq: int, prev: str) -> dict[str, Any]:
    """Return ``entry`` with ``seq``, ``prev`` and its ``hash``."""
    record = {**entry, "seq": seq, "prev": prev}
    record["hash"] = hashlib.sha256(canonical(record)).hexdigest()
    return record


@dataclass(frozen=True)
class Verdict:
    ok: bool
    checked: int
    first_bad: int | None = None
    reason: str = ""


def verify(records: Iterable[dict[str, Any]]) -> Verdict:
    """Check the whole chain; name the first record (by position) that does not fit."""
    prev, count = GENESIS, 0
    for position, record in enumerate(records):
        count = position + 1
        if not isinstance(record, dict):
            return Verdict(False, count, position, "not a JSON object")
        if record.get("seq") != position:
            return Verdict(
                False,
                count,
                position,
                f"seq is {record.get('seq')!r}, expected {position}: a record "
                "was removed, inserted or reordered",
            )
        if record.get("prev") != prev:
            return Verdict(False, count, position, "prev does not match the previous record's hash")
        if hashlib.sha256(canonical(record)).hexdigest() != record.get("hash"):
            return Verdict(False, count, position, "hash does not match the content: the record was edited")
        prev = record["hash"]
    return Verdict(True, count)
