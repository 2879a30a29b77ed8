"""Dimensions, the combinations the rollups count, and the combination key format (pure).

A combination is a tuple of dimension names; one of its members (a "combo") fixes their
values, written as a key: ``*`` for the global total, otherwise ``dim=value`` pairs joined
by ``|`` in the order of ``DIMENSIONS``, e.g. ``merchant=acme|browser=Firefox``. Values
never contain ``|``, ``=`` or ``#`` (see ``enrichment.safe_value``).

The operation (event type) is not a dimension of the key: every combo carries one counter
per operation (see ``metrics``), so ``merchant x operation`` is the merchant combo's
counters. ``country`` alone is counted too, so that a problem shared by every merchant of
one country (an issuer outage) has a node of its own to be named as the root cause.
"""

from __future__ import annotations

from collections.abc import Mapping

DIMENSIONS = ("merchant", "country", "payment_method", "browser", "device", "channel")
GLOBAL = "*"
Combination = tuple[str, ...]
COMBINATIONS: tuple[Combination, ...] = (
    (),
    ("merchant",),
    ("country",),
    ("merchant", "country"),
    ("merchant", "payment_method"),
    ("merchant", "browser"),
    ("merchant", "device"),
    ("merchant", "channel"),
)


def combo_key(values: Mapping[str, str], combination: Combination) -> str:
    """The key of ``combination`` for these dimension values (all must be present)."""
    if not combination:
        return GLOBAL
    return "|".join(f"{name}={values[name]}" for name in DIMENSIONS if name in combination)


def combos_of(values: Mapping[str, str], combinations: tuple[Combination, ...] = COMBINATIONS) -> list[str]:
    """Keys of every combination whose dimensions the event has."""
    return [combo_key(values, c) for c in combinations if all(name in values for name in c)]


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
