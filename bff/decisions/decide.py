"""The placement decision engine (pure). The numbered steps follow docs/decisions.md.

``decide(context, profile, campaigns, prior, now) -> Decision``: no I/O, no clock, no
globals. ``prior`` is the session's stored picks; the returned ``Decision.picks`` is what
the caller stores back (with a sliding TTL) to keep the visit consistent.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from bff.decisions.bucketing import bucket, pick_weighted
from bff.decisions.campaign import Campaign, PaymentOption, Variant
from bff.decisions.campaign_set import CampaignSet

MAX_PICKS = 8


@dataclass(frozen=True)
class PlacementContext:
    """What we know about one placement render (validated by the caller)."""

    client_id: str
    placement_key: str
    placement_type: str | None
    locale: str
    country: str | None
    currency: str
    purchase_amount: int
    session_id: str
    device: str = "desktop"
    page_type: str = "product"
    returning: bool = False
    auto_opens_session: int = 0
    auto_opens_day: int = 0


@dataclass(frozen=True)
class ShopperProfile:
    """The consented profile fields the engine uses."""

    interests: tuple[str, ...] = ()
    preferred_payment_method: str | None = None


@dataclass(frozen=True)
class Pick:
    """A sticky choice of the visit: campaign, variant and lead payment option."""

    campaign_id: str
    variant_id: str
    lead_option: str

    def to_json(self) -> list[str]:
        return [self.campaign_id, self.variant_id, self.lead_option]

    @classmethod
    def from_json(cls, data: object) -> Pick | None:
        if isinstance(data, list) and len(data) == 3 and all(isinstance(x, str) for x in data):
            return cls(data[0], data[1], data[2])
        return None


@dataclass(frozen=True)
class Decision:
    """The outcome: what to show (or nothing, with a reason) and the picks to store."""

    reason: str
    placement_type: str | None = None
    campaign: Campaign | None = None
    variant: Variant | None = None
    options: tuple[PaymentOption, ...] = ()
    auto_open: bool = False
    picks: tuple[Pick, ...] = field(default_factory=tuple)

    @property
    def shows(self) -> bool:
        return self.campaign is not None

    @property
    def lead_option(self) -> PaymentOption | None:
        return self.options[0] if self.options else None


def decide(
    context: PlacementContext,
    profile: ShopperProfile | None,
    campaigns: CampaignSet | Sequence[Campaign],
    prior: Sequence[Pick],
    now: dt.datetime,
) -> Decision:
    """Choose the campaign, variant and lead option of one placement, or nothing.

    ``campaigns`` may be a plain sequence or a prebuilt ``CampaignSet`` (the render path
    keeps one per configuration version, so that indexing is not paid per call).
    """
    pool = CampaignSet.of(campaigns)
    # 1. The placement key must map to a placement type of the merchant.
    if context.placement_type is None:
        return Decision("unknown_placement", picks=tuple(prior))
    # 7a. Picks of campaigns that were deleted or are no longer active are forgotten.
    by_id = pool.by_id
    prior = tuple(p for p in prior if p.campaign_id in by_id and by_id[p.campaign_id].status == "active")
    # 7. Stickiness: the visit's earliest pick wins while its campaign is still eligible.
    for pick in prior:
        campaign = by_id[pick.campaign_id]
        if not _eligible(campaign, context, profile, now, check_amount=False):
            continue
        variant = next((v for v in campaign.variants if v.id == pick.variant_id), None)
        if variant is None:
            continue
        if _eligible(campaign, context, profile, now, check_amount=True):
            return _show(
                "sticky", context, campaign, variant, pick.lead_option, prior, remember=None, profile=None
            )
        # 7c. Fallback: the price left the sticky campaign's range. Show the best other
        #     eligible campaign for this render only; the sticky pick is kept unchanged.
        fallback = _best(pool, context, profile, now, exclude=campaign.id)
        if fallback is None:
            return Decision("outside_amount_range", context.placement_type, picks=prior)
        variant = _variant(fallback, context.session_id)
        return _show(
            "fallback", context, fallback, variant, variant.lead_option, prior, remember=None, profile=profile
        )
    # 2-6, 8. The best eligible campaign, by priority then a stable per-session tie-break.
    best = _best(pool, context, profile, now)
    if best is None:
        # Name the amount when it is all that stands in the way (the merchant's diagnostics).
        amount_only = any(
            _eligible(c, context, profile, now, check_amount=False) for c in pool.ranked(context.currency)
        )
        reason = "outside_amount_range" if amount_only else "no_eligible_campaign"
        return Decision(reason, context.placement_type, picks=prior)
    # 9-10. Weighted variant, then its lead option.
    variant = _variant(best, context.session_id)
    return _show(
        "eligible", context, best, variant, variant.lead_option, prior, remember=True, profile=profile
    )


def _eligible(
    campaign: Campaign,
    ctx: PlacementContext,
    profile: ShopperProfile | None,
    now: dt.datetime,
    check_amount: bool,
) -> bool:
    # 2. Status and placement type.
    if campaign.status != "active" or ctx.placement_type not in campaign.placements:
        return False
    # 3. Market: country and locale (a locale rule may name a language only).
    if campaign.countries and ctx.country not in campaign.countries:
        return False
    if campaign.locales and not (
        ctx.locale in campaign.locales or ctx.locale.split("-")[0] in campaign.locales
    ):
        return False
    # 4. Currency, amount range (inclusive) and at least one payment option for the amount.
    if campaign.currency != ctx.currency:
        return False
    if check_amount and not (
        campaign.min_amount <= ctx.purchase_amount <= campaign.max_amount
        and any(o.eligible(ctx.purchase_amount) for o in campaign.payment_options)
    ):
        return False
    # 5. Schedule, in the campaign's own time zone.
    if not campaign.schedule.contains(now):
        return False
    # 6. Audience.
    audience = campaign.audience
    if audience.interests and not (profile and set(audience.interests) & set(profile.interests)):
        return False
    if audience.shopper != "any" and (audience.shopper == "returning") != ctx.returning:
        return False
    if audience.devices and ctx.device not in audience.devices:
        return False
    return not (audience.page_types and ctx.page_type not in audience.page_types)


def _best(
    pool: CampaignSet,
    ctx: PlacementContext,
    profile: ShopperProfile | None,
    now: dt.datetime,
    exclude: str = "",
) -> Campaign | None:
    # 8. Campaigns of the context's currency come highest priority first: the first tier
    #    with an eligible campaign decides, and equal priorities split sessions by a
    #    stable hash (then by id), so later tiers are never examined.
    tier: list[Campaign] = []
    for campaign in pool.ranked(ctx.currency):
        if tier and campaign.priority < tier[0].priority:
            break
        if campaign.id != exclude and _eligible(campaign, ctx, profile, now, check_amount=True):
            tier.append(campaign)
    if not tier:
        return None
    return min(tier, key=lambda c: (bucket(f"tie:{c.id}", ctx.session_id), c.id))


def _variant(campaign: Campaign, session_id: str) -> Variant:
    # 9. Weighted A/B split: hash(seed, session_id) -> [0, 1) -> cumulative weights.
    index = pick_weighted([v.weight for v in campaign.variants], bucket(f"variant:{campaign.id}", session_id))
    return campaign.variants[index]


def _show(
    reason: str,
    ctx: PlacementContext,
    campaign: Campaign,
    variant: Variant,
    wanted_lead: str | None,
    prior: Sequence[Pick],
    remember: bool | None,
    profile: ShopperProfile | None,
) -> Decision:
    # 10. Lead option: for a new pick, the shopper's preferred payment method when the
    #     campaign offers it for this amount; else the wanted one (the variant's or the
    #     sticky pick's) if eligible, else the first eligible; the others follow in
    #     campaign order.
    eligible = [o for o in campaign.payment_options if o.eligible(ctx.purchase_amount)]
    preferred = profile.preferred_payment_method if profile else None
    if preferred and (liked := next((o for o in eligible if o.type == preferred), None)):
        wanted_lead = liked.id
    lead = next((o for o in eligible if o.id == wanted_lead), eligible[0])
    options = (lead, *[o for o in eligible if o is not lead])
    # 11. Interstitial auto-open, within the campaign's frequency caps.
    cap = campaign.frequency_cap
    auto_open = (
        ctx.placement_type == "interstitial"
        and cap is not None
        and ctx.auto_opens_session < cap.per_session
        and ctx.auto_opens_day < cap.per_day
    )
    picks = tuple(prior)
    if remember:
        # 12. A new pick is appended: earlier picks keep precedence, so a placement never
        #     switches campaign because another placement type picked a different one.
        new = Pick(campaign.id, variant.id, wanted_lead or lead.id)
        picks = (*[p for p in prior if p.campaign_id != campaign.id], new)[-MAX_PICKS:]
    return Decision(reason, ctx.placement_type, campaign, variant, options, auto_open, picks)
