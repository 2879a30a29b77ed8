"""Identity secret administration, the same from the admin RPC and the CLI.

``create_secret``, ``rotate_secret``, ``revoke_secret`` and ``list_secrets`` act on one
merchant and need an app context. Each change writes one audit record naming the actor
and the secret id (never the secret). The secret value is returned by create and rotate
only: it is shown to the caller once (it can be derived again, but no call returns it).
Raises ``NotFound`` for an unknown merchant or secret, ``Conflict`` when a rule refuses
the change (``bff.identity.secrets``), ``StoreUnavailable`` when Redis fails.
"""

from __future__ import annotations

import datetime as dt
import secrets as random
from typing import Any

from flask import current_app

from bff.audit.log import record_safely
from bff.errors import Conflict, NotFound
from bff.identity import secrets as rules
from bff.identity.verifier import IdentityVerifier
from bff.store.identity_secrets import IdentitySecretStore
from bff.store.merchant_config import MerchantConfigStore


def list_secrets(client_id: str) -> list[dict[str, Any]]:
    """Every secret record of the merchant (ids, dates, whether active), newest first."""
    _require_merchant(client_id)
    records = sorted(_store().list(client_id), key=lambda r: (r.created_at, r.id), reverse=True)
    return [r.as_dict() | {"active": r.active} for r in records]


def create_secret(client_id: str, actor: dict[str, str]) -> dict[str, Any]:
    """A new active secret (at most two active): ``{"id", "secret", "active": [ids]}``."""
    return _add(client_id, actor, rules.create, "identity_secret.create")


def rotate_secret(client_id: str, actor: dict[str, str]) -> dict[str, Any]:
    """A new active secret; the newest previous one stays valid, older ones are revoked."""
    return _add(client_id, actor, rules.rotate, "identity_secret.rotate")


def revoke_secret(client_id: str, secret_id: str, actor: dict[str, str]) -> dict[str, Any]:
    """End one secret now: tokens it signed are refused from the next render on."""
    _require_merchant(client_id)
    now = _now()
    try:
        records = _store().change(client_id, lambda r: rules.revoke(r, secret_id, now))
    except rules.SecretRuleError as exc:
        raise NotFound(str(exc)) from exc
    _audit("identity_secret.revoke", actor, client_id, secret_id)
    return {"id": secret_id, "revoked_at": now, "active": [r.id for r in rules.active(records)]}


def _add(client_id: str, actor: dict[str, str], rule: Any, action: str) -> dict[str, Any]:
    _require_merchant(client_id)
    new_id, now = random.token_hex(6), _now()
    try:
        records = _store().change(client_id, lambda r: rule(r, new_id, now))
    except rules.SecretRuleError as exc:
        raise Conflict(str(exc)) from exc
    _audit(action, actor, client_id, new_id)
    return {
        "id": new_id,
        "secret": verifier().secret(client_id, new_id),
        "created_at": now,
        "active": [r.id for r in rules.active(records)],
    }


def verifier() -> IdentityVerifier:
    found: IdentityVerifier = current_app.extensions["onsite.identity"]
    return found


def _require_merchant(client_id: str) -> None:
    configs: MerchantConfigStore = current_app.extensions["onsite.merchants"]
    if configs.read_version(client_id) == 0:
        raise NotFound(f"No merchant {client_id!r}")


def _store() -> IdentitySecretStore:
    found: IdentitySecretStore = current_app.extensions["onsite.identity_secrets"]
    return found


def _audit(action: str, actor: dict[str, str], client_id: str, secret_id: str) -> None:
    target = {"merchant": client_id, "secret_id": secret_id}
    record_safely(current_app.extensions["onsite.audit"], action, actor, target=target)


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds")
