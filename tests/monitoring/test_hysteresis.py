"""The alert state machine (pure): raise after consecutive hits, resolve after quiet sweeps."""

from __future__ import annotations

from bff.monitoring.detection_config import DetectionConfig
from bff.monitoring.evaluation import NORMAL, SIGNIFICANT, UNKNOWN
from bff.monitoring.hysteresis import OPEN, PENDING, PENDING_TTL_MS, RAISE, RESOLVE, step

CONFIG = DetectionConfig(raise_after=2, resolve_after=3)


def run(signals: list[str], start_ms: int = 0) -> list[tuple[str | None, str | None]]:
    """Feed signals one sweep (1 s) apart; return (status, transition) after each."""
    state, out = None, []
    for i, signal in enumerate(signals):
        state, transition = step(state, "merchant=m", signal, start_ms + i * 1000, CONFIG, ("session",))
        out.append((state.status if state else None, transition))
    return out


def test_one_significant_sweep_is_only_pending() -> None:
    assert run([SIGNIFICANT]) == [(PENDING, None)]


def test_two_consecutive_hits_raise_once() -> None:
    assert run([SIGNIFICANT, SIGNIFICANT, SIGNIFICANT]) == [(PENDING, None), (OPEN, RAISE), (OPEN, None)]


def test_a_normal_sweep_between_hits_starts_over() -> None:
    assert run([SIGNIFICANT, NORMAL, SIGNIFICANT]) == [(PENDING, None), (None, None), (PENDING, None)]


def test_unknown_holds_a_pending_state_until_it_goes_stale() -> None:
    state, _ = step(None, "merchant=m", SIGNIFICANT, 0, CONFIG)
    held, _ = step(state, "merchant=m", UNKNOWN, PENDING_TTL_MS, CONFIG)
    assert held == state
    assert step(state, "merchant=m", UNKNOWN, PENDING_TTL_MS + 1, CONFIG) == (None, None)


def test_resolving_needs_consecutive_normal_sweeps_and_unknown_does_not_count() -> None:
    out = run([SIGNIFICANT, SIGNIFICANT, NORMAL, NORMAL, SIGNIFICANT, NORMAL, UNKNOWN, NORMAL, NORMAL])
    assert [t for _, t in out] == [None, RAISE, None, None, None, None, None, None, RESOLVE]
    assert out[-1] == (None, RESOLVE)


def test_metrics_accumulate_while_open() -> None:
    state, _ = step(None, "m", SIGNIFICANT, 0, CONFIG, ("session",))
    state, _ = step(state, "m", SIGNIFICANT, 1, CONFIG, ("impression",))
    assert state is not None and state.metrics == ("session", "impression")


def test_overwhelming_evidence_raises_at_the_first_sweep() -> None:
    state, transition = step(None, "merchant=m", SIGNIFICANT, 0, CONFIG, ("session",), strong=True)
    assert state is not None and (state.status, transition) == (OPEN, RAISE)
