"""One sweep (pure): baselines, minimum volume, materiality, FDR, then alert states."""

from __future__ import annotations

import numpy as np

from bff.monitoring.detection.config import DetectionConfig
from bff.monitoring.detection.evaluation import evaluate
from bff.monitoring.detection.findings import NORMAL, SIGNIFICANT, UNKNOWN
from bff.monitoring.detection.sweep import sweep
from bff.monitoring.detection.sweep_window import Window, build_window, spans_of
from bff.monitoring.metrics import COUNTER_INDEX, COUNTERS

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
    # resolve_quiet_ms=0: the three normal sweeps alone resolve (by default the alert also
    # waits 10 minutes after its last evidence: see the next test)
    two_hits = DetectionConfig(raise_at_once_q=0.0, resolve_quiet_ms=0)
    for i, window in enumerate([outage, outage, outage, normal, normal, normal]):
        result = sweep(window, states, i * 1000, two_hits)
        states = result.states
        kinds.append([t.kind for t in result.transitions])
    assert kinds == [[], ["raise"], [], [], [], ["resolve"]]
    opened = sweep(outage, sweep(outage, {}, 0, CONFIG).states, 1000, CONFIG).states
    held = sweep(normal, sweep(normal, opened, 2000, CONFIG).states, 3000, CONFIG)
    assert not sweep(normal, held.states, 4000, CONFIG).transitions  # 3 s after the last evidence
    assert [t.kind for t in sweep(normal, held.states, 1000 + 600_000, CONFIG).transitions] == ["resolve"]
    at_once = sweep(outage, {}, 0, CONFIG)  # q ~ 1e-40: no second sweep needed
    assert [t.kind for t in at_once.transitions] == ["raise"]
    assert result.evaluation.status("merchant=m", "session", "down") == NORMAL
    assert SIGNIFICANT != NORMAL


def test_a_low_volume_conversion_drop_is_found_over_the_window_and_missed_by_the_minute() -> None:
    combo = "merchant=m|browser=Chrome"
    yesterday = [{combo: row(session=45, order_created=5)}] * 3  # 11% conversion
    closed = [{combo: row(session=30, order_created=1)}] * 9  # the last 9 minutes: 3%
    window = build_window(
        {combo: row(session=45, order_created=1)}, closed[-1], yesterday, 1.0,
        window_current=closed, window_yesterday=[{combo: row(session=30, order_created=4)}] * 30,
        window_previous=[], window_minutes=10,
    )  # fmt: skip
    (finding,) = evaluate(window, CONFIG).findings
    assert (finding.series, finding.direction, finding.baseline) == (
        "conversion@10m",
        "down",
        "same 10 min yesterday",
    )
    assert round(finding.observed, 4) == round(10 / 315, 4) and round(finding.expected, 4) == round(4 / 30, 4)
    assert evaluate(window, DetectionConfig.before_windows()).findings == []  # what the old detector saw


def test_a_window_without_enough_traffic_yesterday_is_compared_with_the_previous_window() -> None:
    combo = "merchant=new|browser=Chrome"
    window = build_window(
        {combo: row(session=30, order_created=0)}, {combo: row(session=30, order_created=1)}, [{}, {}, {}],
        1.0, window_current=[{combo: row(session=30, order_created=1)}] * 9,
        window_previous=[{combo: row(session=30, order_created=4)}] * 10, window_minutes=10,
    )  # fmt: skip
    (finding,) = evaluate(window, CONFIG).findings
    assert (finding.series, finding.baseline) == ("conversion@10m", "previous 10 min")


def test_rate_materiality_is_relative_to_the_rarer_outcome() -> None:
    yesterday = [{"merchant=m": row(authorization=10_000, authorization_success=9_500)}] * 3
    current = {"merchant=m": row(authorization=10_000, authorization_success=9_250)}  # 5% -> 7.5% failed
    window = build_window(current, {}, yesterday, 1.0)
    assert [f.series for f in evaluate(window, CONFIG).findings] == ["authorization_success_rate"]
    assert evaluate(window, DetectionConfig.before_windows()).findings == []  # 2.5 points < 8


def test_the_last_seconds_show_a_spike_the_minute_dilutes() -> None:
    yesterday = [{"merchant=m": row(authorization_failure=600)}] * 3
    minute = {"merchant=m": row(authorization_failure=550)}  # 45 s in: 450 expected, sd ~70
    plain = build_window(minute, {}, yesterday, 0.75)
    assert evaluate(plain, CONFIG).findings == []
    recent = np.array([row(authorization_failure=200)], dtype=float)  # the last 10 s: 100 expected
    with_recent = Window(**{**plain.__dict__, "recent": recent, "recent_elapsed": 1 / 6})
    (finding,) = evaluate(with_recent, CONFIG).findings
    assert (finding.series, finding.direction, finding.expected) == ("authorization_failure@10s", "up", 100.0)


def test_spans_of_a_minute() -> None:
    spans = spans_of(10_000, DetectionConfig(window_minutes=10, yesterday_minutes=3))
    assert spans.previous == 9_999 and list(spans.yesterday) == [8_559, 8_560, 8_561]
    assert list(spans.window) == list(range(9_991, 10_000))
    assert list(spans.window_yesterday) == list(range(8_541, 8_571))  # 3 windows centred on 8551-8560
    assert list(spans.window_previous) == list(range(9_981, 9_991))
    assert list(spans_of(10_000, DetectionConfig.before_windows()).window) == []


def test_a_pending_root_hands_its_hits_to_the_candidate_that_names_the_incident_better() -> None:
    # sweep 1: only the global rate has the trials to be tested; sweep 2: the country too,
    # and it explains the global dip: the alert is raised on the country, at the 2nd sweep
    yesterday = [{"*": row(authorization=1000, authorization_success=950),
                  "country=SE": row(authorization=100, authorization_success=95)}] * 3  # fmt: skip
    early = {"*": row(authorization=300, authorization_success=255),
             "country=SE": row(authorization=30, authorization_success=12)}  # fmt: skip
    later = {"*": row(authorization=400, authorization_success=335),
             "country=SE": row(authorization=60, authorization_success=24)}  # fmt: skip
    two_hits = DetectionConfig(raise_at_once_q=0.0)
    first = sweep(build_window(early, {}, yesterday, 0.3), {}, 0, two_hits)
    assert [c.root for c in first.candidates] == ["*"] and first.states["*"].hits == 1
    second = sweep(build_window(later, {}, yesterday, 0.4), first.states, 500, two_hits)
    assert [(t.kind, t.state.root) for t in second.transitions] == [("raise", "country=SE")]
    assert set(second.states) == {"country=SE"}
