"""A per-process cache of the view models that do not depend on who the shopper is.

A view model without a personal touch is a pure function of the page (placement, locale,
currency, amount, theme, view, day) and of the decision (campaign, variant, options,
auto-open, type, reason) under one configuration version: many shoppers looking at the
same product get the same one, and building it (Babel, rendering the compiled copy) is the
largest part of a render after the Redis round trip. Personalized view models are never
cached themselves: they are built from the cached one of the same key, which holds no
personal value, reusing every part that reads none (``build_view_model``'s ``shared``).
The cache is a bounded LRU (a new day or configuration version makes old keys
unreachable; they age out).

Contract: the returned dict is shared between calls; callers serialize it and never
mutate it.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections import OrderedDict
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
    """Bounded LRU memo of view models by ``view_key``.

    ``observe(hit)`` is called on every lookup that asks for it (``/metrics`` counts the hit
    ratio of the generic renders with it). Safe to share between threads: a race can only
    build a view model twice or evict one early.
    """

    def __init__(self, max_entries: int = MAX_ENTRIES, observe: Callable[[bool], None] = _ignore) -> None:
        self.max_entries = max_entries
        self.observe = observe
        self._views: OrderedDict[tuple[Hashable, ...], dict[str, Any]] = OrderedDict()

    def get(
        self, key: tuple[Hashable, ...], build: Callable[[], dict[str, Any]], observe: bool = True
    ) -> dict[str, Any]:
        """The cached view model for ``key``, built (and kept) on the first call."""
        found = self._views.get(key)
        if observe:
            self.observe(found is not None)
        if found is not None:
            with contextlib.suppress(KeyError):  # evicted by another thread meanwhile
                self._views.move_to_end(key)
            return found
        built = build()
        self._views[key] = built
        while len(self._views) > self.max_entries:
            try:
                self._views.popitem(last=False)
            except KeyError:
                break
        return built

    def __len__(self) -> int:
        return len(self._views)
