"""Admin RPC methods of identity secrets (``identity.secrets.*``).

A ``merchant_admin`` key acts on its own merchant (``client_id`` may be omitted, and any
other merchant is refused); an ``admin`` key names the merchant with ``client_id``.

* ``identity.secrets.list(client_id?)`` -> ``{"secrets": [{"id", "created_at", "revoked_at", "active"}]}``
* ``identity.secrets.create(client_id?)`` / ``identity.secrets.rotate(client_id?)`` ->
  ``{"id", "secret", "created_at", "active"}``: the secret is shown in this reply only.
* ``identity.secrets.revoke(secret_id, client_id?)`` -> ``{"id", "revoked_at", "active"}``.
"""

from __future__ import annotations

from typing import Any

from flask_jsonrpc import JSONRPC

from bff.audit.log import actor_of_key
from bff.errors import InvalidParams, Unauthorized
from bff.identity import admin
from bff.identity.secrets import SECRET_ID
from bff.rpc import validation as v
from bff.rpc.auth import require_api_key
from bff.rpc.exposed import exposed
from bff.store.api_keys import ApiKey


def _merchant(caller: ApiKey, client_id: Any) -> str:
    if caller.role == "admin":
        return v.identifier("client_id", v.required({"client_id": client_id}, "client_id"))
    if client_id is not None and client_id != caller.client_id:
        raise Unauthorized("This API key may manage only its own merchant's identity secrets.")
    return caller.client_id


@exposed
def list_secrets(client_id: Any = None) -> dict[str, Any]:
    """The merchant's identity secret records (no secret values)."""
    caller = require_api_key("rpc:identity.secrets.list")
    return {"secrets": admin.list_secrets(_merchant(caller, client_id))}


@exposed
def create_secret(client_id: Any = None) -> dict[str, Any]:
    """A new active identity secret (refused with -32009 when two are active already)."""
    caller = require_api_key("rpc:identity.secrets.create")
    merchant = _merchant(caller, client_id)
    return admin.create_secret(merchant, actor_of_key(caller.key_id, caller.client_id))


@exposed
def rotate_secret(client_id: Any = None) -> dict[str, Any]:
    """A new active identity secret; the previous one stays valid until revoked or rotated out."""
    caller = require_api_key("rpc:identity.secrets.rotate")
    merchant = _merchant(caller, client_id)
    return admin.rotate_secret(merchant, actor_of_key(caller.key_id, caller.client_id))


@exposed
def revoke_secret(secret_id: Any = None, client_id: Any = None) -> dict[str, Any]:
    """End one identity secret now."""
    caller = require_api_key("rpc:identity.secrets.revoke")
    merchant = _merchant(caller, client_id)
    if not isinstance(secret_id, str) or not SECRET_ID.fullmatch(secret_id):
        raise InvalidParams("secret_id", "must be the 12 hex characters of a secret id")
    return admin.revoke_secret(merchant, secret_id, actor_of_key(caller.key_id, caller.client_id))


def register(jsonrpc: JSONRPC) -> None:
    jsonrpc.register(list_secrets, name="identity.secrets.list", validate=False)
    jsonrpc.register(create_secret, name="identity.secrets.create", validate=False)
    jsonrpc.register(rotate_secret, name="identity.secrets.rotate", validate=False)
    jsonrpc.register(revoke_secret, name="identity.secrets.revoke", validate=False)
