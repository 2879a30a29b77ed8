"""An open slice alert moves up to its merchant when the merchant becomes significant: one alert.

Seed 12's slow decline on the simulator raised ``merchant=m0008|payment_method=financing``
(its impressions' drift) 55 s before ``merchant=m0008`` (its sessions' drift): two alerts
of one decline. The figures below are that pair's.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import numpy as np
import pytest
import redis

from bff.monitoring.alerts.slack import SlackNotifier
from bff.monitoring.alerts.store import AlertStore
from bff.monitoring.detection.alert_moves import Move, move_open_alerts
from bff.monitoring.detection.config import DetectionConfig
from bff.monitoring.detection.detector import Detector
from bff.monitoring.detection.findings import Evaluation, Finding
from bff.monitoring.detection.grouping import Candidate, group_findings
from bff.monitoring.detection.hysteresis import MOVE, OPEN, PENDING, RAISE, RESOLVE, AlertState
from bff.monitoring.detection.sweep import Transition, advance

CONFIG = DetectionConfig()
MERCHANT, SLICE = "merchant=m", "merchant=m|payment_method=financing"
SERIES = ("session@drift", "impression@drift")
# (deviation, volume) of each combo in each series: the slice holds 25% of the merchant's
# traffic and carries 25-27% of its decline (both down 17-18%)
MEASURES = {
    (MERCHANT, "session@drift"): (-438.0, 2548.0),
    (SLICE, "session@drift"): (-115.0, 637.0),
    (MERCHANT, "impression@drift"): (-1310.0, 7356.0),
    (SLICE, "impression@drift"): (-338.0, 1839.0),
}


def drift(combo: str, metric: str, observed: float, expected: float, q: float = 3e-4) -> Finding:
    return Finding(combo, metric, "down", observed, expected, q / 10, q, "past", observed - expected,
                   expected, span="drift")  # fmt: skip


MERCHANT_DRIFT = drift(MERCHANT, "session", 2110, 2548)
SLICE_DRIFT = drift(SLICE, "impression", 1501, 1839)


def slice_alert(metrics: tuple[str, ...] = ("impression@drift:down",)) -> AlertState:
    return AlertState(SLICE, OPEN, 2, 0, 1_000, metrics, alert_id="a1", last_evidence_ms=55_000)


def deviation(combo: str, series: str) -> float:
    return MEASURES.get((combo, series), (0.0, 0.0))[0]


def volume(combo: str, series: str) -> float:
    return MEASURES.get((combo, series), (0.0, 0.0))[1]


def moved(findings: list[Finding], states: dict[str, AlertState], config: DetectionConfig = CONFIG):  # type: ignore[no-untyped-def]
    candidates = group_findings(findings, config, sticky=[r for r, s in states.items() if s.status == OPEN])
    return move_open_alerts(candidates, states, deviation, volume, config)


def test_an_open_slice_moves_up_to_its_merchant_carrying_the_same_decline() -> None:
    candidates, states, moves = moved([MERCHANT_DRIFT, SLICE_DRIFT], {SLICE: slice_alert()})
    assert moves == [Move(SLICE, MERCHANT)]
    assert [c.root for c in candidates] == [MERCHANT]
    assert candidates[0].related == [SLICE_DRIFT]  # the slice's own candidate folded in
    (state,) = states.values()
    assert (state.root, state.status, state.alert_id, state.first_seen_ms) == (MERCHANT, OPEN, "a1", 1_000)
    assert state.metrics == ("impression@drift:down",)  # the merchant's metrics come with its step


def test_a_pending_merchant_state_is_merged_into_the_moved_alert() -> None:
    pending = AlertState(MERCHANT, PENDING, 1, 0, 50_000, ("session@drift:down",))
    _, states, moves = moved([MERCHANT_DRIFT], {SLICE: slice_alert(), MERCHANT: pending})
    assert moves == [Move(SLICE, MERCHANT)]
    assert states[MERCHANT].alert_id == "a1" and states[MERCHANT].status == OPEN
    assert states[MERCHANT].metrics == ("impression@drift:down", "session@drift:down")


def test_a_slice_falling_far_more_than_its_merchant_keeps_its_alert(monkeypatch: pytest.MonkeyPatch) -> None:
    """The slice carries 80% of the merchant's decline with 25% of its volume: its own incident."""
    monkeypatch.setitem(MEASURES, (SLICE, "session@drift"), (-350.0, 637.0))
    candidates, states, moves = moved([MERCHANT_DRIFT], {SLICE: slice_alert()})
    assert moves == [] and set(states) == {SLICE}
    assert [c.root for c in candidates] == [MERCHANT]  # raised on its own, as before


