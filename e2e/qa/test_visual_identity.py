"""Visual identity: every placement type and the interstitial look the same in every engine.

One test per engine x device x locale: the strip, the badge, the compact badge, the
interstitial open and with the second plan chosen, each against its own baseline and
against Chromium's (see visual_identity.py for the checks and their limits). No xfail:
an accepted engine difference is a reviewed entry in known_deviations.json.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from e2e.qa.browser_tab import BrowserTab
from e2e.qa.matrix import LOCALES, Device
from e2e.qa.report import Report
from e2e.qa.server import QaServer
from e2e.qa.shots import all_shots
from e2e.qa.visual_identity import Cell, check


@pytest.mark.sharp_frames
def test_placements_and_interstitial_render_identically(
    tab: BrowserTab,
    engine: str,
    device: Device,
    locale: str,
    qa_server: QaServer,
    qa_report: Report,
    qa_output: Path,
    update_baselines: bool,
    request: pytest.FixtureRequest,
) -> None:
    tab.goto(qa_server.page_url("placements", locale=locale, amount=str(LOCALES[locale].amount)))
    shots = all_shots(tab)

    for shot in shots:
        assert shot.facts["charset"] == "UTF-8" and shot.facts["frame"]["charset"] == "UTF-8", shot.facts
        assert shot.facts["dpr"] == device.scale_in(engine), shot.facts
    verdict = check(
        shots, Cell(engine, device.name, locale), qa_output, qa_report, request.node.nodeid, update_baselines
    )

    assert tab.page.evaluate("() => window.__qa.errors") == []
    assert tab.problems == []
    assert not verdict.baseline_failures, "\n".join(verdict.baseline_failures)
    assert not verdict.cross_engine_failures, "\n".join(verdict.cross_engine_failures)
