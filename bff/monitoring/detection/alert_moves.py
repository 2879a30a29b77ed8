"""An open alert moves up to its root's ancestor when the ancestor becomes significant (pure).

A slow decline can raise a slice (``merchant=m|payment_method=financing``) a sweep or two
before its merchant: the slice's drift passes the threshold first. The roots of open
alerts are sticky (an incident keeps its name), so when ``merchant=m`` becomes significant
it was raised as a second alert of the same incident. ``move_open_alerts`` moves the open
alert instead: its state is renamed to the ancestor (same alert id, first sighting and
hits; the ancestor's own pending state, if any, is merged into it), the slice's findings
of this sweep become related findings of the ancestor's candidate, and a ``Move`` tells
the detector to update the alert and notify the move (``detector``, transition ``move``).

Only the same incident, seen wider, moves:

* every finding of the ancestor is a change of the alert's metrics and directions, or a
  count moving the way one of the alert's counts moves with the slice's own count of it
  moving that way too (``volume_slices.same_volume_change``);
* in each of those series, and in each series the alert was raised on, the slice
  carries a part of the ancestor's deviation in proportion to its volume: under
  ``own_root_concentration`` times, and under ``explain_margin`` more than, its share of
  the ancestor's volume (a slice of 60% of the volume carrying 75% of the change does not
  move: the rest moved less). A slice whose change is concentrated in it is its own
  incident (the rule of ``open_roots.absorb_into_open_roots``), and one carrying most of
  the ancestor's change explains it (a conversion drop in the merchant's main browser,
  whose merchant's orders fell too: Chrome carries all of the merchant's conversion
  drop): either keeps its alert, and the ancestor is raised on its own as before.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from bff.monitoring.detection.config import DetectionConfig
from bff.monitoring.detection.findings import split_series
from bff.monitoring.detection.grouping import Candidate
from bff.monitoring.detection.hysteresis import OPEN, AlertState
from bff.monitoring.detection.volume_slices import same_volume_change, shares
from bff.monitoring.dimensions import is_ancestor

Measure = Callable[[str, str], float]  # (combo, series) -> the sweep's deviation or volume


@dataclass(frozen=True)
class Move:
    """The open alert of ``previous_root`` now has ``root`` (an ancestor of it) as its root."""

    previous_root: str
    root: str


def move_open_alerts(
    candidates: list[Candidate],
    states: Mapping[str, AlertState],
    deviation: Measure,
    volume: Measure,
    config: DetectionConfig,
) -> tuple[list[Candidate], dict[str, AlertState], list[Move]]:
    """Move open alerts up to candidate ancestors that carry the same change (module docstring).

    Candidates are taken in the given order (most significant first); each takes the
    oldest open alert below it that passes, and an alert moves at most once a sweep. A
    candidate that is itself an open alert's root takes none. Returns the candidates left
    (the moved slices' own candidates are folded into their ancestors'), the new states
    and the moves. With ``own_root_concentration`` 0 nothing moves.
    """
    new_states = dict(states)
    opens = sorted((s for s in states.values() if s.status == OPEN), key=lambda s: (s.first_seen_ms, s.root))
    if config.own_root_concentration <= 0 or not opens:
        return candidates, new_states, []
    by_root = {c.root: c for c in candidates}
    moves = []
    for candidate in candidates:
        mine = new_states.get(candidate.root)
        if candidate.root not in by_root or (mine is not None and mine.status == OPEN):
            continue
        below = (s for s in opens if s.root in new_states and is_ancestor(candidate.root, s.root))
        moved = next((s for s in below if _same_incident(candidate, s, deviation, volume, config)), None)
        if moved is None:
            continue
        del new_states[moved.root]
        metrics = tuple(dict.fromkeys(moved.metrics + (mine.metrics if mine is not None else ())))
        new_states[candidate.root] = dataclasses.replace(moved, root=candidate.root, metrics=metrics)
        folded = by_root.pop(moved.root, None)
        if folded is not None:
            candidate.related.extend(folded.evidence + folded.related)
        moves.append(Move(moved.root, candidate.root))
    return [c for c in candidates if c.root in by_root], new_states, moves


def _same_incident(
    candidate: Candidate, alert: AlertState, deviation: Measure, volume: Measure, config: DetectionConfig
) -> bool:
    """Whether ``candidate`` (an ancestor of ``alert``'s root) is the alert's change seen wider:
    its findings are changes of the alert's kind, and the alert's root has its part of the
    candidate's change in proportion to its volume, in the candidate's series and in the
    alert's own."""
    keys = {(split_series(k.rpartition(":")[0])[0], k.rpartition(":")[2]) for k in alert.metrics}
    series = {f.series for f in candidate.evidence} | {k.rpartition(":")[0] for k in alert.metrics}
    return (
        bool(candidate.evidence)
        and all(
            (f.metric, f.direction) in keys or same_volume_change(f, alert.root, keys, deviation)
            for f in candidate.evidence
        )
        and all(_in_proportion(s, candidate.root, alert.root, deviation, volume, config) for s in series)
    )


def _in_proportion(
    series: str, whole: str, part: str, deviation: Measure, volume: Measure, config: DetectionConfig
) -> bool:
    """Whether ``part`` carries a share of ``whole``'s deviation in ``series`` that moves its
    way and is in proportion to its volume (module docstring; unknown deviations or volumes:
    False)."""
    known = shares(series, whole, part, deviation, volume)
    if known is None:
        return False
    carried, held = known
    return 0 < carried < config.own_root_concentration * held and carried - held < config.explain_margin
