"""The detector's thresholds (``DetectionConfig``): one frozen object, defaults tuned by ``bench/``.

What each threshold means is in ``bff/monitoring/detection/evaluation.py``'s docstring.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class DetectionConfig:
    """Thresholds of the detector (see the module docstring); defaults tuned by ``bench/``."""

    min_volume: float = 20.0
    min_trials: int = 40
    min_relative_change: float = 0.3
    min_rate_change: float = 0.02
    dispersion: float = 0.02
    fdr: float = 0.001
    resolve_p: float = 0.05
    resolve_change: float = 0.5  # normal also when the change is under half the materiality
    yesterday_minutes: int = 3
    raise_after: int = 2
    raise_at_once_q: float = 1e-6  # a q-value this small raises at the first sweep (0: never)
    resolve_after: int = 3
    explain_share: float = 0.8
    explain_margin: float = 0.15
    explain_z: float = 3.0  # a remainder within this many standard errors is noise (0: off)
    max_explaining_children: int = 2
    window_minutes: int = 10  # 0 or 1: no window tests
    recent_seconds: int = 10  # counts of the last seconds tested too (0: off)
    rate_test: str = "exact"  # or "z": the pooled two-proportion z-test
    relative_rate_change: bool = True  # materiality of rates relative to the rarer outcome
    min_expected_events: float = 0.0  # expected successes and failures, both samples
    sticky_pending: bool = False  # pending roots stay roots (else only open ones do)
    fdr_families: bool = True  # two-level BH over merchants (else one flat BH over all tests)
    absorb_into_open_roots: bool = True  # see open_roots.absorb_into_open_roots
    own_root_concentration: float = 2.0  # a change this concentrated inside an open root is its own (0: off)
    move_open_alerts: bool = True  # an open alert moves up to an ancestor carrying its change (alert_moves)
    resolve_quiet_ms: int = 10 * 60_000  # an alert resolves this long after its last evidence at the earliest
    alert_ttl_ms: int = 30 * 60_000  # an open alert without evidence this long expires (0: never)
    history_days: tuple[int, ...] = (1, 2, 3, 7)  # seasonal baseline: the same minutes these days ago
    count_windows: tuple[int, ...] = (5, 15, 60)  # count spans of low-volume combos (minutes)
    dispersion_prior_days: float = 2.0  # weight (in days) of the pooled dispersion in the fit
    max_dispersion: float = 1.0  # cap of a fitted dispersion
    drift_minutes: tuple[int, int] = (15, 60)  # drift test: the last 15 min against the 60 before (0: off)
    drift_min_change: float = 0.15  # material drift: the ratio moved this much against history's
    drift_prior: float = 0.001  # prior variance of the log drift ratio between days (3% sd)

    @classmethod
    def before_windows(cls) -> DetectionConfig:
        """The detector as it was before window tests and the exact rate test (for comparison)."""
        return cls(min_rate_change=0.08, window_minutes=0, recent_seconds=0, rate_test="z",
                   relative_rate_change=False,
                   min_expected_events=5.0, sticky_pending=True, fdr_families=False,
                   absorb_into_open_roots=False, move_open_alerts=False, explain_z=0.0, resolve_change=1.0,
                   raise_at_once_q=0.0, resolve_quiet_ms=0, alert_ttl_ms=0, history_days=(), count_windows=(),
                   drift_minutes=(0, 0))  # fmt: skip

    @property
    def windowed(self) -> bool:
        return self.window_minutes > 1
