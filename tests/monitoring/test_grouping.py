"""Root-cause grouping (pure): one alert per incident, named by the most specific explanation."""

from __future__ import annotations

from dataclasses import replace

from bff.monitoring.detection.config import DetectionConfig
from bff.monitoring.detection.findings import Finding
from bff.monitoring.detection.grouping import group_findings
from bff.monitoring.detection.hysteresis import OPEN, PENDING, AlertState
from bff.monitoring.detection.open_roots import absorb_into_open_roots

CONFIG = DetectionConfig()


def drop(combo: str, deviation: float, volume: float, metric: str = "session", p: float = 1e-9) -> Finding:
    return Finding(combo, metric, "down", volume + deviation, volume, p, p, "yesterday", deviation, volume)


def test_a_merchant_wide_outage_is_one_alert_on_the_merchant() -> None:
    findings = [
        drop("*", -1000, 10000),
        drop("merchant=m", -1000, 1000),
        drop("country=SE", -600, 3000),
        drop("merchant=m|country=SE", -600, 600),
        drop("merchant=m|country=DE", -400, 400),
        drop("merchant=m|browser=Chrome", -600, 600),
        drop("merchant=m|browser=Safari", -300, 300),
        drop("merchant=m|device=desktop", -700, 700),
        drop("merchant=m|device=mobile", -300, 300),
    ]
    (candidate,) = group_findings(findings, CONFIG)
    assert candidate.root == "merchant=m"
    assert {f.combo for f in candidate.related} == {f.combo for f in findings} - {"merchant=m"}


def test_a_drop_in_one_browser_is_named_by_the_browser_not_the_device_it_runs_on() -> None:
    findings = [
        drop("merchant=m", -90, 1000, "conversion"),
        drop("merchant=m|browser=Firefox", -88, 150, "conversion"),
        drop("merchant=m|device=desktop", -85, 500, "conversion"),
    ]
    (candidate,) = group_findings(findings, CONFIG)
    assert candidate.root == "merchant=m|browser=Firefox"
    assert sorted(f.combo for f in candidate.related) == ["merchant=m", "merchant=m|device=desktop"]


def test_a_country_wide_problem_across_merchants_is_named_by_the_country() -> None:
    findings = [
        drop("*", -500, 20000, "authorization_success_rate"),
        drop("country=DE", -480, 4000, "authorization_success_rate"),
    ]
    findings += [drop(f"merchant=m{i}|country=DE", -48, 400, "authorization_success_rate") for i in range(10)]
    findings += [drop(f"merchant=m{i}", -48, 2000, "authorization_success_rate") for i in range(10)]
    (candidate,) = group_findings(findings, CONFIG)
    assert candidate.root == "country=DE"
    assert len(candidate.related) == 21


def test_two_unrelated_incidents_stay_two_alerts() -> None:
    findings = [drop("*", -900, 20000), drop("merchant=a", -500, 1000), drop("merchant=b", -400, 900)]
    roots = sorted(c.root for c in group_findings(findings, CONFIG))
    assert roots == ["merchant=a", "merchant=b"]


def test_a_spread_drop_is_not_explained_by_its_biggest_children() -> None:
    findings = [
        drop("merchant=m", -100, 1000),
        drop("merchant=m|browser=Chrome", -60, 600),
        drop("merchant=m|browser=Safari", -30, 300),
    ]
    assert [c.root for c in group_findings(findings, CONFIG)] == ["merchant=m"]


def test_metrics_with_the_same_root_merge_and_sticky_roots_keep_their_name() -> None:
    findings = [
        drop("merchant=m", -100, 1000, "session"),
        drop("merchant=m", -50, 500, "impression"),
        drop("merchant=m|browser=Firefox", -95, 150, "session"),
    ]
    plain = {c.root: sorted(f.metric for f in c.evidence) for c in group_findings(findings, CONFIG)}
    assert plain == {"merchant=m|browser=Firefox": ["session"], "merchant=m": ["impression"]}
    sticky = {c.root: c for c in group_findings(findings, CONFIG, sticky=["merchant=m"])}
    assert sorted(f.metric for f in sticky["merchant=m"].evidence) == ["impression", "session"]


