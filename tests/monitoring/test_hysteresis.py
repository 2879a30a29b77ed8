"""The alert state machine (pure): raise after consecutive hits, resolve after quiet sweeps."""

from __future__ import annotations

from bff.monitoring.detection.config import DetectionConfig
from bff.monitoring.detection.findings import NORMAL, SIGNIFICANT, UNKNOWN
from bff.monitoring.detection.hysteresis import OPEN, PENDING, PENDING_TTL_MS, RAISE, RESOLVE, step

CONFIG = DetectionConfig(raise_after=2, resolve_after=3, resolve_quiet_ms=0)  # sweeps alone resolve


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


def test_an_open_alert_without_evidence_expires_after_the_ttl_and_the_root_can_alert_again() -> None:
    config = DetectionConfig(raise_after=1, alert_ttl_ms=60_000)
    state, transition = step(None, "m", SIGNIFICANT, 0, config, ("session@60m:down",))
    assert state is not None and transition == RAISE and state.last_evidence_ms == 0
    state, _ = step(state, "m", SIGNIFICANT, 30_000, config)
    assert state is not None and state.last_evidence_ms == 30_000
    held, transition = step(state, "m", UNKNOWN, 90_000, config)
    assert held == state and transition is None  # 60 s since the last evidence: not over the TTL
    assert step(state, "m", UNKNOWN, 90_001, config) == (None, RESOLVE)
    again, transition = step(None, "m", SIGNIFICANT, 95_000, config)
    assert again is not None and transition == RAISE


def test_without_a_ttl_an_open_alert_waits_for_normal_sweeps() -> None:
    config = DetectionConfig(raise_after=1, alert_ttl_ms=0)
    state, _ = step(None, "m", SIGNIFICANT, 0, config)
    assert step(state, "m", UNKNOWN, 10**9, config) == (state, None)


def test_an_alert_resolves_only_after_quiet_minutes_since_its_last_evidence() -> None:
    config = DetectionConfig(raise_after=1, resolve_after=3, resolve_quiet_ms=600_000)
    state, _ = step(None, "m", SIGNIFICANT, 0, config)
    for now in (1000, 2000, 3000, 599_999):
        state, transition = step(state, "m", NORMAL, now, config)
        assert state is not None and transition is None  # normal, but not 10 minutes yet
    assert step(state, "m", NORMAL, 600_000, config) == (None, RESOLVE)
