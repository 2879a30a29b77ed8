"""How large a ``POST /rpc`` body may be: 1 MiB with a live API key, 64 KiB without one.

Calls without a key come from frames (a render, a batch of at most 20 events, a consent
change: a few KB) and can never use more; the 1 MiB is for merchants' servers and admin
tools (campaign documents, event batches of 500). The limit is set before the body is
read, so an oversized anonymous body costs neither reading nor parsing (a 150 KB event
batch cost about 2 ms of parsing just to be refused: docs/security.md, "Public writes").

The key is checked here (one Redis read) only when the body could exceed 64 KiB, so a
made-up ``Authorization`` header does not lift the limit; the methods check keys again
for what they allow.
"""

from __future__ import annotations

import datetime as dt

from flask import current_app, request

from bff.errors import StoreUnavailable
from bff.rpc.auth import bearer_secret
from bff.store.api_keys import ApiKeyStore

MAX_BODY_BYTES = 1024 * 1024
MAX_ANONYMOUS_BODY_BYTES = 64 * 1024


def body_limit() -> int:
    """The most this request may send (``MAX_BODY_BYTES`` or ``MAX_ANONYMOUS_BODY_BYTES``)."""
    length = request.content_length
    if length is not None and length <= MAX_ANONYMOUS_BODY_BYTES:
        return MAX_ANONYMOUS_BODY_BYTES  # fits either way: no key lookup
    secret = bearer_secret()
    if secret is None:
        return MAX_ANONYMOUS_BODY_BYTES
    keys: ApiKeyStore = current_app.extensions["onsite.api_keys"]
    try:
        key = keys.authenticate(secret, dt.datetime.now(dt.UTC))
    except StoreUnavailable:
        return MAX_BODY_BYTES  # the method will report the outage (-32002) or the key (-32003)
    return MAX_BODY_BYTES if key is not None else MAX_ANONYMOUS_BODY_BYTES
