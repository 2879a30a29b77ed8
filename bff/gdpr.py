"""GDPR requests about one shopper (access and erasure), the same from the RPC API and the CLI.

Each request acts on the merchant's profile store and then writes one audit record naming
who asked (an API key or the CLI) and the shopper only as the ref pseudonym
(``ProfileStore.ref_hash``, keyed by the server secret: nobody can confirm a guessed ref
against the audit log without it). After an erasure the AOF rewrite is asked for or marked
due (``bff/store/aof_rewrites.py``); its outcome is returned and audited, and never fails
the erasure.

Callers validate the ref first; both functions need an app context. Redis failing or
timing out raises ``StoreUnavailable`` (which the RPC methods answer with -32002).
"""

from __future__ import annotations

import time
from typing import Any

import redis
from flask import current_app

from bff.audit.log import record_safely
from bff.errors import StoreUnavailable
from bff.store.aof_rewrites import AofRewrites
from bff.store.profiles import ProfileStore


def export_shopper(client_id: str, customer_ref: str, actor: dict[str, str]) -> dict[str, Any]:
    """Everything held about the shopper: ``{"customer_ref", "profile", ...}`` (profile None if unknown)."""
    try:
        exported = _profiles().export(client_id, customer_ref)
    except redis.RedisError as exc:  # a second net: ProfileStore translates its own errors
        raise StoreUnavailable("profiles are unreachable") from exc
    _audit("profile.export", client_id, customer_ref, actor, {"found": exported["profile"] is not None})
    return {"customer_ref": customer_ref, **exported}


def erase_shopper(client_id: str, customer_ref: str, actor: dict[str, str]) -> dict[str, Any]:
    """Remove everything held about the shopper (``ProfileStore.erase``), then see to the AOF
    rewrite; returns ``{"customer_ref", "removed": {...counts}, "aof_rewrite": outcome}``."""
    try:
        removed = _profiles().erase(client_id, customer_ref)
    except redis.RedisError as exc:  # as export
        raise StoreUnavailable("profiles are unreachable") from exc
    rewrites: AofRewrites = current_app.extensions["onsite.aof_rewrites"]
    rewrite = rewrites.erasure_done(time.time())
    _audit("profile.erase", client_id, customer_ref, actor, {**removed, "aof_rewrite": rewrite})
    return {"customer_ref": customer_ref, "removed": removed, "aof_rewrite": rewrite}


def _profiles() -> ProfileStore:
    store: ProfileStore = current_app.extensions["onsite.profiles"]
    return store


def _audit(
    action: str, client_id: str, customer_ref: str, actor: dict[str, str], details: dict[str, Any]
) -> None:
    target = {"merchant": client_id, "ref_hash": _profiles().ref_hash(client_id, customer_ref)}
    record_safely(current_app.extensions["onsite.audit"], action, actor, target=target, details=details)
