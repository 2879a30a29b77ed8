"""The alert state machine, with hysteresis on both edges (pure).

Each root combo the detector looks at has at most one ``AlertState``. Per sweep it gets a
signal: ``significant`` (the root is a candidate this sweep), ``normal`` (every metric of
the alert tested at the root and found normal) or ``unknown`` (not enough volume yet, or
in between the two thresholds):

* no state + significant -> ``pending`` (1 hit); ``pending`` + significant -> one more hit;
  at ``raise_after`` consecutive hits it is ``open`` and the transition is ``raise``;
  evidence so strong that one sweep is enough (``strong``: a q-value under
  ``config.raise_at_once_q``, a thousand times below the FDR level) raises at once: a
  second sweep half a second later adds little certainty and half a second of latency;
* ``pending`` + normal -> dropped (hits must be consecutive); + unknown -> unchanged,
  unless it has been pending for over ``PENDING_TTL_MS`` (then dropped);
* ``open`` + significant -> the quiet count restarts; + normal -> one more quiet sweep; at
  ``resolve_after`` of them, and at least ``config.resolve_quiet_ms`` after the last
  significant sweep, the state is dropped and the transition is ``resolve`` (an anomaly
  that comes back within that time is the same incident, not a new alert);
  + unknown -> unchanged, unless the last significant sweep is more than
  ``config.alert_ttl_ms`` ago: then the alert *expires* (dropped, transition ``resolve``).
  An open alert without evidence for that long (a drop whose series stays too small to
  be tested) no longer silences its root: once dropped, the root can alert again.

Raising needs a q-value under ``fdr`` while resolving needs a p-value over ``resolve_p``
(or an immaterial change): the gap between them is the other half of the hysteresis.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from bff.monitoring.detection.config import DetectionConfig
from bff.monitoring.detection.findings import NORMAL, SIGNIFICANT

RAISE, RESOLVE, MOVE = "raise", "resolve", "move"  # move: alert_moves
PENDING, OPEN = "pending", "open"
PENDING_TTL_MS = 120_000


@dataclass(frozen=True)
class AlertState:
    root: str
    status: str
    hits: int
    quiet: int
    first_seen_ms: int
    metrics: tuple[str, ...] = ()  # "<metric>:<direction>" of every finding seen at the root
    alert_id: str | None = None
    last_evidence_ms: int = 0  # the last significant sweep (0: states saved before the field)


def step(
    state: AlertState | None,
    root: str,
    signal: str,
    now_ms: int,
    config: DetectionConfig,
    metrics: tuple[str, ...] = (),
    strong: bool = False,
) -> tuple[AlertState | None, str | None]:
    """The next state of ``root`` and the transition (``raise``, ``resolve`` or None)."""
    if state is None:
        if signal != SIGNIFICANT:
            return None, None
        state = AlertState(root, PENDING, 0, 0, now_ms, metrics, last_evidence_ms=now_ms)
    merged = tuple(dict.fromkeys(state.metrics + metrics))
    if state.status == PENDING:
        if signal == SIGNIFICANT:
            hits = state.hits + 1
            seen = dataclasses.replace(state, hits=hits, metrics=merged, last_evidence_ms=now_ms)
            if hits >= config.raise_after or strong:
                return dataclasses.replace(seen, status=OPEN), RAISE
            return seen, None
        stale = now_ms - state.first_seen_ms > PENDING_TTL_MS
        return (None, None) if signal == NORMAL or stale else (state, None)
    if signal == SIGNIFICANT:
        return dataclasses.replace(state, quiet=0, metrics=merged, last_evidence_ms=now_ms), None
    evidence_ms = state.last_evidence_ms or state.first_seen_ms
    if signal == NORMAL:
        quiet = state.quiet + 1
        if quiet >= config.resolve_after and now_ms - evidence_ms >= config.resolve_quiet_ms:
            return None, RESOLVE
        return dataclasses.replace(state, quiet=quiet), None
    if config.alert_ttl_ms > 0 and now_ms - evidence_ms > config.alert_ttl_ms:
        return None, RESOLVE
    return state, None
