"""Who sends an ``events.track`` call: one of our frames (anonymous) or a merchant's server.

``sender_merchant()`` returns None when the request has no ``Authorization`` header (a
frame's notification) and the merchant's client id when it carries a live API key
(``Authorization: Bearer <key>``, keys stored hashed by ``bff.store.api_keys``, any role:
a key is scoped to one merchant). A header with a missing, unknown or revoked key raises
``Unauthorized`` rather than silently downgrading the call to an anonymous one.
"""

from __future__ import annotations

import datetime as dt
from typing import Protocol

from flask import current_app, request

from bff.errors import ServiceUnavailable, StoreUnavailable, Unauthorized
from bff.rpc.auth import bearer_secret


class KeyRecord(Protocol):
    client_id: str


class ApiKeyAuthenticator(Protocol):
    """What the events endpoint needs of the API key store (``bff.store.api_keys.ApiKeyStore``)."""

    def authenticate(self, secret: str, now: dt.datetime) -> KeyRecord | None: ...


def sender_merchant() -> str | None:
    """The authenticated merchant of the current request, or None for an anonymous frame."""
    if "Authorization" not in request.headers:
        return None
    secret = bearer_secret()
    if secret is None:
        raise Unauthorized()
    keys: ApiKeyAuthenticator = current_app.extensions["onsite.api_keys"]
    try:
        record = keys.authenticate(secret, dt.datetime.now(dt.UTC))
    except StoreUnavailable as exc:
        raise ServiceUnavailable() from exc
    if record is None:
        raise Unauthorized("The API key is unknown or revoked.")
    return record.client_id
