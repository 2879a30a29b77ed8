"""The baseline check sees a one-pixel shift: a glyph run, or a whole badge with its border.

Each engine's own badge shot is taken as the visual suite takes it (desktop, en-GB) and
must match its baseline; then the call to action's text, and then the whole badge, are
moved by one device pixel (CSSOM transform inside the frame) and each shot must fail the
same comparison (``visual_identity.BASELINE_MAX_RATIO``, anti-aliased pixels counted).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from e2e.qa.browser_tab import BrowserTab
from e2e.qa.image_diff import pixel_diffs
from e2e.qa.matrix import LOCALES, Device
from e2e.qa.server import QaServer
from e2e.qa.shots import VISIBLE_BADGE, placement_shot
from e2e.qa.visual_identity import BASELINE_MAX_RATIO, BASELINES, Cell

SHIFT = """([selector, px]) => {
  const el = document.querySelector(selector);
  el.style.transform = px ? `translateX(${px}px)` : '';
  return getComputedStyle(el).transform;
}"""
CTA = ".onsite:not([data-compact]) [data-onsite-full] .onsite__cta"


@pytest.mark.sharp_frames
@pytest.mark.devices("desktop")
def test_one_pixel_shift_fails_the_baseline(
    tab: BrowserTab, engine: str, device: Device, qa_server: QaServer, qa_output: Path
) -> None:
    locale = "en-GB"
    cell = Cell(engine, device.name, locale)
    baseline = cell.folder(BASELINES) / "badge.png"
    if not baseline.is_file():
        pytest.fail(f"no baseline {baseline}: run bin/qa --update-baselines")
    tab.goto(qa_server.page_url("placements", locale=locale, amount=str(LOCALES[locale].amount)))
    work = cell.folder(qa_output / "sensitivity")
    work.mkdir(parents=True, exist_ok=True)
    one_device_px = 1 / device.scale_in(engine)
    frame = tab.frame("#badge iframe")
    ratios = {}
    for name, selector, px in (
        ("unshifted", CTA, 0.0),
        ("glyphs", CTA, one_device_px),
        ("border", VISIBLE_BADGE, one_device_px),
    ):
        if name != "unshifted":
            frame.evaluate(SHIFT, [CTA, 0])
            frame.evaluate(SHIFT, [selector, px])
        actual = work / f"{name}.png"
        actual.write_bytes(placement_shot(tab, "badge").png)
        (diff,) = pixel_diffs([(baseline, actual, work / f"{name}.diff.png")], include_aa=True)
        ratios[name] = diff.ratio
    assert ratios["unshifted"] <= BASELINE_MAX_RATIO, ratios
    assert ratios["glyphs"] > BASELINE_MAX_RATIO, ratios
    assert ratios["border"] > BASELINE_MAX_RATIO, ratios
