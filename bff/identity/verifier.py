"""Turns a customer token into a verified customer ref, with the merchant's active secrets.

``IdentityVerifier.verify(token, client_id, secret_ids, now_s)``: ``secret_ids`` are the
merchant's active identity secret ids as loaded with its configuration (so a rotation or
revocation takes effect with the next configuration version every process already
watches). The secrets are derived, never read from Redis; derivations are cached.

Verified tokens are remembered too (``MAX_REMEMBERED`` per process): a signed-in shopper
sends the same token with every render, and checking its HS256 signature with PyJWT cost
about 5% of a render's CPU (docs/serving.md). A remembered verdict is reused only for the
same token, merchant and set of active secrets (a revoked secret changes the set, so the
token is verified again), and its expiry is checked against ``now_s`` every time.
Rejections are not remembered: forged tokens must not fill the memory.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

from bff.identity import tokens
from bff.identity.secrets import derive_secret
from bff.server_key import ServerKey

PURPOSE = "identity-secret"
MAX_REMEMBERED = 4096  # tokens are at most 2 KB: at most about 8 MB per process


class IdentityVerifier:
    def __init__(self, server_key: ServerKey) -> None:
        identity_key = server_key.derive(PURPOSE)
        self.secret = lru_cache(maxsize=4096)(lambda client_id, secret_id: derive_secret(
            identity_key, client_id, secret_id
        ))  # fmt: skip
        self._verified: dict[tuple[str, str, tuple[str, ...]], tokens.Verified] = {}

    def verify(
        self, token: str, client_id: str, secret_ids: Sequence[str], now_s: float
    ) -> tokens.Verified | tokens.Rejected:
        key = (token, client_id, tuple(secret_ids))
        known = self._verified.get(key)
        if known is not None:
            problem = tokens.lifetime_problem(known.expires_s, now_s)
            return known if problem is None else tokens.Rejected(problem)
        secrets = {secret_id: self.secret(client_id, secret_id) for secret_id in secret_ids}
        verdict = tokens.verify(token, client_id, secrets, now_s)
        if isinstance(verdict, tokens.Verified):
            if len(self._verified) >= MAX_REMEMBERED:
                self._verified.clear()  # bounded; the busy tokens come back at once
            self._verified[key] = verdict
        return verdict