def test_opposite_directions_are_grouped_separately() -> None:
    findings = [
        drop("merchant=m", -100, 1000),
        Finding("merchant=n", "session", "up", 200, 100, 1e-9, 1e-9, "yesterday", 100, 100),
    ]
    assert sorted(c.root for c in group_findings(findings, CONFIG)) == ["merchant=m", "merchant=n"]


def rate_drop(
    combo: str, deviation: float, trials: float, rate: float, expected: float, volume: float
) -> Finding:
    """A rate finding: ``trials`` this sweep at ``rate`` where ``expected`` was the baseline rate."""
    return Finding(combo, "authorization_success_rate", "down", rate, expected, 1e-9, 1e-9, "yesterday",
                   deviation, volume, trials=trials)  # fmt: skip


def test_a_parent_is_explained_when_what_remains_outside_the_child_is_noise() -> None:
    # the global rate dips by 46 successes; one country carries 37 and the noise of the other
    # countries the rest: 79% < explain_share, but the remainder is 1.6 standard errors
    findings = [
        rate_drop("*", -46.4, 826, 0.897, 0.953, 1141),
        rate_drop("country=SE", -36.7, 102, 0.598, 0.958, 134),
    ]
    assert [c.root for c in group_findings(findings, CONFIG)] == ["country=SE"]
    no_noise_rule = DetectionConfig(explain_z=0.0)
    assert [c.root for c in group_findings(findings, no_noise_rule)] == ["*"]  # SE related under it


def state(root: str, metrics: tuple[str, ...], status: str = OPEN, first_seen_ms: int = 0) -> AlertState:
    return AlertState(root, status, 2, 0, first_seen_ms, metrics)


def test_a_merchant_combo_carried_by_an_open_country_alert_is_attached_to_it() -> None:
    finding = Finding("merchant=m|device=desktop", "authorization_success_rate", "down", 0.6, 0.95,
                      1e-7, 1e-7, "same 10 min yesterday", -20, 10, span="10m")  # fmt: skip
    states = {"country=SE": state("country=SE", ("authorization_success_rate:down",))}
    candidates = group_findings([finding], CONFIG)
    deviations = {"merchant=m": -40.0, "merchant=m|country=SE": -38.0}
    kept = absorb_into_open_roots(candidates, states, lambda c, s: deviations.get(c, 0.0), CONFIG)
    assert kept == []
    deviations["merchant=m|country=SE"] = -12.0  # most of the merchant's drop is elsewhere
    kept = absorb_into_open_roots(candidates, states, lambda c, s: deviations.get(c, 0.0), CONFIG)
    assert [c.root for c in kept] == ["merchant=m|device=desktop"]
    other_metric = {"country=SE": state("country=SE", ("session:down",))}
    kept = absorb_into_open_roots(candidates, other_metric, lambda c, s: -1.0, CONFIG)
    assert [c.root for c in kept] == ["merchant=m|device=desktop"]


def test_a_country_carried_by_an_open_merchant_alert_and_a_child_of_it_are_attached() -> None:
    findings = [
        Finding(
            "country=DE", "authorization_failure", "up", 30, 2, 1e-9, 1e-9, "yesterday", 28, 2, span="10s"
        ),
        Finding(
            "merchant=m|browser=Chrome", "authorization_failure", "up", 20, 1, 1e-9, 1e-9, "yesterday", 19, 1
        ),
    ]
    states = {"merchant=m": state("merchant=m", ("authorization_failure@10s:up", "authorization_failure:up"))}
    deviations = {"country=DE": 28.0, "merchant=m|country=DE": 26.0, "merchant=m|browser=Chrome": 19.0}
    kept = absorb_into_open_roots(
        group_findings(findings, CONFIG), states, lambda c, s: deviations.get(c, 0.0), CONFIG
    )
    assert kept == []


