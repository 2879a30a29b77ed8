"""GDPR requests about one shopper (access and erasure), the same from the RPC API and the CLI.

Each request acts on the merchant's profile store and then writes one audit record naming
who asked (an API key or the CLI) and the shopper only as a keyed hash of the ref.
Callers validate the ref first; both functions need an app context.
"""

from __future__ import annotations

from typing import Any

from flask import current_app

from bff.audit.log import record_safely
from bff.store.keys import ref_hash
from bff.store.profiles import ProfileStore


def export_shopper(client_id: str, customer_ref: str, actor: dict[str, str]) -> dict[str, Any]:
    """Everything held about the shopper: ``{"customer_ref", "profile", ...}`` (profile None if unknown)."""
    exported = _profiles().export(client_id, customer_ref)
    _audit("profile.export", client_id, customer_ref, actor, {"found": exported["profile"] is not None})
    return {"customer_ref": customer_ref, **exported}


def erase_shopper(client_id: str, customer_ref: str, actor: dict[str, str]) -> dict[str, Any]:
    """Remove everything held about the shopper; returns ``{"customer_ref", "removed": {...counts}}``."""
    removed = _profiles().erase(client_id, customer_ref)
    _audit("profile.erase", client_id, customer_ref, actor, removed)
    return {"customer_ref": customer_ref, "removed": removed}


def _profiles() -> ProfileStore:
    store: ProfileStore = current_app.extensions["onsite.profiles"]
    return store


def _audit(
    action: str, client_id: str, customer_ref: str, actor: dict[str, str], details: dict[str, Any]
) -> None:
    target = {"merchant": client_id, "ref_hash": ref_hash(client_id, customer_ref)}
    record_safely(current_app.extensions["onsite.audit"], action, actor, target=target, details=details)
