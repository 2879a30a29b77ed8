"""Volume changes seen in several counters and slices: one incident, one alert (pure).

A merchant whose traffic declines moves every count it has (impressions, sessions,
authorizations, orders) and every slice of it (browsers, countries, payment methods), each
tested in its own series. ``grouping`` groups each series apart; these two rules join what
it would otherwise raise as separate alerts:

* ``merge_volume_slices`` (one sweep): a candidate whose evidence is all counts moving one
  way, inside another candidate with a count moving that way by a comparable relative
  change, joins the nearest such ancestor;
* ``same_volume_change`` (against alerts already open): a count of a slice inside the
  alert's root moving the way the alert's counts move, and the root's own count of it too.

A slice whose change is far larger than its parent's (``own_root_concentration`` times) is
its own incident and stays apart.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from bff.monitoring.detection.config import DetectionConfig
from bff.monitoring.detection.count_tests import TESTED_COUNTERS
from bff.monitoring.detection.findings import Finding
from bff.monitoring.dimensions import is_ancestor, parse_combo

if TYPE_CHECKING:
    from bff.monitoring.detection.grouping import Candidate


def merge_volume_slices(candidates: dict[str, Candidate], config: DetectionConfig, sticky: set[str]) -> None:
    """Across series: a candidate whose evidence is all counts moving one way, inside
    another candidate with a count moving that way by a comparable relative change (less
    than ``own_root_concentration`` times it), is the same volume change seen in another
    counter: its findings become related findings of the nearest such ancestor. A
    declining merchant's sessions in one series, its Chrome impressions in another.
    Sticky roots stay; most specific first, so chains collapse upwards."""
    if config.own_root_concentration <= 0:
        return
    for root in sorted(candidates, key=lambda r: (-len(parse_combo(r)), r)):
        candidate = candidates[root]
        direction = _volume_direction(candidate)
        if root in sticky or direction is None:
            continue
        owners = [
            (len(parse_combo(other)), other)
            for other, theirs in candidates.items()
            if other != root
            and is_ancestor(other, root)
            and all(
                _relative_change(f) < config.own_root_concentration * _volume_change(theirs, direction)
                for f in candidate.evidence
            )
        ]
        if owners:
            owner = candidates[max(owners)[1]]
            owner.related.extend(candidate.evidence + candidate.related)
            del candidates[root]


def _volume_direction(candidate: Candidate) -> str | None:
    """The direction of the candidate's evidence when it is all counts moving one way."""
    directions = {f.direction for f in candidate.evidence}
    if len(directions) != 1 or not all(f.metric in TESTED_COUNTERS for f in candidate.evidence):
        return None
    return directions.pop()


def _volume_change(candidate: Candidate, direction: str) -> float:
    """The largest relative change of the candidate's counts moving ``direction`` (0: none)."""
    changes = [
        _relative_change(f)
        for f in candidate.evidence
        if f.metric in TESTED_COUNTERS and f.direction == direction
    ]
    return max(changes, default=0.0)


def _relative_change(finding: Finding) -> float:
    return (
        abs(finding.observed - finding.expected) / finding.expected if finding.expected > 0 else float("inf")
    )


def same_volume_change(
    finding: Finding, root: str, keys: set[tuple[str, str]], deviation: Callable[[str, str], float]
) -> bool:
    """Whether ``finding`` (of a combo inside ``root``) is a count moving the way one of the
    root's alerted counts moves, with the root's own count of that series moving that way
    too: one volume change (a merchant's decline) seen in another counter of a slice."""
    if finding.metric not in TESTED_COUNTERS:
        return False
    if not any(metric in TESTED_COUNTERS and direction == finding.direction for metric, direction in keys):
        return False
    moved = deviation(root, finding.series)
    return moved < 0 if finding.direction == "down" else moved > 0


def shares(
    series: str,
    whole: str,
    part: str,
    deviation: Callable[[str, str], float],
    volume: Callable[[str, str], float],
) -> tuple[float, float] | None:
    """``(carried, held)``: the share of ``whole``'s deviation in ``series`` that ``part``
    (a combo inside it) carries, and its share of ``whole``'s volume there; None when a
    deviation or a volume is unknown (0). The concentration rules compare the two."""
    whole_deviation, whole_volume = deviation(whole, series), volume(whole, series)
    part_volume = volume(part, series)
    if whole_deviation == 0 or whole_volume <= 0 or part_volume <= 0:
        return None
    return deviation(part, series) / whole_deviation, part_volume / whole_volume