def test_an_open_alert_is_never_attached_and_of_two_roots_carrying_each_other_the_older_owns() -> None:
    findings = [
        Finding("country=DE", "session", "down", 0, 50, 1e-9, 1e-9, "yesterday", -50, 50),
        Finding("merchant=m", "session", "down", 0, 50, 1e-9, 1e-9, "yesterday", -50, 50),
    ]
    candidates = group_findings(findings, CONFIG)
    everything = lambda c, s: -50.0  # noqa: E731 - m is all of DE and DE all of m
    both_open = {"country=DE": state("country=DE", ("session:down",)),
                 "merchant=m": state("merchant=m", ("session:down",))}  # fmt: skip
    assert len(absorb_into_open_roots(candidates, both_open, everything, CONFIG)) == 2
    pending = {"country=DE": state("country=DE", ("session:down",), PENDING, first_seen_ms=5),
               "merchant=m": state("merchant=m", ("session:down",), PENDING, first_seen_ms=9)}  # fmt: skip
    kept = absorb_into_open_roots(candidates, pending, everything, CONFIG)
    assert [c.root for c in kept] == ["country=DE"]
    pending["merchant=m"] = state("merchant=m", ("session:down",), PENDING, first_seen_ms=1)
    kept = absorb_into_open_roots(group_findings(findings, CONFIG), pending, everything, CONFIG)
    assert [c.root for c in kept] == ["merchant=m"]


def test_the_global_rate_carried_jointly_by_two_merchants_failing_at_once_is_attached() -> None:
    finding = Finding("*", "authorization_success_rate", "down", 0.9, 0.95, 1e-9, 1e-9, "yesterday", -60, 900)
    states = {
        "merchant=a": state("merchant=a", ("authorization_success_rate:down",)),
        "merchant=b": state("merchant=b", ("authorization_success_rate:down",), PENDING),
    }
    deviations = {"*": -60.0, "merchant=a": -31.0, "merchant=b": -25.0}  # 52% + 42%
    kept = absorb_into_open_roots(
        group_findings([finding], CONFIG), states, lambda c, s: deviations[c], CONFIG
    )
    assert kept == []
    deviations["merchant=b"] = -10.0  # 52% + 17%: something else moved it too
    kept = absorb_into_open_roots(
        group_findings([finding], CONFIG), states, lambda c, s: deviations[c], CONFIG
    )
    assert [c.root for c in kept] == ["*"]


def test_a_new_merchant_spike_inside_an_open_all_traffic_alert_is_its_own_alert() -> None:
    """The latency bench's tail (docs/monitoring.md): a merchant's failures start while ``*``
    is open; its change is concentrated in it (1/12 of the volume, most of the deviation),
    so it is raised, while a slice that moves in proportion to its volume stays attached."""
    spike = Finding("merchant=m", "authorization_failure", "up", 60, 2, 1e-9, 1e-9, "yesterday", 58, 100)
    states = {"*": state("*", ("authorization_failure:up",))}
    deviations = {"*": 70.0, "merchant=m": 58.0}
    volumes = {"*": 1200.0, "merchant=m": 100.0}
    kept = absorb_into_open_roots(
        group_findings([spike], CONFIG), states, lambda c, s: deviations[c], CONFIG, lambda c, s: volumes[c]
    )
    assert [c.root for c in kept] == ["merchant=m"]
    # Without volumes (or with a change in proportion to the volume) it is attached as before.
    assert (
        absorb_into_open_roots(group_findings([spike], CONFIG), states, lambda c, s: deviations[c], CONFIG)
        == []
    )
    volumes["merchant=m"] = 900.0  # 75% of the volume, 83% of the deviation: the same incident
    kept = absorb_into_open_roots(
        group_findings([spike], CONFIG), states, lambda c, s: deviations[c], CONFIG, lambda c, s: volumes[c]
    )
    assert kept == []


