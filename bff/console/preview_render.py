"""The live preview's render of a draft campaign (pure: no Flask, no Redis, the time is passed in).

The preview frames are the real placement frames, so they call ``placements.render`` with
their usual params; the console answers from one draft campaign alone:

* ``session_id`` names the draft and the device the preview shows:
  ``pv-<device>-<draft id>`` (``preview_session_id``; the render params' session id pattern
  accepts it, and a new id per draft also defeats the frames' render cache);
* the context is built and validated like ``campaigns.preview`` builds it
  (``bff.rpc.campaigns.preview_context``); placement keys the merchant has not named yet
  fall back to ``PREVIEW_KEYS`` (``preview-badge`` ...), so a new merchant sees a preview;
* the draft is decided as if published, during its schedule, for a shopper its audience
  targets (``as_previewed``, ``targeted_shopper``): the preview shows the copy, not the
  calendar; market, currency and amount still decide, and their reasons are shown;
* nothing is remembered: no sticky picks (``prior`` is empty), no auto-open counts;
* the variant is the one the merchant picked (``pv-<device>-v<n>-<draft id>``: the draft's
  ``n``-th variant, counted from 0; an index past the draft's variants is bucketed as
  below), or else bucketed for one fixed preview visit (``PREVIEW_VISIT``), not for the
  draft's session id, so the preview keeps showing the same variant while the merchant
  types (a new draft id per keystroke would otherwise re-draw the A/B split).

``locale_report`` says, for one market of the merchant, where the copy comes from and why
a decision would be empty: the grid view shows it next to each frame.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, replace
from typing import Any

from bff.decisions.campaign import Campaign, Schedule
from bff.decisions.decide import PlacementContext, ShopperProfile, decide
from bff.decisions.merchant import Market, Merchant
from bff.errors import InvalidParams
from bff.personalization.brand import with_brand
from bff.personalization.catalogue import copy_language
from bff.personalization.copy import pick_copy
from bff.personalization.view_model import build_view_model, empty_result
from bff.rpc import validation as v
from bff.rpc.campaigns import preview_context

DEVICES = ("mobile", "tablet", "desktop")
VIEWS = ("placement", "interstitial")
PREVIEW_SESSION = re.compile(r"^pv-(mobile|tablet|desktop)-(?:v(\d)-)?([A-Za-z0-9_-]{22})\Z")
PREVIEW_KEYS = {"preview-badge": "badge", "preview-strip": "strip", "preview-interstitial": "interstitial"}
# Reasons of empty previews (the frame passes ``[a-z_]{1,40}`` reasons to the console).
DRAFT_EXPIRED = "draft_expired"
NO_MARKET = "no_market_for_locale"


@dataclass(frozen=True)
class PreviewRequest:
    """Validated params of a preview render."""

    context: PlacementContext | None  # None: the merchant has no market for the locale
    locale: str
    placement_key: str
    draft_id: str
    theme: str
    view: str
    variant: int | None = None  # the draft's variant to show (its index), None: as bucketed


PREVIEW_VISIT = "console-preview-visit"


def preview_session_id(device: str, draft_id: str, variant: int | None = None) -> str:
    """The session id a preview context carries for ``draft_id`` shown on ``device``
    (with ``variant``, 0-9: that variant of the draft)."""
    return f"pv-{device}-{draft_id}" if variant is None else f"pv-{device}-v{variant}-{draft_id}"


def parse_preview_request(client_id: str, merchant: Merchant, params: dict[str, Any]) -> PreviewRequest:
    """Validate the frame's ``placements.render`` params (``InvalidParams`` names the param)."""
    if v.identifier("client_id", v.required(params, "client_id")) != client_id:
        raise InvalidParams("client_id", "must be the client of this preview")
    session = PREVIEW_SESSION.match(v.session_id("session_id", v.required(params, "session_id")))
    if session is None:
        raise InvalidParams("session_id", "must name a preview draft: pv-<device>-[v<n>-]<draft id>")
    device, variant, draft_id = session.groups()
    locale = v.locale("locale", v.required(params, "locale"))
    key = v.identifier("placement_key", v.required(params, "placement_key"))
    theme = v.theme("theme", params["theme"]) if params.get("theme") is not None else "default"
    view = v.choice("view", params["view"], VIEWS) if params.get("view") is not None else "placement"
    context = None
    if params.get("currency") is not None or locale in merchant.currencies:
        optional = ("currency", "country", "page_type", "returning")
        raw = {name: params[name] for name in optional if params.get(name) is not None}
        raw |= {"placement_key": key, "locale": locale, "device": device, "session_id": params["session_id"]}
        raw["purchase_amount"] = params.get("purchase_amount")
        placements = {**PREVIEW_KEYS, **merchant.placements}
        context = preview_context(client_id, placements, merchant.currencies, raw)
    return PreviewRequest(
        context, locale, key, draft_id, theme, view, None if variant is None else int(variant)
    )


