"""Profiles in Redis: bucketed hashes of packed values (see ``keys.profile_location``), and
everything else held about one shopper, for GDPR export and erasure.

With ``hash-max-listpack-entries`` above the profiles per bucket and
``hash-max-listpack-value`` above the packed size, Redis keeps each bucket as one
listpack: about the size of the packed profiles plus a few bytes each.

A shopper is located by the ref pseudonym (``keys.ref_digest``) keyed by the server's
``ref-pseudonym`` key, which the store is given at construction: profiles loaded under
another key (or under the old merchant-keyed scheme) are not found and need a reload.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from typing import Any

import redis

from bff.errors import StoreUnavailable
from bff.personalization.profile import Profile, pack, unpack
from bff.store import keys
from bff.store.corruption import UNREADABLE, corrupt
from bff.store.session_decisions import counter_days
from bff.store.shopper_keys import SHOPPER_KEYS, VISIT_KEYS, Reader, visit_keys

DEFAULT_BUCKET_BITS = 20
# What an export shows for a stored value that cannot be read back (see store.corruption).
UNREADABLE_VALUE = {"unreadable": "this stored value cannot be read back; it is reported to the operator"}


class ProfileStore:
    """Profiles and a shopper's other keys; ``clock`` (aware UTC) tells which day counters may exist."""

    def __init__(
        self,
        client: redis.Redis,
        pseudonym_key: bytes,
        bucket_bits: int = DEFAULT_BUCKET_BITS,
        clock: Callable[[], dt.datetime] = lambda: dt.datetime.now(dt.UTC),
    ) -> None:
        self.client = client
        self.pseudonym_key = pseudonym_key
        self.bucket_bits = bucket_bits
        self.clock = clock

    def ref_hash(self, client_id: str, customer_ref: str) -> str:
        """The shopper's pseudonym (24 hex) for keys, logs and audit records; needs the server key."""
        return keys.ref_digest(self.pseudonym_key, client_id, customer_ref).hex()

    def location(self, client_id: str, customer_ref: str) -> tuple[str, bytes]:
        digest = keys.ref_digest(self.pseudonym_key, client_id, customer_ref)
        return keys.profile_location(client_id, digest, self.bucket_bits)

    def save_many(self, client_id: str, profiles: Iterable[Profile], batch: int = 1000) -> int:
        """Upsert profiles with pipelined HSETs; returns how many were written."""
        written = 0
        pipe = self.client.pipeline(transaction=False)
        try:
            for profile in profiles:
                key, field = self.location(client_id, profile.customer_ref)
                pipe.hset(key, field, pack(profile))  # type: ignore[arg-type,unused-ignore]
                written += 1
                if written % batch == 0:
                    pipe.execute()
            pipe.execute()
        except redis.RedisError as exc:
            raise StoreUnavailable("could not write profiles") from exc
        return written

    def queue_read(self, pipe: Any, client_id: str, customer_ref: str) -> str:
        """Queue the read of the shopper's profile on ``pipe``; returns its bucket's key."""
        key, field = self.location(client_id, customer_ref)
        pipe.hget(key, field)
        return key

    def decode(self, customer_ref: str, raw: bytes | None, key: str = "a profile bucket") -> Profile | None:
        """The stored profile; None when there is none, or when it cannot be read (logged as
        ``store.corrupt`` with its bucket's ``key``: the shopper then sees generic messages,
        as without a profile)."""
        if not raw:
            return None
        try:
            return unpack(customer_ref, raw)
        except UNREADABLE:
            corrupt(key)
            return None

    def get(self, client_id: str, customer_ref: str) -> Profile | None:
        key, field = self.location(client_id, customer_ref)
        try:
            raw = self.client.hget(key, field)  # type: ignore[arg-type,unused-ignore]
        except redis.RedisError as exc:
            raise StoreUnavailable("profiles are unreachable") from exc
        return self.decode(customer_ref, raw, key)  # type: ignore[arg-type,unused-ignore]

    def export(self, client_id: str, customer_ref: str) -> dict[str, Any]:
        """Everything held about the shopper: ``profile`` (None if unknown), one field per key of
        ``SHOPPER_KEYS`` and ``sessions``: per visit in the ref index, one field per key of
        ``VISIT_KEYS`` (day counters as ``{day: count}``). Two round trips."""
        try:
            return self._export(client_id, customer_ref)
        except redis.RedisError as exc:
            raise StoreUnavailable("could not export the shopper's data") from exc

    def _export(self, client_id: str, customer_ref: str) -> dict[str, Any]:
        ref_hash = self.ref_hash(client_id, customer_ref)
        sessions = self._indexed_sessions(client_id, ref_hash)
        days = counter_days(self.clock())
        # Where each reply goes in the export (a path of keys), how to decode it, and whether
        # to show it when the key is missing (a day without a counter is left out).
        plan: list[tuple[tuple[str, ...], str, Reader, bool]] = []
        with self.client.pipeline(transaction=False) as pipe:
            profile_key = self.queue_read(pipe, client_id, customer_ref)
            for entry in SHOPPER_KEYS:
                shopper_key = entry.key(client_id, ref_hash)
                entry.reader.queue(pipe, shopper_key)
                plan.append(((entry.name,), shopper_key, entry.reader, True))
            for session in sessions:
                for item, day, key in visit_keys(client_id, session, days):
                    item.reader.queue(pipe, key)
                    path: tuple[str, ...] = ("sessions", session, item.name)
                    plan.append(((*path, day) if day else path, key, item.reader, day is None))
            raw_profile, *replies = pipe.execute()
        profile = self.decode(customer_ref, raw_profile, profile_key)
        exported: dict[str, Any] = {"profile": profile.to_export() if profile else None}
        exported["sessions"] = {
            session: {item.name: {} for item in VISIT_KEYS if item.per_day} for session in sessions
        }
        for (path, key, reader, keep_missing), raw in zip(plan, replies, strict=True):
            try:
                value = reader.decode(raw)
            except UNREADABLE:  # exported as such: the rest of the shopper's data still is
                corrupt(key)
                value = UNREADABLE_VALUE
            if value is not None or keep_missing:
                _place(exported, path, value)
        return exported

    def erase(self, client_id: str, customer_ref: str) -> dict[str, int]:
        """Delete the profile, every key of ``SHOPPER_KEYS``, every key of ``VISIT_KEYS`` of each
        visit in the ref index (day counters of ``counter_days``), and the index.

        Returns how many were removed: ``profile`` (0 or 1), ``sessions`` (visits in the
        index) and one count per table entry's ``name``.
        """
        try:
            return self._erase(client_id, customer_ref)
        except redis.RedisError as exc:
            raise StoreUnavailable("could not erase the shopper's data") from exc

    def _erase(self, client_id: str, customer_ref: str) -> dict[str, int]:
        ref_hash = self.ref_hash(client_id, customer_ref)
        index = keys.ref_sessions_key(client_id, ref_hash)
        sessions = self._indexed_sessions(client_id, ref_hash)
        days = counter_days(self.clock())
        key, field = self.location(client_id, customer_ref)
        names = ["profile"]
        with self.client.pipeline(transaction=False) as pipe:
            pipe.hdel(key, field)  # type: ignore[arg-type,unused-ignore]
            for entry in SHOPPER_KEYS:
                pipe.delete(entry.key(client_id, ref_hash))
                names.append(entry.name)
            for session in sessions:
                for item, _day, visit_key in visit_keys(client_id, session, days):
                    pipe.delete(visit_key)
                    names.append(item.name)
            pipe.delete(index)
            results = pipe.execute()
        removed = {"profile": 0, "sessions": len(sessions)}
        removed.update({name: 0 for name in (*(e.name for e in SHOPPER_KEYS), *(e.name for e in VISIT_KEYS))})
        for name, count in zip(names, results[:-1], strict=True):
            removed[name] += int(count)
        return removed

    def _indexed_sessions(self, client_id: str, ref_hash: str) -> list[str]:
        members: set[bytes] = self.client.smembers(keys.ref_sessions_key(client_id, ref_hash))  # type: ignore[assignment]
        return sorted(m.decode() for m in members)


def _place(tree: dict[str, Any], path: tuple[str, ...], value: Any) -> None:
    for step in path[:-1]:
        tree = tree.setdefault(step, {})
    tree[path[-1]] = value
