"""Admin RPC methods: API key revocation and read access to the audit log.

``keys.revoke(key_id)``: a merchant admin revokes its merchant's keys; an admin any key.
``audit.records(offset=0, limit=100)`` and ``audit.verify()``: for auditors and admins.
"""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from flask import current_app
from flask_jsonrpc import JSONRPC

from bff.audit.log import AuditLog, actor_of_key, record_safely
from bff.errors import InvalidParams, NotFound
from bff.rpc import validation as v
from bff.rpc.auth import require_api_key
from bff.rpc.exposed import exposed
from bff.store.api_keys import ApiKeyStore

MAX_PAGE = 1000


def _audit_log() -> AuditLog:
    found: AuditLog = current_app.extensions["onsite.audit"]
    return found


@exposed
def revoke_key(key_id: Any = None) -> dict[str, Any]:
    """Revoke an API key by its id (the 12 hex characters shown when it was created)."""
    caller = require_api_key("rpc:keys.revoke")
    if not isinstance(key_id, str) or len(key_id) != 12 or any(c not in "0123456789abcdef" for c in key_id):
        raise InvalidParams("key_id", "must be the 12 hex characters of the key id")
    store: ApiKeyStore = current_app.extensions["onsite.api_keys"]
    scope = None if caller.role == "admin" else caller.client_id
    revoked = store.revoke(key_id, dt.datetime.now(dt.UTC), merchant=scope)
    if revoked is None:
        raise NotFound(f"No API key {key_id} that this key may revoke")
    record_safely(
        _audit_log(),
        "api_key.revoke",
        actor_of_key(caller.key_id, caller.client_id),
        target={"merchant": revoked.client_id, "key_id": key_id},
    )
    return {"key_id": key_id, "revoked_at": revoked.revoked_at}


@exposed
def audit_records(offset: Any = None, limit: Any = None) -> dict[str, Any]:
    """A page of audit records, oldest first."""
    require_api_key("rpc:audit.records")
    start = v.amount("offset", offset) if offset is not None else 0
    size = v.amount("limit", limit) if limit is not None else 100
    if not 1 <= size <= MAX_PAGE:
        raise InvalidParams("limit", f"must be between 1 and {MAX_PAGE}")
    records = list(itertools.islice(_audit_log().records(), start, start + size))
    return {"offset": start, "records": records}


@exposed
def audit_verify() -> dict[str, Any]:
    """Check the whole chain and its checkpoints; names the first bad record or checkpoint line."""
    require_api_key("rpc:audit.verify")
    verdict = _audit_log().verify()
    return {
        "ok": verdict.ok,
        "checked": verdict.checked,
        "first_bad": verdict.first_bad,
        "checkpoint_line": verdict.checkpoint_line,
        "checkpoints": verdict.checkpoints,
        "reason": verdict.reason,
    }


def register(jsonrpc: JSONRPC) -> None:
    jsonrpc.register(revoke_key, name="keys.revoke", validate=False)
    jsonrpc.register(audit_records, name="audit.records", validate=False)
    jsonrpc.register(audit_verify, name="audit.verify", validate=False)
