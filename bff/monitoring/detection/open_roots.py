"""Rule 4 of the root-cause grouping: candidates carried by alerts already open (pure).

``absorb_into_open_roots`` attaches to an alert already pending or open a candidate that is
the same incident seen from another side (``grouping``'s docstring, rule 4): its deviation
is carried by its intersection with the alert's root (``country=DE`` while ``merchant=m``,
70% German, spikes), by the merchant the two share (``merchant=m|country=SE`` while
``merchant=m|browser=Chrome``, which carries the merchant's conversion drop, is open), or
jointly by the roots of several merchants, or it is the merchant's volume change seen in
another slice (a decline alerted on ``browser=Chrome``, then seen in ``country=NO``). A
change concentrated in the candidate inside the open root, or beside it twice as steep as
the root's, is a new incident and stays a candidate (``_own_incident``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from bff.monitoring.detection.config import DetectionConfig
from bff.monitoring.detection.findings import split_series
from bff.monitoring.detection.grouping import Candidate
from bff.monitoring.detection.volume_slices import same_volume_change, shares
from bff.monitoring.dimensions import (
    COMBINATIONS,
    DIMENSIONS,
    combo_key,
    is_ancestor,
    merchant_of,
    parse_combo,
)


def absorb_into_open_roots(
    candidates: list[Candidate],
    states: Mapping[str, Any],
    deviation: Callable[[str, str], float],
    config: DetectionConfig,
    volume: Callable[[str, str], float] | None = None,
) -> list[Candidate]:
    """Attach candidates carried by the roots of alerts already pending or open (rule 4 above).

    ``states`` maps roots to their ``hysteresis.AlertState`` (``status``, ``first_seen_ms``,
    ``metrics``); ``deviation(combo, series)`` and ``volume(combo, series)`` are the sweep's
    deviation and volume of any series, tested or not (without ``volume`` no candidate is
    judged concentrated). A candidate is carried by one alert's root, or jointly by the roots of
    different merchants (their parts are disjoint: two merchants failing at once move the
    global rate together). An open candidate is never attached; of two roots carrying each
    other, the older owns. Returns the candidates left; an attached candidate's findings
    become related findings of its owner's candidate when it has one this sweep.
    """
    owners = {root: state for root, state in states.items() if state.status in ("open", "pending")}
    if not owners:
        return candidates
    by_root = {c.root: c for c in candidates}
    kept = []
    for candidate in candidates:
        mine = owners.get(candidate.root)
        owner = None
        if mine is None or mine.status != "open":
            owner = _owner(candidate, mine, owners, by_root, deviation, volume, config)
        if owner is None:
            kept.append(candidate)
        elif owner in by_root:
            by_root[owner].related.extend(candidate.evidence + candidate.related)
    return kept


def _owner(
    candidate: Candidate,
    mine: Any,
    owners: Mapping[str, Any],
    by_root: Mapping[str, Candidate],
    deviation: Callable[[str, str], float],
    volume: Callable[[str, str], float] | None,
    config: DetectionConfig,
) -> str | None:
    best: dict[str, tuple[float, str]] = {}  # merchant (or root) -> (share carried, root)
    for root, state in owners.items():
        if root == candidate.root or (state.status != "open" and is_ancestor(root, candidate.root)):
            continue  # a pending ancestor yields to the more specific name (sweep._move_pending)
        if _own_incident(candidate, root, deviation, volume, config):
            continue  # a new incident inside the open one, or beside it in its merchant
        share = _carried_share(candidate, root, state.metrics, deviation)
        if share <= 0:
            continue
        theirs = by_root.get(root)
        mutual = (
            theirs is not None
            and mine is not None
            and _carried_share(theirs, candidate.root, mine.metrics, deviation) >= config.explain_share
        )
        if mutual and (state.first_seen_ms, root) > (mine.first_seen_ms, candidate.root):
            continue  # both carry each other: the older alert owns (of two as old, the first named)
        key = merchant_of(root) or root
        if share > best.get(key, (0.0, ""))[0]:
            best[key] = (share, root)
    if not best:
        return None
    share, root = max(best.values())
    if share >= config.explain_share:
        return root
    jointly = sum(s for key, (s, r) in best.items() if merchant_of(r) is not None)
    return root if merchant_of(root) is not None and jointly >= config.explain_share else None


def _own_incident(
    candidate: Candidate,
    root: str,
    deviation: Callable[[str, str], float],
    volume: Callable[[str, str], float] | None,
    config: DetectionConfig,
) -> bool:
    """Whether ``candidate``'s change is its own incident beside the open ``root``.

    Inside ``root``: its change is concentrated in it (``_concentrated``). Beside it, in the
    merchant they share (``_beside``): in every finding's series its relative change is at
    least ``own_root_concentration`` times the root's (a slice with the root's part of the
    change moves at most as steeply as the root, up to noise). Without volumes a candidate
    inside is never one, and one beside always is (it cannot be judged).
    """
    if is_ancestor(root, candidate.root):
        return volume is not None and _concentrated(candidate, root, deviation, volume, config)
    if _beside(candidate.root, root) is None:
        return False
    return volume is None or all(
        _relative(candidate.root, f.series, deviation, volume)
        >= config.own_root_concentration * _relative(root, f.series, deviation, volume)
        for f in candidate.evidence
    )


def _relative(
    combo: str, series: str, deviation: Callable[[str, str], float], volume: Callable[[str, str], float]
) -> float:
    """The size of a combo's change relative to its volume (0 when unknown)."""
    held = volume(combo, series)
    return abs(deviation(combo, series)) / held if held > 0 else 0.0


