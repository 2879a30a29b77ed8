"""A per-process cache of the view models that do not depend on who the shopper is.

A view model without a personal touch is a pure function of the page (placement, locale,
currency, amount, theme, view, day) and of the decision (campaign, variant, options,
auto-open, type, reason) under one configuration version: many shoppers looking at the
same product get the same one, and building it (Babel, rendering the compiled copy) is the
largest part of a render after the Redis round trip. Personalized view models are never
cached. The cache is bounded; when full it starts over (a new day or configuration
version makes old keys unreachable anyway).

Contract: the returned dict is shared between calls; callers serialize it and never
mutate it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Hashable
from typing import Any

from bff.decisions.decide import Decision, PlacementContext

MAX_ENTRIES = 20_000


def view_key(
    version: int, context: PlacementContext, decision: Decision, theme: str, today: dt.date, view: str
) -> tuple[Hashable, ...]:
    """Everything ``build_view_model`` reads when there is no personal touch."""
    return (
        context.client_id,
        version,
        context.placement_key,
        context.locale,
        context.currency,
        context.purchase_amount,
        theme,
        today,
        view,
        decision.reason,
        decision.placement_type,
        decision.campaign.id if decision.campaign else None,
        decision.variant.id if decision.variant else None,
        tuple(option.id for option in decision.options),
        decision.auto_open,
    )


def _ignore(hit: bool) -> None:
    pass


class ViewCache:
    """Bounded memo of view models by ``view_key``.

    ``observe(hit)`` is called on every lookup (``/metrics`` counts the hit ratio with it).
    """

    def __init__(self, max_entries: int = MAX_ENTRIES, observe: Callable[[bool], None] = _ignore) -> None:
        self.max_entries = max_entries
        self.observe = observe
        self._views: dict[tuple[Hashable, ...], dict[str, Any]] = {}

    def get(self, key: tuple[Hashable, ...], build: Callable[[], dict[str, Any]]) -> dict[str, Any]:
        """The cached view model for ``key``, built (and kept) on the first call."""
        found = self._views.get(key)
        self.observe(found is not None)
        if found is not None:
            return found
        built = build()
        if len(self._views) >= self.max_entries:
            self._views.clear()
        self._views[key] = built
        return built
