"""Every Redis key that holds one shopper's data: what GDPR export reads and erasure deletes.

Two tables, used by ``ProfileStore.export`` and ``ProfileStore.erase``:

* ``SHOPPER_KEYS``: keys named by the shopper's ref hash (``keys.ref_digest``);
* ``VISIT_KEYS``: keys of one of the shopper's visits (a session id from the ref index),
  some of them once per UTC day (``session_decisions.counter_days`` says which days can
  still exist).

Adding a key is one line in one of them: the export shows it under ``name`` and the
erasure deletes it and counts it under ``name``. The profile itself (a field of a shared
bucket hash) and the ref index (it lists the visits) are handled by the store.

Pure: readers only queue commands on a pipeline they are given and decode the replies.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from bff.store import keys


@dataclass(frozen=True)
class Reader:
    """How an export reads one kind of value: queue the command, then decode its reply."""

    queue: Callable[[Any, str], object]
    decode: Callable[[Any], Any]


def _text(raw: bytes | str) -> str:
    return raw.decode() if isinstance(raw, bytes) else raw


JSON = Reader(lambda pipe, key: pipe.get(key), lambda raw: json.loads(raw) if raw is not None else None)
JSON_LIST = Reader(lambda pipe, key: pipe.lrange(key, 0, -1), lambda raw: [json.loads(r) for r in raw])
TEXT_HASH = Reader(
    lambda pipe, key: pipe.hgetall(key),
    lambda raw: {_text(k): _text(v) for k, v in raw.items()} or None,
)
COUNT = Reader(lambda pipe, key: pipe.get(key), lambda raw: int(raw) if raw is not None else None)


@dataclass(frozen=True)
class ShopperKey:
    """A key named by the shopper: ``key(client_id, ref_hash)``."""

    name: str
    key: Callable[[str, str], str]
    reader: Reader


@dataclass(frozen=True)
class VisitKey:
    """A key of one visit: ``key(client_id, session_id, day)``; ``per_day`` keys exist once per
    UTC day and export as ``{day: value}``, the others ignore ``day``."""

    name: str
    key: Callable[[str, str, str], str]
    reader: Reader
    per_day: bool = False


SHOPPER_KEYS: tuple[ShopperKey, ...] = (
    ShopperKey("consent_log", keys.consent_log_key, JSON_LIST),
    ShopperKey("consent_state", keys.consent_state_key, TEXT_HASH),
)

VISIT_KEYS: tuple[VisitKey, ...] = (
    VisitKey("decisions", lambda client_id, session_id, _day: keys.session_key(client_id, session_id), JSON),
    VisitKey("auto_open_counters", keys.auto_open_day_key, COUNT, per_day=True),
)


def visit_keys(
    client_id: str, session_id: str, days: tuple[str, ...]
) -> Iterator[tuple[VisitKey, str | None, str]]:
    """``(entry, day or None, key)`` for every key one visit may have on ``days``."""
    for entry in VISIT_KEYS:
        for day in days if entry.per_day else (None,):
            yield entry, day, entry.key(client_id, session_id, day or "")