def test_a_slice_of_a_declining_merchant_falling_in_another_counter_is_attached() -> None:
    """The simulator's slow decline raised 2.5 alerts per incident: the merchant's
    impressions, then its Chrome authorizations and its financing orders. One volume
    change: counts inside the open root moving its way are attached, other kinds are not."""
    states = {"merchant=m": state("merchant=m", ("impression@drift:down",))}
    chrome = Finding("merchant=m|browser=Chrome", "authorization", "down", 67, 134, 1e-6, 1e-4,
                     "yesterday", -67, 134, span="drift")  # fmt: skip
    deviations = {"merchant=m": -110.0, "merchant=m|browser=Chrome": -67.0}
    volumes = {"merchant=m": 220.0, "merchant=m|browser=Chrome": 134.0}  # 61% of it, 61% of the fall

    def absorbed(finding: Finding) -> list[str]:
        kept = absorb_into_open_roots(
            group_findings([finding], CONFIG), states, lambda c, s: deviations.get(c, 0.0), CONFIG,
            lambda c, s: volumes.get(c, 0.0),
        )  # fmt: skip
        return [c.root for c in kept]

    assert absorbed(chrome) == []
    deviations["merchant=m"] = 4.0  # the merchant's authorizations are not falling: another incident
    assert absorbed(chrome) == ["merchant=m|browser=Chrome"]
    deviations["merchant=m"] = -110.0
    rate = Finding(
        "merchant=m|browser=Chrome", "conversion", "down", 0.02, 0.1, 1e-6, 1e-4, "yesterday", -8, 80
    )
    assert absorbed(rate) == ["merchant=m|browser=Chrome"]  # a rate is not a volume change
    rise = Finding(
        "merchant=m|browser=Chrome", "authorization_failure", "up", 30, 2, 1e-9, 1e-9, "yesterday", 28, 2
    )
    assert absorbed(rise) == ["merchant=m|browser=Chrome"]  # the other direction


def test_slices_of_a_declining_merchant_in_other_counters_join_it_in_the_same_sweep() -> None:
    """Seed 12's slow decline raised the merchant (sessions, drift) and two of its slices
    (impressions, drift) in one sweep: one volume change, one alert; a slice falling far
    more than its merchant is its own incident."""
    merchant = Finding(
        "merchant=m", "session", "down", 2110, 2548, 1e-8, 1e-4, "past", -438, 2548, span="drift"
    )
    chrome = Finding("merchant=m|browser=Chrome", "impression", "down", 3684, 4370, 1e-9, 1e-4, "past",
                     -686, 4370, span="drift")  # fmt: skip
    card = Finding("merchant=m|payment_method=pay_in_4", "impression", "down", 2795, 3317, 1e-8, 1e-4, "past",
                   -522, 3317, span="drift")  # fmt: skip
    candidates = group_findings([merchant, chrome, card], CONFIG)
    assert [c.root for c in candidates] == ["merchant=m"]
    assert {f.combo for f in candidates[0].related} == {chrome.combo, card.combo}
    collapsed = replace(chrome, observed=400.0, deviation=-3970.0)  # -91% against the merchant's -17%
    roots = {c.root for c in group_findings([merchant, collapsed, card], CONFIG)}
    assert roots == {"merchant=m", "merchant=m|browser=Chrome"}
    conversion = Finding(
        "merchant=m|browser=Chrome", "conversion", "down", 0.02, 0.1, 1e-9, 1e-9, "past", -8, 80
    )
    roots = {c.root for c in group_findings([merchant, conversion], CONFIG)}
    assert roots == {"merchant=m", "merchant=m|browser=Chrome"}  # a rate is not a volume change
    sticky = group_findings([merchant, chrome], CONFIG, sticky=[chrome.combo])  # an open alert keeps its name
    assert {c.root for c in sticky} == {"merchant=m", "merchant=m|browser=Chrome"}


