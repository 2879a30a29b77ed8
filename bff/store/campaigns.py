"""Campaigns of a merchant in Redis: create, update (optimistic, by version), get, list, archive.

Every write bumps the merchant's configuration version, which is how render processes
notice a change without reading every campaign on every request.
"""

from __future__ import annotations

import json
from typing import Any

import redis
import structlog

from bff.decisions.campaign import Campaign, CampaignInvalid, parse_campaign
from bff.errors import Conflict, InvalidDocument, NotFound, StoreUnavailable
from bff.personalization.copy_migration import loadable_copy
from bff.store import keys
from bff.store.config_version_watch import announce_config_change

log = structlog.get_logger(__name__)


class CampaignRepository:
    """Campaign documents of one Redis database; every method is scoped to one merchant."""

    def __init__(self, client: redis.Redis) -> None:
        self.client = client

    def create(self, client_id: str, doc: Any) -> dict[str, Any]:
        """Store a new campaign at version 1; ``Conflict`` when the id exists."""
        campaign = _validated(doc)
        return self._write(client_id, campaign.id, doc, version=1, must_exist=False)

    def update(self, client_id: str, doc: Any, expected_version: int | None = None) -> dict[str, Any]:
        """Replace a campaign; with ``expected_version``, fail with ``Conflict`` if it moved."""
        campaign = _validated(doc)
        return self._write(
            client_id, campaign.id, doc, version=None, must_exist=True, expected=expected_version
        )

    def get(self, client_id: str, campaign_id: str) -> dict[str, Any]:
        raw = self._call(lambda: self.client.hget(keys.campaigns_key(client_id), campaign_id))
        if raw is None:
            raise NotFound(f"No campaign {campaign_id!r} for this merchant")
        doc: dict[str, Any] = json.loads(raw)
        return doc

    def list(self, client_id: str, status: str | None = None) -> list[dict[str, Any]]:
        raw = self._call(lambda: self.client.hgetall(keys.campaigns_key(client_id)))
        docs = [json.loads(value) for value in raw.values()]
        return sorted(
            (d for d in docs if status is None or d.get("status", "active") == status), key=lambda d: d["id"]
        )

    def archive(self, client_id: str, campaign_id: str) -> dict[str, Any]:
        # Copy in the old syntax is converted (or dropped) so that an old campaign can be archived.
        doc, _ = loadable_copy(self.get(client_id, campaign_id))
        doc["status"] = "archived"
        return self.update(client_id, doc, expected_version=doc.get("version"))

    def _write(
        self,
        client_id: str,
        campaign_id: str,
        doc: dict[str, Any],
        version: int | None,
        must_exist: bool,
        expected: int | None = None,
    ) -> dict[str, Any]:
        key = keys.campaigns_key(client_id)
        try:
            with self.client.pipeline(transaction=True) as pipe:
                pipe.watch(key)  # type: ignore[no-untyped-call]
                current_raw = pipe.hget(key, campaign_id)
                if must_exist and current_raw is None:
                    raise NotFound(f"No campaign {campaign_id!r} for this merchant")
                if not must_exist and current_raw is not None:
                    raise Conflict(f"Campaign {campaign_id!r} already exists: use campaigns.update")
                current_version = json.loads(current_raw).get("version", 1) if current_raw else 0
                if expected is not None and expected != current_version:
                    raise Conflict(
                        f"Campaign {campaign_id!r} is at version {current_version}, not {expected}: "
                        "reload it and apply your change again"
                    )
                stored = {**doc, "version": version or current_version + 1}
                pipe.multi()
                pipe.hset(key, campaign_id, json.dumps(stored, sort_keys=True, separators=(",", ":")))
                pipe.incr(keys.config_version_key(client_id))
                pipe.execute()
        except redis.WatchError as exc:
            raise Conflict(f"Campaign {campaign_id!r} changed during the update: retry") from exc
        except redis.RedisError as exc:
            raise StoreUnavailable("campaign storage is unreachable") from exc
        announce_config_change(self.client, client_id)
        return stored

    def _call(self, fn: Any) -> Any:
        try:
            return fn()
        except redis.RedisError as exc:
            raise StoreUnavailable("campaign storage is unreachable") from exc


def stored_campaign(client_id: str, doc: Any) -> Campaign | None:
    """A stored document as the render path uses it, or None when it no longer parses (logged).

    Copy in the old Jinja syntax is converted; a text that still does not compile is left
    out (the built-in copy stands in) and logged with the campaign and the field path.
    """
    try:
        return parse_campaign(doc)
    except CampaignInvalid:
        pass  # copy in the old syntax, or copy that no longer passes: parsed again below
    doc, removed = loadable_copy(doc)
    campaign_id = doc.get("id") if isinstance(doc, dict) else None
    where = {"client_id": client_id, "campaign_id": campaign_id}
    for path, reason in removed:
        log.warning("campaign.copy_dropped", **where, path=path, reason=reason)
    try:
        return parse_campaign(doc)
    except CampaignInvalid as exc:
        log.warning("campaign.skipped", **where, paths=[p["path"] for p in exc.problems])
        return None


def _validated(doc: Any) -> Campaign:
    try:
        return parse_campaign(doc)
    except CampaignInvalid as exc:
        raise InvalidDocument("campaign", exc.problems) from exc