def _beside(combo: str, root: str) -> str | None:
    """The merchant's combo when ``combo`` and ``root`` are two slices of one merchant, neither
    inside the other (``merchant=m|country=SE`` and ``merchant=m|browser=Chrome``: their
    intersection is not counted), else None."""
    merchant = merchant_of(combo)
    if merchant is None or merchant != merchant_of(root) or combo == root:
        return None
    if "|" not in combo or "|" not in root or is_ancestor(combo, root) or is_ancestor(root, combo):
        return None
    return combo_key({"merchant": merchant}, ("merchant",))


def _concentrated(
    candidate: Candidate,
    root: str,
    deviation: Callable[[str, str], float],
    volume: Callable[[str, str], float],
    config: DetectionConfig,
) -> bool:
    """Whether every finding of ``candidate`` (inside ``root``) holds a change concentrated in it.

    Concentrated: the candidate's share of the root's deviation is at least
    ``own_root_concentration`` times, and ``explain_margin`` more than, its share of the
    root's volume. Unknown deviations or volumes (0), or the rule off (0), are never
    concentrated.
    """
    for finding in candidate.evidence:
        known = shares(finding.series, root, candidate.root, deviation, volume)
        if known is None:
            return False
        carried, held = known
        if carried < config.own_root_concentration * held or carried - held < config.explain_margin:
            return False
    return config.own_root_concentration > 0 and bool(candidate.evidence)


def _carried_share(
    candidate: Candidate, root: str, metrics: Iterable[str], deviation: Callable[[str, str], float]
) -> float:
    """The smallest share, over the candidate's findings, of its deviation that ``root`` carries.

    0 unless every finding is a change of ``root``'s metrics and directions. The part
    carried is the deviation of the intersection of the two combos when it is a counted
    combination (``country=DE`` and ``merchant=m``: ``merchant=m|country=DE``); a merchant's
    combo and a cross-merchant root with no counted intersection
    (``merchant=m|device=desktop`` and ``country=SE``) are judged on the merchant as a whole.
    Of a root beside the candidate in their merchant (``_beside``), the part is the share
    of the merchant's deviation the root carries: a slice whose change is in proportion to
    its volume (``_own_incident``) has its part of each cause of the merchant's change; and
    when every finding is a count moving the way the root's counts move, with the root's
    and the merchant's own counts of it moving that way too, all of it (1): the merchant's
    volume change (a decline) seen in another slice.
    """
    keys = {(split_series(k.rpartition(":")[0])[0], k.rpartition(":")[2]) for k in metrics}
    inside, merchant = is_ancestor(root, candidate.root), _beside(candidate.root, root)
    if not candidate.evidence or not all(
        (f.metric, f.direction) in keys
        or ((inside or merchant) and same_volume_change(f, root, keys, deviation))
        for f in candidate.evidence
    ):
        return 0.0
    if merchant is not None and all(
        same_volume_change(f, root, keys, deviation) and same_volume_change(f, merchant, keys, deviation)
        for f in candidate.evidence
    ):
        return 1.0  # the merchant's volume change, seen in another slice
    mine, theirs = parse_combo(candidate.root), parse_combo(root)
    if any(mine.get(k, v) != v for k, v in theirs.items()):
        return 0.0  # disjoint: m=a and m=b, or two countries
    union = mine | theirs
    dims = tuple(d for d in DIMENSIONS if d in union)
    if dims in COMBINATIONS:
        whole, part = candidate.root, combo_key(union, dims)
    elif "merchant" in mine and "merchant" not in theirs and ("merchant", *theirs) in COMBINATIONS:
        values = {"merchant": mine["merchant"]} | theirs
        whole = combo_key(values, ("merchant",))
        part = combo_key(values, tuple(d for d in DIMENSIONS if d in values))
    elif _beside(candidate.root, root) is not None:
        whole, part = combo_key(mine, ("merchant",)), root  # the share of the merchant's change it carries
    else:
        return 0.0
    shares = []
    for finding in candidate.evidence:
        total = deviation(whole, finding.series)
        shares.append(deviation(part, finding.series) / total if total else 0.0)
    return max(0.0, min(shares))
