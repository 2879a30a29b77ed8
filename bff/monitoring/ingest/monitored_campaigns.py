"""Which campaign variants the rollups count as dimensions: the bound on their cardinality (pure).

Widget events are anonymous notifications: their ``campaign_id`` and ``variant`` are any
identifiers a page sends (attribution and the funnel record them as sent, at ingest). The
rollups count a combo per value, so counted as they come, one hostile page could create
combos without bound. Only the variants of the merchant's own campaigns are counted:

* ``monitored_variants(campaigns)``: the (campaign, variant) pairs of the merchant's
  campaigns that are not archived, at most ``MAX_MONITORED_CAMPAIGNS`` of them (highest
  priority first, then by id), each with its variants (at most
  ``bff.decisions.campaign.MAX_VARIANTS``, enforced when a campaign is saved). A merchant
  has at most ``MAX_MONITORED_CAMPAIGNS x (1 + MAX_VARIANTS)`` = 220 campaign combos.
* ``for_stream(wire, monitored)``: the wire as the stream gets it: an event naming a pair
  not monitored loses ``campaign_id`` and ``variant`` there (it still counts under its
  merchant and the other dimensions).

An archived campaign's events (visits that kept it in their sticky decision) therefore
count for the merchant but not for the campaign.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from bff.decisions.campaign import MAX_VARIANTS, Campaign

MAX_MONITORED_CAMPAIGNS = 20
MESSAGE_FIELDS = ("campaign_id", "variant")

Monitored = frozenset[tuple[str, str]]


def monitored_variants(campaigns: Iterable[Campaign]) -> Monitored:
    """The (campaign id, variant id) pairs of a merchant that the rollups count."""
    live = sorted((c for c in campaigns if c.status != "archived"), key=lambda c: (-c.priority, c.id))
    return frozenset((c.id, v.id) for c in live[:MAX_MONITORED_CAMPAIGNS] for v in c.variants[:MAX_VARIANTS])


def for_stream(wire: dict[str, Any], monitored: Monitored) -> dict[str, Any]:
    """``wire`` itself, or a copy without its message fields when they name no monitored pair."""
    if not any(name in wire for name in MESSAGE_FIELDS):
        return wire
    if (wire.get("campaign_id"), wire.get("variant")) in monitored:
        return wire
    return {name: value for name, value in wire.items() if name not in MESSAGE_FIELDS}
