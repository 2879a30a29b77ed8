"""Merchant documents in Redis: versioned, with a capped history of earlier versions.

Keys (all under the merchant's hash tag, so one MULTI covers them in a Cluster):
``merchant`` (the current document), ``merchant-history`` (a list of earlier documents,
newest first, at most ``HISTORY_LIMIT``) and the configuration ``version`` that the render
path watches. The set of merchant ids lives under ``{merchants}`` (``keys.merchant_ids_key``).

A stored document carries ``version`` (1, 2, ...), ``updated_at`` and ``updated_by`` (the
actor of that save); a document saved before versions existed reads as version 1.

``save`` is optimistic: with ``expected_version`` it refuses (``Conflict``) unless the
stored version is that one (0: no document yet). It runs under WATCH, so two writers that
read the same version cannot both win. A save that changes nothing is not written.
"""

from __future__ import annotations

import contextlib
import json
from typing import Any

import redis

from bff.decisions.merchant import METADATA_FIELDS, parse_merchant
from bff.errors import Conflict, StoreCorrupt, StoreUnavailable
from bff.store import keys
from bff.store.config_version_watch import announce_config_change
from bff.store.corruption import corrupt
from bff.store.watched import update_watched

HISTORY_LIMIT = 50
MAX_ATTEMPTS = 20


def content_of(doc: dict[str, Any]) -> dict[str, Any]:
    """The document without the store's metadata (what a caller edits and compares)."""
    return {k: v for k, v in doc.items() if k not in METADATA_FIELDS}


def version_of(doc: dict[str, Any] | None) -> int:
    """The stored version of ``doc`` (0: none; 1 for a document from before versions)."""
    if doc is None:
        return 0
    version = doc.get("version")
    return version if isinstance(version, int) and version > 0 else 1


class MerchantDocumentStore:
    """Reads and writes merchant documents; every write bumps the configuration version."""

    def __init__(self, client: redis.Redis) -> None:
        self.client = client

    def current(self, client_id: str) -> dict[str, Any] | None:
        """The stored document with its metadata, or None."""
        try:
            raw = self.client.get(keys.merchant_key(client_id))
        except redis.RedisError as exc:
            raise StoreUnavailable("merchant documents are unreachable") from exc
        return _decode(raw, keys.merchant_key(client_id))

    def history(self, client_id: str) -> list[dict[str, Any]]:
        """Earlier documents, newest first (at most ``HISTORY_LIMIT``); an unreadable one is
        left out (and logged)."""
        key = keys.merchant_history_key(client_id)
        try:
            raws = self.client.lrange(key, 0, -1)
        except redis.RedisError as exc:
            raise StoreUnavailable("merchant documents are unreachable") from exc
        docs = []
        for raw in raws:
            with contextlib.suppress(StoreCorrupt):
                docs.append(_decode(raw, key))
        return [doc for doc in docs if doc is not None]

    def client_ids(self) -> list[str]:
        """Every merchant id saved through this store, sorted."""
        try:
            members = self.client.smembers(keys.merchant_ids_key())
        except redis.RedisError as exc:
            raise StoreUnavailable("merchant documents are unreachable") from exc
        ids = []
        for member in members:
            try:
                ids.append(member.decode())  # type: ignore[union-attr]
            except UnicodeDecodeError:
                corrupt(keys.merchant_ids_key())  # logged; the others are still listed
        return sorted(ids)

    def save(
        self,
        doc: dict[str, Any],
        actor: dict[str, str],
        now: str,
        expected_version: int | None = None,
    ) -> dict[str, Any]:
        """Validate and store ``doc`` as the next version; returns the stored document.

        ``expected_version`` None skips the version check (the demo seed). Raises
        ``DataError`` for an invalid document, ``Conflict`` for a stale version,
        ``StoreUnavailable`` when Redis fails.
        """
        content = content_of(doc)
        client_id = parse_merchant(content).client_id
        merchant_key = keys.merchant_key(client_id)

        def attempt(pipe: Any) -> tuple[dict[str, Any], bool]:
            """The document to return, and whether it was written (unchanged content is not)."""
            raw = pipe.get(merchant_key)
            stored = self._checked(client_id, _decode(raw, merchant_key), expected_version)
            if stored is not None and content_of(stored) == content:
                return stored, False
            new = {**content, "version": version_of(stored) + 1, "updated_at": now, "updated_by": actor}
            pipe.multi()
            if raw is not None:
                pipe.lpush(keys.merchant_history_key(client_id), raw)
                pipe.ltrim(keys.merchant_history_key(client_id), 0, HISTORY_LIMIT - 1)
            pipe.set(merchant_key, _encode(new))
            pipe.incr(keys.config_version_key(client_id))
            return new, True

        try:
            saved, written = update_watched(
                self.client, [merchant_key], attempt, MAX_ATTEMPTS, "the merchant document is too busy: retry"
            )
            if written:
                self.client.sadd(keys.merchant_ids_key(), client_id)
        except redis.RedisError as exc:
            raise StoreUnavailable("could not save the merchant document") from exc
        if written:
            announce_config_change(self.client, client_id)
        return saved

    @staticmethod
    def _checked(
        client_id: str, stored: dict[str, Any] | None, expected_version: int | None
    ) -> dict[str, Any] | None:
        current = version_of(stored)
        if expected_version is None or expected_version == current:
            return stored
        if expected_version == 0:
            raise Conflict(f"Merchant {client_id!r} exists already (version {current}).")
        if current == 0:
            raise Conflict(f"Merchant {client_id!r} does not exist (expected version {expected_version}).")
        raise Conflict(
            f"Merchant {client_id!r} changed: it is at version {current}, not {expected_version}. "
            "Read it again and reapply the change."
        )


def _encode(doc: dict[str, Any]) -> str:
    return json.dumps(doc, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def _decode(raw: Any, key: str) -> dict[str, Any] | None:
    """The stored document at ``key``, None when there is none; ``StoreCorrupt`` when it is
    not one this store wrote."""
    if raw is None:
        return None
    try:
        doc = json.loads(raw)
    except ValueError as exc:
        raise corrupt(key) from exc
    if not isinstance(doc, dict):
        raise corrupt(key)
    return doc
