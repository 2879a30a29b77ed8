"""The same lines everywhere: every engine switches the badge's layout at the same width.

The container of a badge is narrowed pixel by pixel, from wide enough for one line to
narrow enough for the compact variant, and at each width the layout the shopper sees
(variant, and whether the call to action sits beside the message or below it) is read.
The widths at which it changes must be the same in every engine, to the pixel: the
frame decides from the font's metrics, not from the engine's line breaking
(widget/frame/createCompactSwitch.js). Chromium runs first and is the reference.
"""

from __future__ import annotations

import pytest

from e2e.qa.browser_tab import BrowserTab, wait_until
from e2e.qa.matrix import BEHAVIOUR_LOCALE, LOCALES, REFERENCE_ENGINE
from e2e.qa.server import QaServer
from e2e.qa.shots import VISIBLE_BADGE, wait_for_placement

WIDEST, NARROWEST = 410, 300  # en-GB badge: one line down to 400 px, compact below 315 px
SET_WIDTH = "(w) => { document.querySelector('.narrow').style.width = w + 'px'; return w; }"
LAYOUT = f"""(w) => {{
  const root = document.getElementById('onsite-root');
  if (root.getAttribute('data-layout-width') !== String(w)) return null;
  const badge = document.querySelector({VISIBLE_BADGE!r});
  return (root.hasAttribute('data-compact') ? 'compact' : 'full') + ':' + badge.getAttribute('data-lines');
}}"""
SWITCHES: dict[str, list[tuple[int, str]]] = {}
TOLERANCE_PX = 1


@pytest.mark.devices("desktop")
def test_every_engine_switches_layout_at_the_same_width(
    tab: BrowserTab, engine: str, qa_server: QaServer
) -> None:
    amount = str(LOCALES[BEHAVIOUR_LOCALE].amount)
    tab.goto(qa_server.page_url("placements", locale=BEHAVIOUR_LOCALE, amount=amount))
    frame = wait_for_placement(tab, "#compact")
    switches: list[tuple[int, str]] = []
    previous = None
    for width in range(WIDEST, NARROWEST - 1, -1):
        tab.page.evaluate(SET_WIDTH, width)
        layout = wait_until(frame, LAYOUT, width)
        if layout != previous:
            switches.append((width, layout))
            previous = layout
    SWITCHES[engine] = switches
    states = [state for _, state in switches]
    assert states == ["full:1", "full:2", "compact:1"], switches
    reference = SWITCHES.get(REFERENCE_ENGINE)
    if reference is None:
        pytest.skip(f"{REFERENCE_ENGINE} did not run first: nothing to compare {switches} with")
    for (want_width, want_state), (got_width, got_state) in zip(reference, switches, strict=True):
        assert got_state == want_state and abs(got_width - want_width) <= TOLERANCE_PX, (reference, switches)
