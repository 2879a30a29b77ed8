"""One sweep end to end, pure: evaluate -> group root causes -> step every alert state.

``sweep(window, states, now_ms, config)`` returns the new states and the transitions the
caller must act on (store and notify). Roots of open alerts are passed to the grouping as
sticky, so an incident keeps its root from one sweep to the next. Roots only pending (one
significant sweep, not raised yet) are not: when the next sweep finds a more specific
explanation (the country whose failures moved the global rate, once the country has
enough volume to be tested), the pending root yields to it instead of being raised
(``config.sticky_pending`` restores the old behaviour). Candidates carried by the root of
an alert already pending or open are attached to it (``grouping.absorb_into_open_roots``).
A root that is not a candidate this sweep is ``normal`` only when every series of its alert
is normal at the root (see ``Evaluation.status``), else ``unknown`` (its state is kept).
"""

from __future__ import annotations

from dataclasses import dataclass

from bff.monitoring.evaluation import (
    NORMAL,
    SIGNIFICANT,
    UNKNOWN,
    DetectionConfig,
    Evaluation,
    Window,
    evaluate,
)
from bff.monitoring.grouping import Candidate, absorb_into_open_roots, group_findings
from bff.monitoring.hysteresis import OPEN, AlertState, step


@dataclass(frozen=True)
class Transition:
    """``raise`` (with the candidate that raised it) or ``resolve`` of one alert state."""

    kind: str
    state: AlertState
    candidate: Candidate | None


@dataclass(frozen=True)
class SweepResult:
    evaluation: Evaluation
    candidates: list[Candidate]
    states: dict[str, AlertState]
    transitions: list[Transition]


def sweep(window: Window, states: dict[str, AlertState], now_ms: int, config: DetectionConfig) -> SweepResult:
    """Evaluate ``window`` and advance ``states`` (see the module docstring)."""
    evaluation = evaluate(window, config)
    sticky = [root for root, state in states.items() if config.sticky_pending or state.status == OPEN]
    candidates = group_findings(evaluation.findings, config, sticky=sticky)
    if config.absorb_into_open_roots:
        candidates = absorb_into_open_roots(candidates, states, evaluation.deviation, config)
    by_root = {c.root: c for c in candidates}
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
        new, kind = step(old, root, signal, now_ms, config, metrics)
        if new is not None:
            new_states[root] = new
        if kind is not None:
            transitions.append(Transition(kind, new or old or _never(root), candidate))
    return SweepResult(evaluation, candidates, new_states, transitions)


def _never(root: str) -> AlertState:
    raise AssertionError(f"a transition without a state for {root}")
