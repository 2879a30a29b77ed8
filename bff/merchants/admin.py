"""Merchant administration, the same from the admin RPC and the CLI.

Every operation needs an app context. Each change is one new version of the document
(``bff.store.merchant_documents``: the previous one goes to the history, the configuration
version moves, so renders reload) and one audit record naming the actor, the merchant, the
new version and the fields that changed. A save that changes nothing writes nothing and
records nothing.

Raises ``InvalidDocument`` (-32602, problems by field path), ``InvalidParams``,
``NotFound`` (-32004) for an unknown merchant or version, ``Conflict`` (-32009) when the
merchant exists already (create) or moved past the version the caller read (update),
``Unauthorized`` (-32003) for a field outside ``allowed_fields``, ``StoreUnavailable``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import current_app

from bff.audit.log import record_safely
from bff.decisions.merchant import METADATA_FIELDS, merchant_problems
from bff.errors import InvalidDocument, InvalidParams, NotFound, StoreCorrupt
from bff.merchants.changes import changed_document, changed_fields, rollback_document
from bff.store.merchant_config import MerchantConfigStore
from bff.store.merchant_documents import MerchantDocumentStore, content_of, version_of


def create(doc: Any, actor: dict[str, str]) -> dict[str, Any]:
    """Store a new merchant as version 1; ``Conflict`` when the id is taken."""
    if isinstance(doc, dict):
        given = [name for name in METADATA_FIELDS if name in doc]
        if given:
            raise InvalidParams(f"merchant.{given[0]}", "is written by the server, leave it out")
    stored = _save(doc, actor, 0, "merchant")
    _audit("merchant.create", actor, stored, changed_fields(None, stored))
    return stored


def get(client_id: str) -> dict[str, Any]:
    """The current document with ``version``, ``updated_at`` and ``updated_by``."""
    stored = _documents().current(client_id)
    if stored is None:
        raise NotFound(f"No merchant {client_id!r}.")
    return stored


def list_merchants() -> list[dict[str, Any]]:
    """``{client_id, name, version, disabled, updated_at}`` of every merchant, by id. A
    merchant whose stored document cannot be read (``StoreCorrupt``, logged with its key) is
    listed as ``{client_id, name: client_id, version: 0, unreadable: true}``, so that one
    damaged document does not hide the others."""
    summaries: list[dict[str, Any]] = []
    for client_id in _documents().client_ids():
        try:
            stored = _documents().current(client_id)
        except StoreCorrupt:
            summaries.append(
                {"client_id": client_id, "name": client_id, "version": 0, "disabled": False,
                 "updated_at": None, "unreadable": True}
            )  # fmt: skip
            continue
        if stored is not None:
            summaries.append(
                {
                    "client_id": client_id,
                    "name": stored.get("name", client_id),
                    "version": version_of(stored),
                    "disabled": bool(stored.get("disabled", False)),
                    "updated_at": stored.get("updated_at"),
                }
            )
    return summaries


def update(
    client_id: str,
    version: int,
    changes: Any,
    actor: dict[str, str],
    allowed_fields: tuple[str, ...] | None = None,
) -> dict[str, Any]:
    """Apply ``changes`` (field -> new value) to ``version``, the version the caller read."""
    current = get(client_id)
    updated = changed_document(current, changes, allowed_fields)
    stored = _save(updated, actor, version, "changes")
    if version_of(stored) != version_of(current):
        _audit("merchant.update", actor, stored, changed_fields(current, stored))
    return stored


def set_disabled(client_id: str, disabled: bool, actor: dict[str, str]) -> dict[str, Any]:
    """Disable (renders answer -32001) or enable the merchant: a new version, audited."""
    current = get(client_id)
    stored = _save({**content_of(current), "disabled": disabled}, actor, version_of(current), "merchant")
    if version_of(stored) != version_of(current):
        _audit("merchant.disable" if disabled else "merchant.enable", actor, stored, ["disabled"])
    return stored


def history(client_id: str) -> list[dict[str, Any]]:
    """``{version, updated_at, updated_by, document}`` of the current and the kept earlier
    versions, newest first."""
    current = get(client_id)
    return [
        {
            "version": version_of(doc),
            "updated_at": doc.get("updated_at"),
            "updated_by": doc.get("updated_by"),
            "document": content_of(doc),
        }
        for doc in [current, *_documents().history(client_id)]
    ]


def rollback(client_id: str, to_version: int, actor: dict[str, str]) -> dict[str, Any]:
    """Save the content of ``to_version`` as a new version (audited with both versions)."""
    current = get(client_id)
    restored = rollback_document(current, _documents().history(client_id), to_version)
    stored = _save(restored, actor, version_of(current), "to_version")
    if version_of(stored) == version_of(current):
        return stored
    _audit(
        "merchant.rollback",
        actor,
        stored,
        changed_fields(current, stored),
        {"from_version": version_of(current), "to_version": to_version},
    )
    return stored


def _save(doc: Any, actor: dict[str, str], expected_version: int, param: str) -> dict[str, Any]:
    problems = merchant_problems(doc)
    if problems:
        raise InvalidDocument(param, problems)
    return _documents().save(doc, actor, _now(), expected_version)


def _documents() -> MerchantDocumentStore:
    configs: MerchantConfigStore = current_app.extensions["onsite.merchants"]
    return configs.documents


def _audit(
    action: str,
    actor: dict[str, str],
    stored: dict[str, Any],
    fields: list[str],
    extra: dict[str, Any] | None = None,
) -> None:
    target = {"merchant": stored["client_id"], "version": version_of(stored)}
    details = {"fields": fields, **(extra or {})}
    record_safely(current_app.extensions["onsite.audit"], action, actor, target=target, details=details)


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds")