def test_a_main_slice_carrying_most_of_its_merchants_change_keeps_its_alert(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A slice of 60% of the merchant carrying 78% of its drop (a conversion drop in the
    main browser, seen in the merchant's orders): not in proportion, the rest moved less."""
    monkeypatch.setitem(MEASURES, (SLICE, "session@drift"), (-340.0, 1529.0))
    _, states, moves = moved([MERCHANT_DRIFT], {SLICE: slice_alert()})
    assert moves == [] and set(states) == {SLICE}


def test_a_conversion_drop_in_the_main_browser_stays_named_by_the_browser() -> None:
    """Seed 12's conversion drop (``--per-kind 4``): ``merchant=m|browser=Chrome`` raised on
    its conversion and orders, then the merchant's orders (-67%) took it over. In
    proportion in the orders, but Chrome carries all of the merchant's conversion drop with
    70% of its trials (figures of that kind): the alert keeps its name."""
    chrome = "merchant=m|browser=Chrome"
    merchant_orders = Finding(MERCHANT, "order_created", "down", 25, 75.5, 1e-6, 1.3e-5, "past", -50.5,
                              75.5, span="5m")  # fmt: skip
    alert = AlertState(chrome, OPEN, 2, 0, 1_000, ("conversion@10m:down", "order_created@5m:down"), "a1")
    measures = {
        (MERCHANT, "order_created@5m"): (-50.5, 75.5),
        (chrome, "order_created@5m"): (-39.0, 53.0),  # 77% of the drop, 70% of the volume
        (MERCHANT, "conversion@10m"): (-36.6, 85.1),
        (chrome, "conversion@10m"): (-50.4, 59.6),  # all of it (the other browsers rose)
    }
    candidates = group_findings([merchant_orders], CONFIG, sticky=[chrome])

    def measure(index: int) -> Callable[[str, str], float]:
        return lambda combo, series: measures.get((combo, series), (0.0, 0.0))[index]

    _, states, moves = move_open_alerts(candidates, {chrome: alert}, measure(0), measure(1), CONFIG)
    assert moves == [] and set(states) == {chrome}
    measures[(chrome, "conversion@10m")] = (-27.0, 59.6)  # 74% of it: the merchant's drop
    assert move_open_alerts(candidates, {chrome: alert}, measure(0), measure(1), CONFIG)[2] == [
        Move(chrome, MERCHANT)
    ]


def test_another_kind_of_change_or_an_unrelated_combo_does_not_move_the_alert() -> None:
    conversion = Finding(MERCHANT, "conversion", "down", 0.02, 0.1, 1e-9, 1e-9, "past", -8, 80)
    assert moved([conversion], {SLICE: slice_alert()})[2] == []  # a rate is not the slice's volume change
    assert moved([MERCHANT_DRIFT], {SLICE: slice_alert(("conversion@10m:down",))})[2] == []
    other = replace(MERCHANT_DRIFT, combo="merchant=n")
    assert moved([other], {SLICE: slice_alert()})[2] == []  # not an ancestor
    assert moved([MERCHANT_DRIFT], {SLICE: replace(slice_alert(), status=PENDING)})[2] == []  # not open
    off = DetectionConfig(own_root_concentration=0.0)
    assert moved([MERCHANT_DRIFT], {SLICE: slice_alert()}, off)[2] == []


def evaluation(findings: list[Finding]) -> Evaluation:
    """A sweep's evaluation of the two combos in the two drift series (every series tested)."""
    combos = [MERCHANT, SLICE]
    shape = (len(combos), len(SERIES))
    significant = np.array([[any(f.combo == c and f.series == s for f in findings) for s in SERIES]
                            for c in combos])  # fmt: skip
    cells = [[MEASURES[(c, s)] for s in SERIES] for c in combos]
    return Evaluation(
        findings, combos, np.ones(shape, bool), significant, ~significant, len(findings) * 2, SERIES,
        deviations=np.array([[d for d, _ in row] for row in cells]),
        volumes=np.array([[v for _, v in row] for row in cells]),
    )  # fmt: skip


def test_a_sweep_moves_the_open_slice_alert_instead_of_raising_the_merchant() -> None:
    """Two sweeps of the merchant's decline after the slice was raised: one alert, moved once."""
    states: dict[str, AlertState] = {SLICE: slice_alert()}
    kinds = []
    for now_ms in (60_000, 65_000):
        result = advance(evaluation([MERCHANT_DRIFT, SLICE_DRIFT]), states, now_ms, CONFIG)
        states = result.states
        kinds += [(t.kind, t.state.root, t.previous_root) for t in result.transitions]
    assert kinds == [(MOVE, MERCHANT, SLICE)]
    assert set(states) == {MERCHANT} and states[MERCHANT].alert_id == "a1"
    # Before the rule: the merchant was raised as a second alert of the same decline.
    states, kinds = {SLICE: slice_alert()}, []
    before = replace(CONFIG, move_open_alerts=False)
    for now_ms in (60_000, 65_000):
        result = advance(evaluation([MERCHANT_DRIFT, SLICE_DRIFT]), states, now_ms, before)
        states = result.states
        kinds += [(t.kind, t.state.root, t.previous_root) for t in result.transitions]
    assert kinds == [(RAISE, MERCHANT, None)]


def test_a_moved_alert_keeps_its_id_and_slack_is_told_it_is_now_the_merchant(
    redis_client: redis.Redis,
    slack,  # type: ignore[no-untyped-def]
) -> None:
    detector = Detector(redis_client, CONFIG)
    store = AlertStore(redis_client)
    notifier = SlackNotifier(redis_client, slack.url, "http://127.0.0.1:5000", sleep=lambda s: None)
    raised = AlertState(SLICE, OPEN, 2, 0, 1_000, ("impression@drift:down",))
    detector.act(Transition(RAISE, raised, Candidate(SLICE, [SLICE_DRIFT])), 55_000, 0, 1.0)
    assert notifier.deliver_next(timeout_s=1)["status"] == "delivered"  # type: ignore[index]
    alert_id = detector.states[SLICE].alert_id
    assert alert_id is not None

    merchant = Candidate(MERCHANT, [MERCHANT_DRIFT], [SLICE_DRIFT])
    state = replace(detector.states.pop(SLICE), root=MERCHANT)
    detector.act(Transition(MOVE, state, merchant, previous_root=SLICE), 60_000, 1, 1.0)
    (alert,) = store.recent()
    assert alert["id"] == alert_id and alert["root"] == MERCHANT and alert["status"] == "open"
    assert alert["title"] == "merchant m" and alert["raised_ms"] == 55_000
    assert [f["metric"] for f in alert["evidence"]] == ["session"]
    assert alert["moved_from"] == [{"root": SLICE, "title": "merchant m, payment method financing",
                                    "at_ms": 60_000}]  # fmt: skip
    assert alert["related"][0]["combo"] == SLICE  # the evidence it was raised with
    assert redis_client.hgetall("onsite:{mon}:alerts:open") == {MERCHANT.encode(): alert_id.encode()}

    assert notifier.deliver_next(timeout_s=1)["status"] == "delivered"  # type: ignore[index]
    raised_message, moved_message = slack.messages()
    assert "(merchant m, payment method financing)" in raised_message["text"]
    assert moved_message["text"].startswith("Widened: ") and "(merchant m)" in moved_message["text"]
    assert "Raised as merchant m, payment method financing" in str(moved_message["blocks"])
    assert alert_id in str(moved_message["blocks"])  # the same chart and dashboard link
    assert [d["event"] for d in store.get(alert_id)["deliveries"]] == ["raised", "moved"]  # type: ignore[index]
    detector.act(Transition(RESOLVE, state, None), 700_000, 11, 1.0)
    assert store.get(alert_id)["status"] == "resolved"  # type: ignore[index]
    assert redis_client.hgetall("onsite:{mon}:alerts:open") == {}
