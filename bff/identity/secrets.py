"""A merchant's identity secrets: the rules (pure) and how each secret is derived.

Records are ``{"id", "created_at", "revoked_at"}``; a record without ``revoked_at`` is
active. Rules:

* ``create`` adds an active secret; refused when ``MAX_ACTIVE`` are already active.
* ``rotate`` adds an active secret and keeps the newest previous one valid, so tokens
  signed before the merchant's servers switch keep working; any older one is revoked.
  Two valid at once, never more.
* ``revoke`` ends one secret at once.

The secret itself is never stored: ``derive_secret`` computes it from the server's
``identity-secret`` key, the merchant and the secret id, so Redis holds only ids and
dates (a copy of Redis reveals no secret) and the value can be shown again to an admin
who lost it only by rotating.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
from collections.abc import Sequence
from dataclasses import dataclass

MAX_ACTIVE = 2
SECRET_PREFIX = "osi_"  # noqa: S105 (a prefix that marks the value, not a secret)
SECRET_ID = re.compile(r"[0-9a-f]{12}")


class SecretRuleError(ValueError):
    """The change breaks a rule (too many active, unknown id); the message says which."""


@dataclass(frozen=True)
class IdentitySecret:
    id: str
    created_at: str
    revoked_at: str | None = None

    @property
    def active(self) -> bool:
        return self.revoked_at is None

    def as_dict(self) -> dict[str, str | None]:
        return {"id": self.id, "created_at": self.created_at, "revoked_at": self.revoked_at}


def derive_secret(identity_key: bytes, client_id: str, secret_id: str) -> str:
    """The secret a merchant signs tokens with: ``osi_`` + 43 base64url characters."""
    digest = hmac.new(identity_key, f"{client_id}\n{secret_id}".encode(), hashlib.sha256).digest()
    return SECRET_PREFIX + base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def active(records: Sequence[IdentitySecret]) -> list[IdentitySecret]:
    """Active secrets, newest first."""
    return sorted((r for r in records if r.active), key=lambda r: (r.created_at, r.id), reverse=True)


def create(records: Sequence[IdentitySecret], new_id: str, now: str) -> list[IdentitySecret]:
    if len(active(records)) >= MAX_ACTIVE:
        raise SecretRuleError(f"{MAX_ACTIVE} secrets are active already: rotate or revoke one first")
    return [*records, IdentitySecret(new_id, now)]


def rotate(records: Sequence[IdentitySecret], new_id: str, now: str) -> list[IdentitySecret]:
    keep = {r.id for r in active(records)[: MAX_ACTIVE - 1]}
    ended = [r if not r.active or r.id in keep else IdentitySecret(r.id, r.created_at, now) for r in records]
    return [*ended, IdentitySecret(new_id, now)]


def revoke(records: Sequence[IdentitySecret], secret_id: str, now: str) -> list[IdentitySecret]:
    if not any(r.id == secret_id and r.active for r in records):
        raise SecretRuleError(f"no active identity secret {secret_id}")
    return [IdentitySecret(r.id, r.created_at, now) if r.id == secret_id else r for r in records]
