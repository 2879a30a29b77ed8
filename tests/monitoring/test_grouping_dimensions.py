"""Root-cause grouping over the all-traffic and the campaign combos (pure).

The all-traffic browser, device and channel combos give a problem of one browser across
merchants a node of its own; the campaign combos name the variant whose conversion
collapsed, even for a merchant whose every impression is of that one campaign.
"""

from __future__ import annotations

from bff.monitoring.detection.config import DetectionConfig
from bff.monitoring.detection.findings import Finding
from bff.monitoring.detection.grouping import group_findings

CONFIG = DetectionConfig()
CAMPAIGN = "merchant=m|campaign=spring"


def drop(combo: str, deviation: float, volume: float, metric: str = "message_conversion") -> Finding:
    return Finding(
        combo, metric, "down", volume + deviation, volume, 1e-9, 1e-9, "yesterday", deviation, volume
    )


def roots(findings: list[Finding]) -> list[str]:
    return sorted(c.root for c in group_findings(findings, CONFIG))


def test_a_widget_bug_in_one_browser_across_merchants_is_named_by_the_browser() -> None:
    findings = [drop("*", -300, 20000, "impression"), drop("browser=Firefox", -290, 3000, "impression")]
    for i in range(10):
        findings += [
            drop(f"merchant=m{i}|browser=Firefox", -29, 300, "impression"),
            drop(f"merchant=m{i}", -29, 2000, "impression"),
        ]
    (candidate,) = group_findings(findings, CONFIG)
    assert candidate.root == "browser=Firefox"
    assert len(candidate.related) == 21


def test_one_merchants_browser_is_named_by_the_merchant_x_browser_not_the_browser() -> None:
    findings = [
        drop("browser=Firefox", -88, 3000),
        drop("device=desktop", -86, 9000),
        drop("merchant=m", -90, 1000),
        drop("merchant=m|browser=Firefox", -88, 150),
        drop("merchant=m|device=desktop", -85, 500),
    ]
    (candidate,) = group_findings(findings, CONFIG)
    assert candidate.root == "merchant=m|browser=Firefox"
    assert len(candidate.related) == 4


def test_a_collapsing_variant_is_named_when_its_campaign_is_all_of_the_merchant() -> None:
    # every impression of merchant m is of the campaign (the campaign holds the merchant's
    # volume, so it cannot explain the merchant by itself): the variant B does, through it
    findings = [
        drop("merchant=m", -30, 400),
        drop(CAMPAIGN, -30, 400),
        drop(f"{CAMPAIGN}|variant=B", -29, 200),
        drop("merchant=m|country=US", -30, 400),
        drop("merchant=m|browser=Chrome", -21, 280),
    ]
    (candidate,) = group_findings(findings, CONFIG)
    assert candidate.root == f"{CAMPAIGN}|variant=B"
    assert len(candidate.related) == 4


def test_a_collapsing_variant_is_named_beside_the_merchants_other_campaigns() -> None:
    findings = [
        drop("*", -30, 5000),
        drop("merchant=m", -30, 1000),
        drop(CAMPAIGN, -30, 400),
        drop(f"{CAMPAIGN}|variant=B", -29, 200),
    ]
    assert roots(findings) == [f"{CAMPAIGN}|variant=B"]


def test_both_variants_down_is_the_campaign_and_a_merchant_wide_drop_is_the_merchant() -> None:
    campaign_wide = [
        drop("merchant=m", -30, 1000),
        drop(CAMPAIGN, -30, 400),
        drop(f"{CAMPAIGN}|variant=A", -15, 200),
        drop(f"{CAMPAIGN}|variant=B", -15, 200),
    ]
    assert roots(campaign_wide) == [CAMPAIGN]
    merchant_wide = [
        drop("merchant=m", -100, 1000),
        drop(CAMPAIGN, -40, 400),
        drop("merchant=m|campaign=autumn", -60, 600),
        drop(f"{CAMPAIGN}|variant=A", -20, 200),
        drop(f"{CAMPAIGN}|variant=B", -20, 200),
    ]
    assert roots(merchant_wide) == ["merchant=m"]


def test_a_twin_child_does_not_explain_without_a_concentrated_grandchild() -> None:
    # a merchant whose only campaign drops on both variants evenly: still the merchant
    findings = [
        drop("merchant=m", -30, 400),
        drop(CAMPAIGN, -30, 400),
        drop(f"{CAMPAIGN}|variant=A", -15, 200),
        drop(f"{CAMPAIGN}|variant=B", -15, 200),
    ]
    assert roots(findings) == ["merchant=m"]