def test_a_slice_beside_an_open_slice_carrying_its_merchants_drop_is_attached() -> None:
    """Seed 11's conversion drop on the simulator: ``merchant=m|browser=Chrome`` raised, then
    ``merchant=m|country=SE`` (mostly Chrome visits) 3.5 minutes later: their intersection
    is not counted, so the merchant judges: Chrome carries 93% of its drop, and the country
    falls no more steeply than Chrome (as the simulator's: -80% against -70%, 1.3 times
    Chrome's deviation per trial). A country falling twice as steeply is its own."""
    states = {"merchant=m|browser=Chrome": state("merchant=m|browser=Chrome", ("conversion@10m:down",))}
    country = Finding("merchant=m|country=SE", "conversion", "down", 0.026, 0.126, 1e-5, 9e-4, "yesterday",
                      -12, 400, span="10m")  # fmt: skip
    deviations = {"merchant=m": -30.0, "merchant=m|browser=Chrome": -28.0, "merchant=m|country=SE": -12.0}
    volumes = {"merchant=m": 1000.0, "merchant=m|browser=Chrome": 600.0, "merchant=m|country=SE": 400.0}

    def kept(with_volumes: bool = True) -> list[str]:
        candidates = group_findings([country], CONFIG)
        measure = (lambda c, s: volumes.get(c, 0.0)) if with_volumes else None
        left = absorb_into_open_roots(
            candidates, states, lambda c, s: deviations.get(c, 0.0), CONFIG, measure
        )
        return [c.root for c in left]

    assert kept() == []
    assert kept(with_volumes=False) == ["merchant=m|country=SE"]  # it cannot be judged
    volumes["merchant=m|country=SE"] = 120.0  # 3.6 times as steep as Chrome: its own
    assert kept() == ["merchant=m|country=SE"]
    volumes["merchant=m|country=SE"] = 400.0
    deviations |= {"merchant=m|country=SE": -12.0, "merchant=m|browser=Chrome": -15.0}  # half of it
    assert kept() == ["merchant=m|country=SE"]
    other = {"merchant=m|browser=Chrome": state("merchant=m|browser=Chrome", ("session:down",))}
    states = other  # another kind of change
    deviations["merchant=m|browser=Chrome"] = -28.0
    assert kept() == ["merchant=m|country=SE"]


def test_a_slice_beside_a_declining_slice_is_the_same_merchant_decline_and_one_of_two_is_kept() -> None:
    """Slow declines raised two slices of a merchant in one sweep (``device=desktop`` and
    ``payment_method=financing``), or one a minute after the other: the merchant's volume
    change seen in two slices. The second is attached to the first; of two pending since
    the same sweep, exactly one stays (they carry each other)."""
    desktop, financing = "merchant=m|device=desktop", "merchant=m|payment_method=financing"
    deviations = {"merchant=m": -1000.0, desktop: -600.0, financing: -260.0}
    volumes = {"merchant=m": 6000.0, desktop: 3600.0, financing: 1500.0}
    findings = [
        Finding(desktop, "impression", "down", 3000, 3600, 1e-5, 1e-4, "past", -600, 3600, span="drift"),
        Finding(financing, "impression", "down", 1240, 1500, 1e-5, 2e-4, "past", -260, 1500, span="drift"),
    ]

    def kept(states: dict[str, AlertState], findings: list[Finding]) -> list[str]:
        candidates = group_findings(
            findings, CONFIG, sticky=[r for r, s in states.items() if s.status == OPEN]
        )
        left = absorb_into_open_roots(candidates, states, lambda c, s: deviations[c], CONFIG,
                                      lambda c, s: volumes[c])  # fmt: skip
        return [c.root for c in left]

    assert kept({desktop: state(desktop, ("impression@drift:down",))}, findings) == [desktop]
    both = {r: state(r, ("impression@drift:down",), PENDING, first_seen_ms=5) for r in (desktop, financing)}
    assert kept(both, findings) == [desktop]
    deviations["merchant=m"] = 30.0  # the merchant is not declining: two incidents
    assert kept(both, findings) == [desktop, financing]
    deviations |= {"merchant=m": -1000.0, financing: -900.0}  # 90% of its decline with 25% of the volume
    assert kept({desktop: state(desktop, ("impression@drift:down",))}, findings[1:]) == [financing]