def as_previewed(campaign: Campaign) -> Campaign:
    """The draft as if published and within its schedule."""
    return replace(campaign, status="active", schedule=Schedule())


def targeted_shopper(
    campaign: Campaign, context: PlacementContext
) -> tuple[PlacementContext, ShopperProfile]:
    """The context and profile of a shopper the campaign's audience targets."""
    audience = campaign.audience
    page_type = audience.page_types[0] if audience.page_types else context.page_type
    returning = audience.shopper == "returning" if audience.shopper != "any" else context.returning
    shopper = ShopperProfile(interests=audience.interests)
    return replace(context, page_type=page_type, returning=returning), shopper


def render_draft(
    request: PreviewRequest, campaign: Campaign | None, merchant: Merchant, now: dt.datetime
) -> dict[str, Any]:
    """The frame's render result for the draft ``campaign`` (None: the draft expired)."""
    if request.context is None:
        return empty_result(request.placement_key, request.locale, NO_MARKET)
    if campaign is None:
        return empty_result(request.placement_key, request.locale, DRAFT_EXPIRED)
    previewed = as_previewed(campaign)
    if request.variant is not None and request.variant < len(previewed.variants):
        previewed = replace(previewed, variants=(previewed.variants[request.variant],))
    context, shopper = targeted_shopper(previewed, request.context)
    decision = decide(replace(context, session_id=PREVIEW_VISIT), shopper, [previewed], (), now)
    result = build_view_model(context, decision, request.theme, now.date(), request.view)
    return with_brand(result, merchant.brand)


@dataclass(frozen=True)
class LocaleReport:
    """One market of the grid: where its copy comes from, and why nothing would show."""

    locale: str
    currency: str
    copy_source: str  # "campaign", "built-in" or "missing" (English shown instead)
    copy_note: str
    empty_reason: str | None  # None: the badge shows

    @property
    def has_gap(self) -> bool:
        return self.copy_source == "missing" or self.empty_reason is not None


def locale_report(campaign: Campaign, market: Market, placement_type: str, amount: int) -> LocaleReport:
    """The grid's facts about ``campaign`` in ``market`` for a ``placement_type`` at ``amount``."""
    language = market.locale.split("-", 1)[0].lower()
    layers = [campaign.copy, *(variant.copy for variant in campaign.variants)]
    if any(pick_copy(layer, market.locale) for layer in layers):
        source, note = "campaign", "copy from this campaign"
    elif copy_language(market.locale) != "en" or language == "en":
        source, note = "built-in", f"built-in copy ({copy_language(market.locale)})"
    else:
        source, note = "missing", f"no copy for '{language}': English built-in copy shows instead"
    return LocaleReport(
        market.locale, market.currency, source, note, _empty_reason(campaign, market, placement_type, amount)
    )


def _empty_reason(campaign: Campaign, market: Market, placement_type: str, amount: int) -> str | None:
    country = market.country or market.locale.rpartition("-")[2]
    if placement_type not in campaign.placements:
        return f"the campaign does not target {placement_type} placements"
    if campaign.countries and country not in campaign.countries:
        return f"not in the campaign's markets (countries: {', '.join(campaign.countries)})"
    if campaign.locales and not (
        market.locale in campaign.locales or market.locale.split("-")[0] in campaign.locales
    ):
        return f"not in the campaign's markets (locales: {', '.join(campaign.locales)})"
    if campaign.currency != market.currency:
        return f"the campaign is in {campaign.currency}, this market pays in {market.currency}"
    if not campaign.min_amount <= amount <= campaign.max_amount:
        return "amount outside the campaign's range"
    if not any(option.eligible(amount) for option in campaign.payment_options):
        return "amount outside every payment option's range"
    return None


def merchant_markets(merchant: Merchant) -> tuple[Market, ...]:
    """The merchant's markets; an older document's ``currencies`` give one per locale."""
    if merchant.markets:
        return merchant.markets
    return tuple(
        Market(locale.rpartition("-")[2] if "-" in locale else "", locale, currency)
        for locale, currency in sorted(merchant.currencies.items())
    )


def placement_key(merchant: Merchant, kind: str) -> str:
    """The merchant's first placement key of type ``kind``, or the preview's default one."""
    named = sorted(key for key, placement_type in merchant.placements.items() if placement_type == kind)
    return named[0] if named else f"preview-{kind}"
