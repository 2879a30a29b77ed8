"""Dimensions, the combinations the rollups count, and the combination key format (pure).

A combination is a tuple of dimension names; one of its members (a "combo") fixes their
values, written as a key: ``*`` for the global total, otherwise ``dim=value`` pairs joined
by ``|`` in the order of ``DIMENSIONS``, e.g. ``merchant=acme|browser=Firefox``. Values
never contain ``|``, ``=`` or ``#`` (see ``enrichment.safe_value``).

The operation (event type) is not a dimension of the key: every combo carries one counter
per operation (see ``metrics``), so ``merchant x operation`` is the merchant combo's
counters. ``country``, ``browser``, ``device`` and ``channel`` alone are counted too (all
traffic), so that a problem shared by every merchant of one country (an issuer outage) or
one browser (a widget bug in Firefox) has a node of its own to be named as the root cause.

``campaign`` and ``variant`` are the message a widget event showed, or, for an order, the
message its last touch showed (``bff.attribution``); they are counted within their
merchant only (``merchant x campaign`` and ``merchant x campaign x variant``), so that a
variant whose conversion collapses is a node of its own. Their cardinality is bounded at
ingest (``ingest.monitored_campaigns``): only the variants of a merchant's configured
campaigns, at most ``MAX_MONITORED_CAMPAIGNS`` campaigns of ``MAX_VARIANTS`` variants each.

Combos per event (``combos_of``): a widget event of a campaign counts in 12 combos (the
global total, 4 all-traffic, merchant, 4 merchant x dimension, 2 campaign); a server event
joined to its visit in 10, 11 with a payment method, 13 for an order of a variant; an
event without a browser (no user agent, no visit) in 6 or 7.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache

DIMENSIONS = ("merchant", "country", "payment_method", "browser", "device", "channel", "campaign", "variant")
GLOBAL = "*"
Combination = tuple[str, ...]
COMBINATIONS: tuple[Combination, ...] = (
    (),
    ("merchant",),
    ("country",),
    ("browser",),
    ("device",),
    ("channel",),
    ("merchant", "country"),
    ("merchant", "payment_method"),
    ("merchant", "browser"),
    ("merchant", "device"),
    ("merchant", "channel"),
    ("merchant", "campaign"),
    ("merchant", "campaign", "variant"),
)


# Counted for the dashboard's all-traffic breakdowns, not tested by the detector: a change
# of one country (an issuer's outage) moves every browser, device and channel with it, and
# without a joint combo (browser x country) the grouping cannot attach them to the country's
# alert. On the simulator they took the authorization-spike precision from 0.50 to 0.08 and
# false alarms from 0.33 to 3.0 an hour (docs/monitoring.md, "Dimensions").
UNTESTED_COMBINATIONS: frozenset[Combination] = frozenset({("browser",), ("device",), ("channel",)})
_UNTESTED_DIMENSIONS = frozenset(d for (d,) in UNTESTED_COMBINATIONS)
TESTED_COMBINATIONS: tuple[Combination, ...] = tuple(
    c for c in COMBINATIONS if c not in UNTESTED_COMBINATIONS
)


def is_tested(key: str) -> bool:
    """Whether the detector tests the combo ``key`` (every counted combo but ``UNTESTED_COMBINATIONS``)."""
    if "|" in key or key == GLOBAL:
        return True
    return key.partition("=")[0] not in _UNTESTED_DIMENSIONS


def combo_key(values: Mapping[str, str], combination: Combination) -> str:
    """The key of ``combination`` for these dimension values (all must be present)."""
    if not combination:
        return GLOBAL
    return "|".join(f"{name}={values[name]}" for name in _in_key_order(combination))


def combos_of(values: Mapping[str, str], combinations: tuple[Combination, ...] = COMBINATIONS) -> list[str]:
    """Keys of every combination whose dimensions the event has."""
    keys = []
    for combination in combinations:
        names = _in_key_order(combination)
        if all(name in values for name in names):
            keys.append("|".join(f"{name}={values[name]}" for name in names) if names else GLOBAL)
    return keys


@lru_cache(maxsize=256)
def _in_key_order(combination: Combination) -> Combination:
    return tuple(name for name in DIMENSIONS if name in combination)


def parse_combo(key: str) -> dict[str, str]:
    """``merchant=acme|browser=Firefox`` -> ``{'merchant': 'acme', 'browser': 'Firefox'}``."""
    if key == GLOBAL:
        return {}
    return dict(part.split("=", 1) for part in key.split("|"))


def merchant_of(key: str) -> str | None:
    """The merchant a combo belongs to, or None for the global and cross-merchant combos."""
    if not key.startswith("merchant="):
        return None
    return key[len("merchant=") :].split("|", 1)[0]


def bucket_of(key: str) -> str:
    """The storage bucket of a combo: its merchant, or ``*`` for cross-merchant combos."""
    return merchant_of(key) or GLOBAL


def is_ancestor(ancestor: str, descendant: str) -> bool:
    """True when ``ancestor``'s pairs are a strict subset of ``descendant``'s."""
    a, d = parse_combo(ancestor), parse_combo(descendant)
    return len(a) < len(d) and all(d.get(k) == v for k, v in a.items())


def describe(key: str) -> str:
    """Human form: ``merchant acme, browser Firefox``; ``all traffic`` for the global total."""
    pairs = parse_combo(key)
    if not pairs:
        return "all traffic"
    return ", ".join(f"{name.replace('_', ' ')} {value}" for name, value in pairs.items())
