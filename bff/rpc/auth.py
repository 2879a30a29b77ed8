"""API-key authorization of admin RPC methods: ``Authorization: Bearer <key>``."""

from __future__ import annotations

import datetime as dt

from flask import current_app, request

from bff.auth.roles import allowed
from bff.errors import Unauthorized
from bff.store.api_keys import ApiKey, ApiKeyStore


def bearer_secret() -> str | None:
    """The key of this request's ``Authorization: Bearer <key>`` header; None when the header
    is missing or is not a bearer header with a key."""
    scheme, _, secret = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not secret.strip():
        return None
    return secret.strip()


def require_api_key(resource: str) -> ApiKey:
    """The caller's key record when its role may use ``resource`` (see ``bff.auth.roles``).

    ``Unauthorized`` (-32003) when the key is missing, unknown or revoked, or its role is
    not allowed the resource.
    """
    secret = bearer_secret()
    if secret is None:
        raise Unauthorized()
    store: ApiKeyStore = current_app.extensions["onsite.api_keys"]
    key = store.authenticate(secret, dt.datetime.now(dt.UTC))
    if key is None:
        raise Unauthorized("The API key is unknown or revoked.")
    if not allowed(key.role, resource):
        raise Unauthorized(f"This API key's role ({key.role}) may not call {resource.removeprefix('rpc:')}.")
    return key
