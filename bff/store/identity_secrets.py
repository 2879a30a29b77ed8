"""A merchant's identity secret records in Redis (ids and dates only, never a secret).

One JSON list per merchant, changed under WATCH so concurrent admins cannot lose a
change; every change bumps the configuration version, so every process picks up the new
set of active ids with the configuration it already reloads (``merchant_config``).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from typing import Any

import redis

from bff.errors import StoreUnavailable
from bff.identity.secrets import IdentitySecret
from bff.store import keys
from bff.store.config_version_watch import announce_config_change
from bff.store.watched import update_watched

Change = Callable[[list[IdentitySecret]], list[IdentitySecret]]
MAX_ATTEMPTS = 50


def parse_records(raw: bytes | str | None) -> list[IdentitySecret]:
    """Records from their stored JSON; anything unreadable is no records (no secret valid)."""
    try:
        data = json.loads(raw) if raw else []
    except ValueError:
        return []
    if not isinstance(data, list):
        return []
    return [
        IdentitySecret(d["id"], d["created_at"], d.get("revoked_at"))
        for d in data
        if isinstance(d, dict) and isinstance(d.get("id"), str) and isinstance(d.get("created_at"), str)
    ]


class IdentitySecretStore:
    def __init__(self, client: redis.Redis) -> None:
        self.client = client

    def list(self, client_id: str) -> list[IdentitySecret]:
        try:
            return parse_records(self.client.get(keys.identity_secrets_key(client_id)))
        except redis.RedisError as exc:
            raise StoreUnavailable("identity secrets are unreachable") from exc

    def change(self, client_id: str, change: Change) -> Sequence[IdentitySecret]:
        """Apply ``change`` to the current records atomically; returns the new records.

        ``change`` may raise ``SecretRuleError``; nothing is written then.
        """
        key = keys.identity_secrets_key(client_id)

        def attempt(pipe: Any) -> list[IdentitySecret]:
            records = change(parse_records(pipe.get(key)))
            pipe.multi()
            pipe.set(key, json.dumps([r.as_dict() for r in records], separators=(",", ":")))
            pipe.incr(keys.config_version_key(client_id))
            return records

        try:
            records = update_watched(
                self.client, [key], attempt, MAX_ATTEMPTS, "the identity secrets are busy: retry"
            )
        except redis.RedisError as exc:
            raise StoreUnavailable("could not change the identity secrets") from exc
        announce_config_change(self.client, client_id)
        return records
