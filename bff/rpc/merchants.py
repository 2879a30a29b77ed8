"""Admin RPC methods of merchant documents (``merchants.*``), over ``bff.merchants.admin``.

An ``admin`` key may call every method for any merchant (``client_id`` required). A
``merchant_admin`` key may call ``get``, ``history`` and ``update`` for its own merchant
only (``client_id`` may be omitted), and ``update`` only the fields ``name``,
``allowed_origins``, ``markets``, ``placements`` and ``brand`` (``MERCHANT_ADMIN_FIELDS``: a
merchant runs its own placement keys); anything else (``disabled``, ``currencies``) is
-32003 naming the field.

* ``merchants.create(merchant)`` -> ``{"merchant": doc}`` (version 1)
* ``merchants.get(client_id?)`` -> ``{"merchant": doc}``
* ``merchants.update(version, changes, client_id?)`` -> ``{"merchant": doc}``; a stale
  ``version`` is -32009
* ``merchants.list()`` -> ``{"merchants": [{client_id, name, version, disabled, updated_at}]}``
* ``merchants.history(client_id?)`` -> ``{"versions": [{version, updated_at, updated_by, document}]}``
* ``merchants.rollback(client_id, to_version)`` -> ``{"merchant": doc}`` (a new version)
* ``merchants.disable(client_id)`` / ``merchants.enable(client_id)`` -> ``{"merchant": doc}``
"""

from __future__ import annotations

from typing import Any

from flask_jsonrpc import JSONRPC

from bff.audit.log import actor_of_key
from bff.errors import InvalidParams, Unauthorized
from bff.merchants import admin
from bff.merchants.changes import MERCHANT_ADMIN_FIELDS
from bff.rpc import validation as v
from bff.rpc.auth import require_api_key
from bff.rpc.exposed import exposed
from bff.store.api_keys import ApiKey


def _merchant(caller: ApiKey, client_id: Any) -> str:
    if caller.role == "admin":
        return v.identifier("client_id", v.required({"client_id": client_id}, "client_id"))
    if client_id is not None and client_id != caller.client_id:
        raise Unauthorized("This API key may manage only its own merchant.")
    return caller.client_id


def _actor(caller: ApiKey) -> dict[str, str]:
    return actor_of_key(caller.key_id, caller.client_id)


def _version(name: str, value: Any) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or not 0 < value < 2**53:
        raise InvalidParams(
            name, "must be a positive integer (a version from merchants.get or merchants.history)"
        )
    return value


@exposed
def create(merchant: Any = None) -> dict[str, Any]:
    """Create a merchant document (every problem reported with its field path)."""
    caller = require_api_key("rpc:merchants.create")
    return {"merchant": admin.create(v.required({"merchant": merchant}, "merchant"), _actor(caller))}


@exposed
def get(client_id: Any = None) -> dict[str, Any]:
    """The merchant's current document and version."""
    caller = require_api_key("rpc:merchants.get")
    return {"merchant": admin.get(_merchant(caller, client_id))}


@exposed
def update(version: Any = None, changes: Any = None, client_id: Any = None) -> dict[str, Any]:
    """Replace the fields in ``changes``; ``version`` is the one you read (stale: -32009)."""
    caller = require_api_key("rpc:merchants.update")
    merchant = _merchant(caller, client_id)
    read = _version("version", version)
    allowed = None if caller.role == "admin" else MERCHANT_ADMIN_FIELDS
    return {"merchant": admin.update(merchant, read, changes, _actor(caller), allowed)}


@exposed
def list_merchants() -> dict[str, Any]:
    """A summary of every merchant."""
    require_api_key("rpc:merchants.list")
    return {"merchants": admin.list_merchants()}


@exposed
def history(client_id: Any = None) -> dict[str, Any]:
    """The current and kept earlier versions, newest first."""
    caller = require_api_key("rpc:merchants.history")
    return {"versions": admin.history(_merchant(caller, client_id))}


@exposed
def rollback(client_id: Any = None, to_version: Any = None) -> dict[str, Any]:
    """Restore the content of ``to_version`` as a new version."""
    caller = require_api_key("rpc:merchants.rollback")
    merchant = _merchant(caller, client_id)
    return {"merchant": admin.rollback(merchant, _version("to_version", to_version), _actor(caller))}


@exposed
def disable(client_id: Any = None) -> dict[str, Any]:
    """Stop the merchant's placements (renders answer -32001)."""
    caller = require_api_key("rpc:merchants.disable")
    return {"merchant": admin.set_disabled(_merchant(caller, client_id), True, _actor(caller))}


@exposed
def enable(client_id: Any = None) -> dict[str, Any]:
    """Serve the merchant's placements again."""
    caller = require_api_key("rpc:merchants.enable")
    return {"merchant": admin.set_disabled(_merchant(caller, client_id), False, _actor(caller))}


def register(jsonrpc: JSONRPC) -> None:
    for function, name in (
        (create, "create"),
        (get, "get"),
        (update, "update"),
        (list_merchants, "list"),
        (history, "history"),
        (rollback, "rollback"),
        (disable, "disable"),
        (enable, "enable"),
    ):
        jsonrpc.register(function, name=f"merchants.{name}", validate=False)
