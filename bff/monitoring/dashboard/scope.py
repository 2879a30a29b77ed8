"""Whose data a dashboard user may see: every merchant, or one (pure).

``Scope(merchant)`` is built from the signed-in session by ``scope_of(role, merchant)``:

* ``admin`` and ``analyst``: ``Scope(None)``, the cross-merchant view: every combo, every
  merchant, every alert; the page starts at all traffic (``root == "*"``).
* ``merchant_admin``: ``Scope(<its merchant>)``. A combo is visible only when it belongs to
  that merchant (``merchant=<id>`` first), a merchant page only for that id, an alert only
  when its root belongs to it; cross-merchant combos (all traffic, a country across
  merchants) are not. The page starts at ``merchant=<id>``.
* any other role, or a merchant admin without a merchant: nothing is visible.

The views answer 404 for anything out of scope, the same answer as for a merchant that
does not exist, so a merchant admin learns nothing about who else is a customer.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from bff.monitoring.dimensions import GLOBAL, merchant_of

CROSS_MERCHANT_ROLES = frozenset({"admin", "analyst"})
_NOBODY = "\x00"  # no client id can be this (patterns.py): a scope that matches nothing


@dataclass(frozen=True)
class Scope:
    """``merchant`` None: every merchant; otherwise that merchant only."""

    merchant: str | None

    @property
    def cross_merchant(self) -> bool:
        return self.merchant is None

    @property
    def root(self) -> str:
        """The combo the dashboard starts at: all traffic, or the merchant's own total."""
        return GLOBAL if self.merchant is None else f"merchant={self.merchant}"

    def allows_merchant(self, client_id: str) -> bool:
        return self.merchant is None or client_id == self.merchant

    def allows_combo(self, combo: str) -> bool:
        """Whether ``combo`` (already parsed as valid) may be read."""
        return self.merchant is None or merchant_of(combo) == self.merchant

    def alerts(self, alerts: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
        """The alerts whose root this scope may read, in the given order."""
        return [a for a in alerts if self.allows_combo(str(a.get("root", "")))]


def scope_of(role: str, merchant: str | None) -> Scope:
    """The scope of a session's role and merchant (see the module contract)."""
    if role in CROSS_MERCHANT_ROLES:
        return Scope(None)
    if role == "merchant_admin" and merchant:
        return Scope(merchant)
    return Scope(_NOBODY)
