"""Admin RPC methods of campaigns, scoped to the merchant of the caller's API key.

``campaigns.create(campaign)``, ``campaigns.update(campaign, version=None)``,
``campaigns.get(campaign_id)``, ``campaigns.list(status=None)``,
``campaigns.archive(campaign_id)``, ``campaigns.preview(context, campaign=None, campaign_id=None)``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import current_app
from flask_jsonrpc import JSONRPC

from bff.audit.log import actor_of_key
from bff.campaigns_audit import audit_campaign_change
from bff.decisions.campaign import PAGE_TYPES, STATUSES, CampaignInvalid, parse_campaign
from bff.decisions.decide import PlacementContext, ShopperProfile, decide
from bff.errors import InvalidDocument, InvalidParams, NotFound
from bff.personalization.view_model import build_view_model
from bff.rpc import validation as v
from bff.rpc.auth import require_api_key
from bff.rpc.exposed import exposed
from bff.store.api_keys import ApiKey
from bff.store.campaigns import CampaignRepository, stored_campaign
from bff.store.merchant_config import MerchantConfigStore

PREVIEW_SESSION = "preview-session-0000"


def audited(action: str, key: ApiKey, stored: dict[str, Any]) -> dict[str, Any]:
    """Record an admin change of a campaign in the audit log; returns ``stored``."""
    return audit_campaign_change(action, actor_of_key(key.key_id, key.client_id), key.client_id, stored)


def repository() -> CampaignRepository:
    found: CampaignRepository = current_app.extensions["onsite.campaigns"]
    return found


@exposed
def create(campaign: Any = None) -> dict[str, Any]:
    """Create a campaign (validated; every problem reported with its field path)."""
    key = require_api_key("rpc:campaigns.create")
    stored = repository().create(key.client_id, v.required({"campaign": campaign}, "campaign"))
    return audited("campaign.create", key, stored)


@exposed
def update(campaign: Any = None, version: Any = None) -> dict[str, Any]:
    """Replace a campaign; pass the ``version`` you read to detect concurrent edits (-32009)."""
    key = require_api_key("rpc:campaigns.update")
    expected = v.amount("version", version) if version is not None else None
    stored = repository().update(key.client_id, v.required({"campaign": campaign}, "campaign"), expected)
    return audited("campaign.update", key, stored)


@exposed
def get(campaign_id: Any = None) -> dict[str, Any]:
    key = require_api_key("rpc:campaigns.get")
    return repository().get(
        key.client_id, v.identifier("campaign_id", v.required({"campaign_id": campaign_id}, "campaign_id"))
    )


@exposed
def list_(status: Any = None) -> list[dict[str, Any]]:
    """Every campaign of the merchant, optionally only those with ``status``."""
    key = require_api_key("rpc:campaigns.list")
    return repository().list(
        key.client_id, v.choice("status", status, STATUSES) if status is not None else None
    )


@exposed
def archive(campaign_id: Any = None) -> dict[str, Any]:
    key = require_api_key("rpc:campaigns.archive")
    stored = repository().archive(
        key.client_id, v.identifier("campaign_id", v.required({"campaign_id": campaign_id}, "campaign_id"))
    )
    return audited("campaign.archive", key, stored)


@exposed
def preview(context: Any = None, campaign: Any = None, campaign_id: Any = None) -> dict[str, Any]:
    """What a shopper in ``context`` would see from one campaign (stored or given), and why.

    Nothing is stored. ``context``: ``placement_key``, ``locale``, ``purchase_amount`` and
    optionally ``currency``, ``country``, ``device``, ``page_type``, ``returning``,
    ``interests``, ``now`` (ISO 8601 with offset) and ``view``.
    """
    key = require_api_key("rpc:campaigns.preview")
    if campaign is not None:
        try:
            candidate = parse_campaign(campaign)
        except CampaignInvalid as exc:
            raise InvalidDocument("campaign", exc.problems) from exc
    elif campaign_id is not None:
        stored = repository().get(key.client_id, v.identifier("campaign_id", campaign_id))
        # As the render path sees it: old-syntax copy converted, copy that no longer compiles left out.
        loaded = stored_campaign(key.client_id, stored)
        if loaded is None:
            raise NotFound(f"Campaign {campaign_id!r} no longer passes validation: save it again to fix it")
        candidate = loaded
    else:
        raise InvalidParams("campaign", "or campaign_id is required")
    configs: MerchantConfigStore = current_app.extensions["onsite.merchants"]
    config = configs.load(key.client_id)
    if config is None:
        raise NotFound("This merchant has no configuration yet")
    ctx = preview_context(key.client_id, config.merchant.placements, config.merchant.currencies, context)
    now = _preview_now(context)
    profile = ShopperProfile(interests=tuple(_interests(context)))
    decision = decide(ctx, profile, [candidate], (), now)
    view = v.choice("context.view", context.get("view", "placement"), ("placement", "interstitial"))
    return {
        "reason": decision.reason,
        "view_model": build_view_model(ctx, decision, "default", now.date(), view),
    }


def preview_context(
    client_id: str, placements: dict[str, str], currencies: dict[str, str], raw: Any
) -> PlacementContext:
    """The validated context of a preview (also the console's live preview, bff/console/preview_render.py)."""
    if not isinstance(raw, dict):
        raise InvalidParams("context", "must be an object with placement_key, locale and purchase_amount")
    locale = v.locale("context.locale", v.required(raw, "locale"))
    key = v.identifier("context.placement_key", v.required(raw, "placement_key"))
    currency = (
        v.currency("context.currency", raw["currency"]) if "currency" in raw else currencies.get(locale)
    )
    if currency is None:
        raise InvalidParams(
            "context.currency", f"is required: the merchant has no default currency for {locale}"
        )
    country = (
        v.country("context.country", raw["country"])
        if "country" in raw
        else locale.rpartition("-")[2] or None
    )
    return PlacementContext(
        client_id=client_id,
        placement_key=key,
        placement_type=placements.get(key),
        locale=locale,
        country=country,
        currency=currency,
        purchase_amount=v.amount("context.purchase_amount", v.required(raw, "purchase_amount")),
        session_id=v.session_id("context.session_id", raw.get("session_id", PREVIEW_SESSION)),
        device=v.choice("context.device", raw.get("device", "desktop"), ("mobile", "tablet", "desktop")),
        page_type=v.choice("context.page_type", raw.get("page_type", "product"), PAGE_TYPES),
        returning=v.boolean("context.returning", raw.get("returning", False)),
    )


def _preview_now(raw: dict[str, Any]) -> dt.datetime:
    if "now" not in raw:
        return dt.datetime.now(dt.UTC)
    try:
        now = dt.datetime.fromisoformat(raw["now"]) if isinstance(raw["now"], str) else None
    except ValueError:
        now = None
    if now is None or now.tzinfo is None:
        raise InvalidParams(
            "context.now", "must be an ISO 8601 date-time with offset, e.g. 2026-12-01T09:00:00+01:00"
        )
    return now


def _interests(raw: dict[str, Any]) -> list[str]:
    interests = raw.get("interests", [])
    if not isinstance(interests, list) or not all(isinstance(i, str) for i in interests):
        raise InvalidParams("context.interests", "must be a list of strings")
    return interests


def register(jsonrpc: JSONRPC) -> None:
    for name, fn in [
        ("create", create),
        ("update", update),
        ("get", get),
        ("list", list_),
        ("archive", archive),
        ("preview", preview),
    ]:
        jsonrpc.register(fn, name=f"campaigns.{name}", validate=False)
