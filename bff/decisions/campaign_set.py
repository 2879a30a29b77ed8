"""An indexed, immutable set of a merchant's campaigns, built once per configuration version.

``decide`` only looks at the campaigns of the context's currency, in priority order, and
stops after the first priority tier with an eligible campaign: with 1,000 campaigns that
is a handful of checks instead of a thousand.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from bff.decisions.campaign import Campaign


class CampaignSet:
    """Active campaigns grouped by currency and sorted by priority (highest first)."""

    def __init__(self, campaigns: Iterable[Campaign]) -> None:
        everything = tuple(campaigns)
        self.by_id: dict[str, Campaign] = {c.id: c for c in everything}
        ranked = sorted((c for c in everything if c.status == "active"), key=lambda c: (-c.priority, c.id))
        self.by_currency: dict[str, tuple[Campaign, ...]] = {}
        for campaign in ranked:
            self.by_currency[campaign.currency] = (*self.by_currency.get(campaign.currency, ()), campaign)

    @classmethod
    def of(cls, campaigns: CampaignSet | Iterable[Campaign]) -> CampaignSet:
        return campaigns if isinstance(campaigns, CampaignSet) else cls(campaigns)

    def ranked(self, currency: str) -> tuple[Campaign, ...]:
        """Active campaigns in ``currency``, highest priority first."""
        return self.by_currency.get(currency, ())

    def __iter__(self) -> Iterator[Campaign]:
        return iter(self.by_id.values())

    def __len__(self) -> int:
        return len(self.by_id)
