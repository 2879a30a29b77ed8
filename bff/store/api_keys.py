"""API keys: random secrets shown once, stored only as SHA-256 digests, scoped to one merchant.

A key looks like ``osk_<43 url-safe chars>`` (256 bits of entropy), so a fast digest is
the right tool here: there is nothing to brute-force that a slow hash would protect.

Records live in one hash (digest -> JSON); each merchant's digests are also in a set under
its hash tag, so ``list(client_id)`` reads one merchant's keys without scanning them all.
Keys created before that index existed are added to it by the first ``list`` call.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import secrets
from dataclasses import dataclass

import redis

from bff.errors import StoreUnavailable
from bff.store import keys

KEY_PREFIX = "osk_"
ROLES = ("merchant_admin", "auditor", "admin")
GLOBAL_SCOPE = "*"


@dataclass(frozen=True)
class ApiKey:
    key_id: str
    client_id: str
    role: str
    label: str
    created_at: str
    revoked_at: str | None = None
    last_used_at: str | None = None


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


class ApiKeyStore:
    def __init__(self, client: redis.Redis) -> None:
        self.client = client

    def create(self, client_id: str, role: str, label: str, now: dt.datetime) -> tuple[str, ApiKey]:
        """Make a key; return the secret (show it once, it is not stored) and its record."""
        if role not in ROLES:
            raise ValueError(f"role must be one of {', '.join(ROLES)}")
        if (role == "merchant_admin") == (client_id == GLOBAL_SCOPE):
            raise ValueError("a merchant_admin key belongs to one merchant; auditor and admin keys to '*'")
        secret = KEY_PREFIX + secrets.token_urlsafe(32)
        hashed = digest(secret)
        record = ApiKey(hashed[:12], client_id, role, label, now.isoformat(timespec="seconds"))
        try:
            self.client.hset(keys.api_keys_key(), hashed, json.dumps(record.__dict__))
            self.client.sadd(keys.merchant_api_keys_key(client_id), hashed)
        except redis.RedisError as exc:
            raise StoreUnavailable("could not store the API key") from exc
        return secret, record

    def list(self, client_id: str) -> list[ApiKey]:
        """The keys of ``client_id`` (``'*'``: the global ones), oldest first: ids, labels,
        roles and dates; the records hold no secret (``key_id`` is not enough to use one)."""
        try:
            self._index_older_keys()
            hashed = sorted(self.client.smembers(keys.merchant_api_keys_key(client_id)))
            raws = self.client.hmget(keys.api_keys_key(), hashed) if hashed else []
        except redis.RedisError as exc:
            raise StoreUnavailable("API keys are unreachable") from exc
        records = [ApiKey(**json.loads(raw)) for raw in raws if raw is not None]
        return sorted(records, key=lambda r: (r.created_at, r.key_id))

    def _index_older_keys(self) -> None:
        """Add keys stored before the per-merchant index to it (once per database)."""
        if self.client.exists(keys.api_keys_indexed_key()):
            return
        for hashed, raw in self.client.hscan_iter(keys.api_keys_key()):
            self.client.sadd(keys.merchant_api_keys_key(json.loads(raw)["client_id"]), hashed)
        self.client.set(keys.api_keys_indexed_key(), "1")

    def revoke(self, key_id: str, now: dt.datetime, merchant: str | None = None) -> ApiKey | None:
        """Revoke the key with ``key_id`` (of ``merchant`` only, when given); None if there is none."""
        try:
            for hashed, raw in self.client.hscan_iter(keys.api_keys_key()):
                record = ApiKey(**json.loads(raw))
                if record.key_id != key_id or (merchant is not None and record.client_id != merchant):
                    continue
                revoked = ApiKey(
                    **{
                        **record.__dict__,
                        "revoked_at": record.revoked_at or now.isoformat(timespec="seconds"),
                    }
                )
                self.client.hset(keys.api_keys_key(), hashed, json.dumps(revoked.__dict__))
                return revoked
        except redis.RedisError as exc:
            raise StoreUnavailable("API keys are unreachable") from exc
        return None

    def authenticate(self, secret: str, now: dt.datetime) -> ApiKey | None:
        """The live record of ``secret``; None for unknown or revoked keys. Records the use."""
        if not secret.startswith(KEY_PREFIX) or len(secret) > 128:
            return None
        hashed = digest(secret)
        try:
            raw = self.client.hget(keys.api_keys_key(), hashed)
        except redis.RedisError as exc:
            raise StoreUnavailable("API keys are unreachable") from exc
        if raw is None:
            return None
        record = ApiKey(**json.loads(raw))
        if record.revoked_at is not None:
            return None
        used = ApiKey(**{**record.__dict__, "last_used_at": now.isoformat(timespec="seconds")})
        # Last-used is bookkeeping: when it cannot be written, the call is still authorized.
        with contextlib.suppress(redis.RedisError):
            self.client.hset(keys.api_keys_key(), hashed, json.dumps(used.__dict__))
        return used
