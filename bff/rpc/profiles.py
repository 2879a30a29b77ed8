"""RPC methods of shoppers' data: consent changes (public) and GDPR rights (admin).

``consent.update(client_id, session_id, personalization, customer_ref=None, source="page")``
records a consent change. ``profiles.export(customer_ref)`` and ``profiles.erase(customer_ref)``
need a merchant-admin API key and act on that merchant's data only.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import current_app
from flask_jsonrpc import JSONRPC

from bff.audit.log import actor_of_key, record_safely
from bff.gdpr import erase_shopper, export_shopper
from bff.rpc import validation as v
from bff.rpc.auth import require_api_key
from bff.rpc.endpoint import exposed
from bff.store.keys import ref_hash
from bff.store.profiles import ProfileStore

SOURCES = ("page", "api", "attribute")


def _audit(action: str, actor: dict[str, str], target: dict[str, Any], details: dict[str, Any]) -> None:
    # Shopper refs appear only as keyed hashes in the audit log.
    record_safely(current_app.extensions["onsite.audit"], action, actor, target=target, details=details)


def profile_store() -> ProfileStore:
    found: ProfileStore = current_app.extensions["onsite.profiles"]
    return found


@exposed
def update_consent(
    client_id: Any = None,
    session_id: Any = None,
    personalization: Any = None,
    customer_ref: Any = None,
    source: Any = None,
) -> dict[str, Any]:
    """Record a shopper's consent change. Without a ``customer_ref`` nothing personal is kept."""
    client = v.identifier("client_id", v.required({"client_id": client_id}, "client_id"))
    v.session_id("session_id", v.required({"session_id": session_id}, "session_id"))
    granted = v.boolean(
        "personalization", v.required({"personalization": personalization}, "personalization")
    )
    origin = v.choice("source", source, SOURCES) if source is not None else "page"
    if customer_ref is None:
        return {"recorded": False, "personalization": granted}
    ref = v.customer_ref("customer_ref", customer_ref)
    profile_store().record_consent(client, ref, granted, origin, dt.datetime.now(dt.UTC))
    _audit(
        "consent.change",
        {"kind": "shopper", "id": ref_hash(client, ref), "merchant": client},
        {"merchant": client, "ref_hash": ref_hash(client, ref)},
        {"personalization": granted, "source": origin},
    )
    return {"recorded": True, "personalization": granted}


@exposed
def export(customer_ref: Any = None) -> dict[str, Any]:
    """Everything held about one shopper of the caller's merchant."""
    key = require_api_key("rpc:profiles.export")
    ref = v.customer_ref("customer_ref", v.required({"customer_ref": customer_ref}, "customer_ref"))
    return export_shopper(key.client_id, ref, actor_of_key(key.key_id, key.client_id))


@exposed
def erase(customer_ref: Any = None) -> dict[str, Any]:
    """Remove everything held about one shopper of the caller's merchant; returns what was removed."""
    key = require_api_key("rpc:profiles.erase")
    ref = v.customer_ref("customer_ref", v.required({"customer_ref": customer_ref}, "customer_ref"))
    return erase_shopper(key.client_id, ref, actor_of_key(key.key_id, key.client_id))


def register(jsonrpc: JSONRPC) -> None:
    jsonrpc.register(update_consent, name="consent.update", validate=False)
    jsonrpc.register(export, name="profiles.export", validate=False)
    jsonrpc.register(erase, name="profiles.erase", validate=False)
