"""Turns a customer token into a verified customer ref, with the merchant's active secrets.

``IdentityVerifier.verify(token, client_id, secret_ids, now_s)``: ``secret_ids`` are the
merchant's active identity secret ids as loaded with its configuration (so a rotation or
revocation takes effect with the next configuration version every process already
watches). The secrets are derived, never read from Redis; derivations are cached.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

from bff.identity import tokens
from bff.identity.secrets import derive_secret
from bff.server_key import ServerKey

PURPOSE = "identity-secret"


class IdentityVerifier:
    def __init__(self, server_key: ServerKey) -> None:
        identity_key = server_key.derive(PURPOSE)
        self.secret = lru_cache(maxsize=4096)(lambda client_id, secret_id: derive_secret(
            identity_key, client_id, secret_id
        ))  # fmt: skip

    def verify(
        self, token: str, client_id: str, secret_ids: Sequence[str], now_s: float
    ) -> tokens.Verified | tokens.Rejected:
        secrets = {secret_id: self.secret(client_id, secret_id) for secret_id in secret_ids}
        return tokens.verify(token, client_id, secrets, now_s)
