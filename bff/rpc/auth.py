"""API-key authorization of admin RPC methods: ``Authorization: Bearer <key>``."""

from __future__ import annotations

import datetime as dt

from flask import current_app, request

from bff.auth.roles import allowed
from bff.errors import Unauthorized
from bff.store.api_keys import ApiKey, ApiKeyStore


def require_api_key(resource: str) -> ApiKey:
    """The caller's key record when its role may use ``resource`` (see ``bff.auth.roles``).

    ``Unauthorized`` (-32003) when the key is missing, unknown or revoked, or its role is
    not allowed the resource.
    """
    header = request.headers.get("Authorization", "")
    scheme, _, secret = header.partition(" ")
    if scheme.lower() != "bearer" or not secret.strip():
        raise Unauthorized()
    store: ApiKeyStore = current_app.extensions["onsite.api_keys"]
    key = store.authenticate(secret.strip(), dt.datetime.now(dt.UTC))
    if key is None:
        raise Unauthorized("The API key is unknown or revoked.")
    if not allowed(key.role, resource):
        raise Unauthorized(f"This API key's role ({key.role}) may not call {resource.removeprefix('rpc:')}.")
    return key
