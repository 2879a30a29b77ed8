"""One sweep (pure): baselines, minimum volume, materiality, FDR, then alert states."""

from __future__ import annotations

import numpy as np

from bff.monitoring.evaluation import NORMAL, SIGNIFICANT, UNKNOWN, DetectionConfig, build_window, evaluate
from bff.monitoring.metrics import COUNTER_INDEX, COUNTERS
from bff.monitoring.sweep import sweep

CONFIG = DetectionConfig()


def row(**counts: int) -> list[int]:
    values = [0] * len(COUNTERS)
    for name, value in counts.items():
        values[COUNTER_INDEX[name]] = value
    return values


def test_an_outage_against_yesterday_is_found_and_the_previous_minute_is_reported_too() -> None:
    yesterday = [{"merchant=m": row(session=100)}] * 3
    window = build_window({}, {"merchant=m": row(session=100)}, yesterday, elapsed=0.5)
    (finding,) = evaluate(window, CONFIG).findings
    assert (finding.combo, finding.metric, finding.direction, finding.observed, finding.expected) == (
        "merchant=m",
        "session",
        "down",
        0.0,
        50.0,
    )
    assert finding.baseline == "yesterday" and finding.p_value < 1e-10


def test_noise_within_poisson_variation_is_not_a_finding() -> None:
    yesterday = [{"merchant=m": row(session=100)}] * 3
    window = build_window({"merchant=m": row(session=88)}, {"merchant=m": row(session=100)}, yesterday, 1.0)
    evaluation = evaluate(window, CONFIG)
    assert evaluation.findings == [] and evaluation.status("merchant=m", "session", "down") == NORMAL


def test_low_volume_is_never_tested() -> None:
    yesterday = [{"merchant=m": row(session=10)}] * 3
    evaluation = evaluate(build_window({}, {}, yesterday, 1.0), CONFIG)
    assert evaluation.tests == 0 and evaluation.status("merchant=m", "session", "down") == UNKNOWN


def test_without_yesterday_the_previous_minute_is_the_baseline() -> None:
    window = build_window(
        {"merchant=new": row(session=5)}, {"merchant=new": row(session=200)}, [{}, {}, {}], 1.0
    )
    (finding,) = evaluate(window, CONFIG).findings
    assert finding.baseline == "previous minute" and finding.expected == 200


def test_a_conversion_drop_is_a_rate_finding() -> None:
    yesterday = [{"merchant=m": row(session=300, order_created=30)}] * 3
    window = build_window({"merchant=m": row(session=300, order_created=3)}, {}, yesterday, 1.0)
    metrics = {f.metric for f in evaluate(window, CONFIG).findings}
    assert "conversion" in metrics


def test_many_null_series_give_no_finding_after_fdr_control() -> None:
    rng = np.random.default_rng(3)
    combos = [f"merchant=m{i}" for i in range(2000)]
    yesterday = [{c: row(session=int(rng.poisson(300))) for c in combos} for _ in range(3)]
    current = {c: row(session=int(rng.poisson(300))) for c in combos}
    assert evaluate(build_window(current, {}, yesterday, 1.0), CONFIG).findings == []


def test_a_sweep_raises_after_two_hits_and_resolves_after_three_normal_sweeps() -> None:
    yesterday = [{"merchant=m": row(session=100), "*": row(session=1000)}] * 3
    outage = build_window({"*": row(session=900)}, {}, yesterday, 1.0)
    normal = build_window({"merchant=m": row(session=100), "*": row(session=1000)}, {}, yesterday, 1.0)
    states: dict = {}  # type: ignore[type-arg]
    kinds = []
    for i, window in enumerate([outage, outage, outage, normal, normal, normal]):
        result = sweep(window, states, i * 1000, CONFIG)
        states = result.states
        kinds.append([t.kind for t in result.transitions])
    assert kinds == [[], ["raise"], [], [], [], ["resolve"]]
    assert result.evaluation.status("merchant=m", "session", "down") == NORMAL
    assert SIGNIFICANT != NORMAL
