"""Profiles in Redis: bucketed hashes of packed values (see ``keys.profile_location``).

With ``hash-max-listpack-entries`` above the profiles per bucket and
``hash-max-listpack-value`` above the packed size, Redis keeps each bucket as one
listpack: about the size of the packed profiles plus a few bytes each.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from typing import Any

import redis

from bff.errors import StoreUnavailable
from bff.personalization.profile import Profile, pack, unpack
from bff.store import keys

DEFAULT_BUCKET_BITS = 20


class ProfileStore:
    def __init__(self, client: redis.Redis, bucket_bits: int = DEFAULT_BUCKET_BITS) -> None:
        self.client = client
        self.bucket_bits = bucket_bits

    def location(self, client_id: str, customer_ref: str) -> tuple[str, bytes]:
        return keys.profile_location(client_id, customer_ref, self.bucket_bits)

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

    def queue_read(self, pipe: Any, client_id: str, customer_ref: str) -> None:
        key, field = self.location(client_id, customer_ref)
        pipe.hget(key, field)

    def decode(self, customer_ref: str, raw: bytes | None) -> Profile | None:
        return unpack(customer_ref, raw) if raw else None

    def get(self, client_id: str, customer_ref: str) -> Profile | None:
        key, field = self.location(client_id, customer_ref)
        try:
            raw = self.client.hget(key, field)  # type: ignore[arg-type,unused-ignore]
        except redis.RedisError as exc:
            raise StoreUnavailable("profiles are unreachable") from exc
        return self.decode(customer_ref, raw)  # type: ignore[arg-type,unused-ignore]

    def record_consent(
        self, client_id: str, customer_ref: str, granted: bool, source: str, now: dt.datetime
    ) -> None:
        """Append a consent change to the shopper's log (kept as long as the profile)."""
        record = json.dumps(
            {"personalization": granted, "source": source, "at": now.isoformat(timespec="seconds")}
        )
        try:
            self.client.rpush(keys.consent_log_key(client_id, customer_ref), record)
        except redis.RedisError as exc:
            raise StoreUnavailable("could not record the consent change") from exc

    def export(self, client_id: str, customer_ref: str) -> dict[str, Any]:
        """Everything held about the shopper: profile, consent log, sessions and their decisions."""
        profile = self.get(client_id, customer_ref)
        members: set[bytes] = self.client.smembers(keys.ref_sessions_key(client_id, customer_ref))  # type: ignore[assignment]
        sessions = sorted(m.decode() for m in members)
        decisions = {}
        for session in sessions:
            raw = self.client.get(keys.session_key(client_id, session))
            if raw is not None:
                decisions[session] = json.loads(raw)
        consent = [
            json.loads(r) for r in self.client.lrange(keys.consent_log_key(client_id, customer_ref), 0, -1)
        ]
        return {
            "profile": profile.to_export() if profile else None,
            "consent_log": consent,
            "sessions": decisions,
        }

    def erase(self, client_id: str, customer_ref: str) -> dict[str, int]:
        """Remove the profile, consent log, the sessions' decisions and the index; return counts."""
        key, field = self.location(client_id, customer_ref)
        index = keys.ref_sessions_key(client_id, customer_ref)
        members: set[bytes] = self.client.smembers(index)  # type: ignore[assignment]
        sessions = [m.decode() for m in members]
        with self.client.pipeline(transaction=False) as pipe:
            pipe.hdel(key, field)  # type: ignore[arg-type,unused-ignore]
            pipe.delete(keys.consent_log_key(client_id, customer_ref))
            for session in sessions:
                pipe.delete(keys.session_key(client_id, session))
            pipe.delete(index)
            results = pipe.execute()
        return {"profile": int(results[0]), "consent_log": int(results[1]), "sessions": sum(results[2:-1])}
