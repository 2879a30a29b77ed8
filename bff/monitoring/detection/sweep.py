"""One sweep end to end, pure: evaluate -> group root causes -> step every alert state.

``sweep(window, states, now_ms, config)`` returns the new states and the transitions the
caller must act on (store and notify). Roots of open alerts are passed to the grouping as
sticky, so an incident keeps its root from one sweep to the next. Roots only pending (one
significant sweep, not raised yet) are not: when the next sweep finds a more specific
explanation (the country whose failures moved the global rate, once the country has
enough volume to be tested), the pending root yields to it instead of being raised, and
its hits move to the new name (``_move_pending``: the consecutive sweeps are counted per
incident); ``config.sticky_pending`` restores the old behaviour. Candidates carried by the root of
an alert already pending or open are attached to it (``open_roots.absorb_into_open_roots``);
an open alert whose root's ancestor becomes a candidate carrying the same change moves up
to it (``alert_moves``: transition ``move``, the same alert under its wider root).
A root that is not a candidate this sweep is ``normal`` only when every series of its alert
is normal at the root (see ``Evaluation.status``) and no other span of its metrics is still
significant there, else ``unknown`` (its state is kept).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from bff.monitoring.detection.alert_moves import Move, move_open_alerts
from bff.monitoring.detection.config import DetectionConfig
from bff.monitoring.detection.evaluation import evaluate
from bff.monitoring.detection.findings import NORMAL, SIGNIFICANT, UNKNOWN, Evaluation, split_series
from bff.monitoring.detection.grouping import Candidate, group_findings
from bff.monitoring.detection.hysteresis import MOVE, OPEN, PENDING, AlertState, step
from bff.monitoring.detection.open_roots import absorb_into_open_roots
from bff.monitoring.detection.sweep_window import Window
from bff.monitoring.dimensions import is_ancestor, merchant_of


@dataclass(frozen=True)
class Transition:
    """``raise`` (with the candidate that raised it), ``resolve`` or ``move`` of one alert state.

    A ``move`` is the open alert of ``previous_root`` now under ``state.root`` (an ancestor),
    with the candidate of this sweep that took it (``alert_moves``).
    """

    kind: str
    state: AlertState
    candidate: Candidate | None
    previous_root: str | None = None


@dataclass(frozen=True)
class SweepResult:
    evaluation: Evaluation
    candidates: list[Candidate]
    states: dict[str, AlertState]
    transitions: list[Transition]


def sweep(window: Window, states: dict[str, AlertState], now_ms: int, config: DetectionConfig) -> SweepResult:
    """Evaluate ``window`` and advance ``states`` (see the module docstring)."""
    return advance(evaluate(window, config), states, now_ms, config)


def advance(
    evaluation: Evaluation, states: dict[str, AlertState], now_ms: int, config: DetectionConfig
) -> SweepResult:
    """Group the findings of ``evaluation`` and advance ``states`` (``sweep`` after the evaluation)."""
    sticky = [root for root, state in states.items() if config.sticky_pending or state.status == OPEN]
    candidates = group_findings(evaluation.findings, config, sticky=sticky)
    if config.absorb_into_open_roots:
        candidates = absorb_into_open_roots(
            candidates, states, evaluation.deviation, config, evaluation.volume
        )
    moves: list[Move] = []
    if config.move_open_alerts:
        candidates, states, moves = move_open_alerts(
            candidates, states, evaluation.deviation, evaluation.volume, config
        )
    by_root = {c.root: c for c in candidates}
    if not config.sticky_pending:
        states = _move_pending(states, by_root)
    new_states: dict[str, AlertState] = {}
    transitions: list[Transition] = []
    for root in sorted(set(states) | set(by_root)):
        candidate = by_root.get(root)
        old = states.get(root)
        if candidate is not None:
            signal = SIGNIFICANT
            metrics = tuple(f"{f.series}:{f.direction}" for f in candidate.evidence)
        else:
            metrics = ()
            statuses = [evaluation.status(root, *m.split(":", 1)) for m in (old.metrics if old else ())]
            signal = NORMAL if statuses and all(s == NORMAL for s in statuses) else UNKNOWN
            if signal == NORMAL and old is not None and _still_significant(evaluation, root, old.metrics):
                signal = UNKNOWN
        best_q = min((f.q_value for f in candidate.evidence), default=1.0) if candidate else 1.0
        strong = config.raise_at_once_q > 0 and best_q <= config.raise_at_once_q
        new, kind = step(old, root, signal, now_ms, config, metrics, strong)
        if new is not None:
            new_states[root] = new
        if kind is not None:
            transitions.append(Transition(kind, new or old or _never(root), candidate))
    transitions += [
        Transition(MOVE, new_states[m.root], by_root.get(m.root), m.previous_root)
        for m in moves
        if m.root in new_states
    ]
    return SweepResult(evaluation, candidates, new_states, transitions)


def _still_significant(evaluation: Evaluation, root: str, series_keys: tuple[str, ...]) -> bool:
    """Whether another span of the alert's metrics is still significant at its root.

    An authorization-failure spike raised on the minute's counts within a second also moves
    the 10-minute window of the authorization rate, which holds it for up to 10 minutes:
    the alert stays open meanwhile (and its country's window finding stays attached to it,
    not raised on its own).
    """
    keys = _metric_keys(series_keys)
    return any(
        evaluation.status(root, name, direction) == SIGNIFICANT
        for name in evaluation.series
        for metric, direction in keys
        if split_series(name)[0] == metric
    )


def _move_pending(states: dict[str, AlertState], by_root: dict[str, Candidate]) -> dict[str, AlertState]:
    """Hand a pending state over to the candidate that renamed its incident.

    A pending root that is no candidate this sweep while a linked candidate without a state
    is (its ancestor, descendant or a combo of the same merchant, with a metric and direction
    in common) is the same incident named better this sweep: ``*`` pending, then
    ``country=SE`` once the country has the volume to be tested. The hits move with it, so
    the consecutive-sweeps rule counts sweeps of the incident, not of one name.
    """
    moved = dict(states)
    for root, candidate in by_root.items():
        if root in moved:
            continue
        keys = {(f.metric, f.direction) for f in candidate.evidence}
        heir = next(
            (
                old
                for old in sorted(moved.values(), key=lambda s: (-s.hits, s.first_seen_ms))
                if old.status == PENDING
                and old.root not in by_root
                and _linked(old.root, root)
                and keys & _metric_keys(old.metrics)
            ),
            None,
        )
        if heir is not None:
            del moved[heir.root]
            moved[root] = dataclasses.replace(heir, root=root)
    return moved


def _metric_keys(series_keys: tuple[str, ...]) -> set[tuple[str, str]]:
    """``("conversion@10m:down",)`` -> ``{("conversion", "down")}``."""
    return {(split_series(k.rpartition(":")[0])[0], k.rpartition(":")[2]) for k in series_keys}


def _linked(a: str, b: str) -> bool:
    return (
        is_ancestor(a, b)
        or is_ancestor(b, a)
        or (merchant_of(a) is not None and merchant_of(a) == merchant_of(b))
    )


def _never(root: str) -> AlertState:
    raise AssertionError(f"a transition without a state for {root}")
