"""The placement decision: which campaign a placement shows, or nothing.

``decide(context, merchant)`` is pure. It returns ``None`` when no campaign is eligible,
which the render path turns into an empty placement (never an error).
"""

from __future__ import annotations

from dataclasses import dataclass

from bff.decisions.merchant import Campaign, Merchant


@dataclass(frozen=True)
class PlacementContext:
    """What the page tells us about one placement (already validated)."""

    client_id: str
    placement_key: str
    locale: str
    purchase_amount: int
    currency: str
    session_id: str


@dataclass(frozen=True)
class Decision:
    campaign: Campaign
    placement_type: str
    variant: str = "control"


def decide(context: PlacementContext, merchant: Merchant) -> Decision | None:
    """Pick the first campaign that serves this placement type, currency and amount.

    1. The placement key must be configured for the merchant; its type (badge, strip)
       selects the campaigns that can fill it.
    2. A campaign is eligible when it has an amount range for the currency that contains
       the purchase amount (bounds inclusive).
    3. Campaigns are tried in document order; the first eligible one wins.
    """
    placement_type = merchant.placements.get(context.placement_key)
    if placement_type is None:
        return None
    for campaign in merchant.campaigns:
        if placement_type not in campaign.placements:
            continue
        amount_range = campaign.amount_ranges.get(context.currency)
        if amount_range is not None and amount_range.contains(context.purchase_amount):
            return Decision(campaign=campaign, placement_type=placement_type)
    return None
