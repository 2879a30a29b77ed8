"""Root-cause grouping (pure): one alert per incident, named by the most specific explanation."""

from __future__ import annotations

from bff.monitoring.evaluation import DetectionConfig, Finding
from bff.monitoring.grouping import group_findings

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
