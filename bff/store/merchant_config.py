"""A merchant's configuration (document + campaigns) in Redis, cached in-process by version.

The render path first asks ``fresh(client_id)``: the cached configuration when its version
is known current without reading Redis (``bff/store/config_version_watch.py``: versions
pushed by pub/sub, with a bounded staleness), else None. Then it calls
``load(client_id, version)`` with the version it read in its own pipeline: when the
version did not move, nothing else is read. When Redis is down, a cached configuration
keeps being served (stale but consistent), and ``StoreUnavailable`` is raised only for a
merchant this process has never seen. Every write here and in the other configuration
stores ends with ``announce_config_change``.
"""

from __future__ import annotations

import datetime as dt
import json
import threading
from dataclasses import dataclass, field
from typing import Any

import redis

from bff.decisions.campaign import Campaign
from bff.decisions.campaign_set import CampaignSet
from bff.decisions.merchant import Merchant, parse_merchant
from bff.errors import StoreUnavailable
from bff.identity.secrets import active
from bff.personalization.merchant_content import Product, parse_catalogue, parse_delivery
from bff.store import keys
from bff.store.campaigns import stored_campaign
from bff.store.config_version_watch import ConfigVersionWatch, announce_config_change
from bff.store.corruption import UNREADABLE, corrupt
from bff.store.identity_secrets import parse_records
from bff.store.merchant_documents import MerchantDocumentStore


@dataclass(frozen=True)
class MerchantConfig:
    merchant: Merchant
    campaigns: CampaignSet
    version: int
    catalogue: tuple[Product, ...] = ()
    delivery: dict[str, dict[str, tuple[str, ...]]] = field(default_factory=dict)
    # Active identity secret ids (bff.identity.secrets): tokens signed with others are refused.
    identity_secret_ids: tuple[str, ...] = ()


class MerchantConfigStore:
    """Reads and writes merchant documents; caches parsed ``MerchantConfig`` per process."""

    def __init__(self, client: redis.Redis, versions: ConfigVersionWatch | None = None) -> None:
        self.client = client
        self.documents = MerchantDocumentStore(client)
        self.versions = versions or ConfigVersionWatch(client)
        self._cache: dict[str, MerchantConfig] = {}
        self._lock = threading.Lock()

    def save_merchant(self, doc: dict[str, Any], actor: dict[str, str] | None = None) -> Merchant:
        """Validate and store the merchant document as its next version, without a version
        check (seeding, benchmarks; operators go through ``bff.merchants.admin``). The
        previous document goes to the history and every process reloads."""
        now = dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds")
        stored = self.documents.save(doc, actor or {"kind": "system", "id": "seed"}, now)
        return parse_merchant(stored)

    def save_catalogue(self, client_id: str, doc: Any) -> int:
        """Validate and store the merchant's product catalogue; returns the product count."""
        products = parse_catalogue(doc)
        self._save_json(keys.catalogue_key(client_id), client_id, doc)
        return len(products)

    def save_delivery(self, client_id: str, doc: Any) -> int:
        """Validate and store the merchant's delivery table; returns the country count."""
        table = parse_delivery(doc)
        self._save_json(keys.delivery_key(client_id), client_id, doc)
        return len(table)

    def _save_json(self, key: str, client_id: str, doc: Any) -> None:
        try:
            with self.client.pipeline(transaction=True) as pipe:
                pipe.set(key, json.dumps(doc, separators=(",", ":")))
                pipe.incr(keys.config_version_key(client_id))
                pipe.execute()
        except redis.RedisError as exc:
            raise StoreUnavailable("could not save the merchant content") from exc
        announce_config_change(self.client, client_id)

    def read_version(self, client_id: str) -> int:
        """The current configuration version (0: no such merchant)."""
        key = keys.config_version_key(client_id)
        try:
            raw = self.client.get(key)
        except redis.RedisError as exc:
            raise StoreUnavailable("merchant configuration is unreachable") from exc
        if raw is None:
            return 0
        if not raw.isdigit():  # Redis INCR writes plain digits
            raise corrupt(key)
        return int(raw)

    def get(self, client_id: str) -> Merchant | None:
        """The merchant document alone (the frame shell needs only its origins)."""
        config = self.load(client_id)
        return config.merchant if config is not None else None

    def cached(self, client_id: str) -> MerchantConfig | None:
        return self._cache.get(client_id)

    def fresh(self, client_id: str) -> MerchantConfig | None:
        """The cached configuration if its version is known current without a Redis read, else None."""
        cached = self._cache.get(client_id)
        if cached is None or self.versions.trusted(client_id) != cached.version:
            return None
        return cached

    def version_read_started(self) -> float:
        """Call just before reading a version to pass to ``load`` (the staleness clock)."""
        return self.versions.clock()

    def load(
        self, client_id: str, version: int | None = None, read_at: float | None = None
    ) -> MerchantConfig | None:
        """The configuration at ``version`` (read it when None); None when there is no such merchant.

        ``read_at`` (``version_read_started()`` before the caller read ``version``) lets the
        next renders use that version without reading it, within the staleness bound."""
        cached = self._cache.get(client_id)
        try:
            if version is None:
                read_at = self.versions.clock()
                version = self.read_version(client_id)
            if read_at is not None:
                self.versions.confirm(client_id, version, read_at)
            if cached is not None and cached.version == version:
                return cached
            if version == 0:
                return None
            with self.client.pipeline(transaction=False) as pipe:
                pipe.get(keys.merchant_key(client_id))
                pipe.hgetall(keys.campaigns_key(client_id))
                pipe.get(keys.catalogue_key(client_id))
                pipe.get(keys.delivery_key(client_id))
                pipe.get(keys.identity_secrets_key(client_id))
                merchant_doc, campaign_docs, catalogue_doc, delivery_doc, secrets_doc = pipe.execute()
        except (redis.RedisError, StoreUnavailable) as exc:
            if cached is not None:
                return cached
            raise StoreUnavailable("merchant configuration is unreachable") from exc
        if merchant_doc is None:
            return None
        try:
            config = MerchantConfig(
                parse_merchant(json.loads(merchant_doc), stored=True),
                CampaignSet(_parse_all(client_id, campaign_docs)),
                version,
                parse_catalogue(json.loads(catalogue_doc)) if catalogue_doc else (),
                parse_delivery(json.loads(delivery_doc)) if delivery_doc else {},
                tuple(s.id for s in active(parse_records(secrets_doc))),
            )
        except UNREADABLE as exc:
            error = corrupt(keys.merchant_key(client_id))
            if cached is not None:  # the renders keep the last good configuration
                return cached
            raise error from exc
        with self._lock:
            self._cache[client_id] = config
        return config


def _parse_all(client_id: str, docs: dict[bytes, bytes]) -> tuple[Campaign, ...]:
    campaigns = []
    for raw in docs.values():
        try:
            doc = json.loads(raw)
        except ValueError:
            continue
        # Stored campaigns were validated on the way in; a document that no longer parses
        # (an older schema) is skipped, and logged, rather than failing every render.
        campaign = stored_campaign(client_id, doc)
        if campaign is not None:
            campaigns.append(campaign)
    return tuple(sorted(campaigns, key=lambda c: c.id))
