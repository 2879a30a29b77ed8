"""RPC methods of shoppers' data: consent changes (public) and GDPR rights (admin).

``consent.update(client_id, session_id, personalization, customer_token=None, source="page")``
records a verified shopper's consent change. ``profiles.export(customer_ref)`` and
``profiles.erase(customer_ref)`` need a merchant-admin API key and act on that merchant's
data only.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import current_app
from flask_jsonrpc import JSONRPC

from bff.audit.log import actor_of_key
from bff.consent import record_choice
from bff.gdpr import erase_shopper, export_shopper
from bff.rate_limits import client_ip, enforce
from bff.rpc import placements
from bff.rpc import validation as v
from bff.rpc.auth import require_api_key
from bff.rpc.early_refusal import CONSENT_LIMIT
from bff.rpc.exposed import exposed
from bff.settings import Settings
from bff.store.profiles import ProfileStore

SOURCES = ("page", "api", "attribute")


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
    customer_token: Any = None,
) -> dict[str, Any]:
    """Record a shopper's consent choice; public, so bounded and verified.

    Rate-limited per client address and per (merchant, session) (-32005 beyond). The
    choice is kept only for a ``customer_token`` that verifies (see ``bff.consent``);
    without one nothing personal is kept and ``recorded`` is false. ``customer_ref`` is
    still accepted from older loaders but never used: a named ref proves nothing.
    Returns ``{"recorded", "verified", "personalization"}``.
    """
    client = v.identifier("client_id", v.required({"client_id": client_id}, "client_id"))
    session = v.session_id("session_id", v.required({"session_id": session_id}, "session_id"))
    granted = v.boolean(
        "personalization", v.required({"personalization": personalization}, "personalization")
    )
    origin = v.choice("source", source, SOURCES) if source is not None else "page"
    if customer_ref is not None:
        v.customer_ref("customer_ref", customer_ref)
    token = placements.token("customer_token", customer_token) if customer_token is not None else None
    settings: Settings = current_app.extensions["onsite.settings"]
    enforce(CONSENT_LIMIT, settings.consent_rate_per_ip, client_ip())
    enforce("consent.update/session", settings.consent_rate_per_session, f"{client}/{session}")
    return record_choice(client, session, granted, token, origin, dt.datetime.now(dt.UTC))


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
