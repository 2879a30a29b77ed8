"""Accessibility in every engine: axe-core (npm) run inside each widget frame finds no
serious or critical violation, and the interstitial works from the keyboard alone."""

from __future__ import annotations

from typing import Any

import pytest

from e2e.qa.axe import axe_violations
from e2e.qa.browser_tab import BrowserTab, wait_until
from e2e.qa.matrix import BEHAVIOUR_LOCALE, LOCALES
from e2e.qa.server import QaServer
from e2e.qa.shots import OVERLAY, PLACEMENTS, choose_second_plan, open_interstitial, wait_for_placement

IN_DIALOG = "() => document.querySelector('[data-onsite-dialog]').contains(document.activeElement)"
FOCUSED_CTA = "() => document.hasFocus() && document.activeElement.matches('.onsite__cta')"
CHECKED_INDEX = (
    "() => [...document.querySelectorAll('[data-testid=onsite-option]')].findIndex((r) => r.checked)"
)


def test_axe_finds_nothing_serious_in_placements_and_interstitial(
    tab: BrowserTab, qa_server: QaServer
) -> None:
    tab.goto(
        qa_server.page_url(
            "placements", locale=BEHAVIOUR_LOCALE, amount=str(LOCALES[BEHAVIOUR_LOCALE].amount)
        )
    )
    found: dict[str, list[dict[str, Any]]] = {}
    for name, selector in PLACEMENTS.items():
        found[name] = axe_violations(wait_for_placement(tab, selector))
    overlay = open_interstitial(tab)
    found["interstitial"] = axe_violations(overlay)
    choose_second_plan(tab, overlay)
    found["interstitial, second plan"] = axe_violations(overlay)
    assert {name: v for name, v in found.items() if v} == {}


@pytest.mark.devices("desktop")  # one device is enough to show the check itself works
def test_axe_reports_a_known_violation(tab: BrowserTab, qa_server: QaServer) -> None:
    """The check above can fail: faint text on a page of our own is a persistent finding."""
    tab.goto(qa_server.page_url("lowContrast"))
    wait_until(tab.page, "() => document.readyState === 'complete'")
    found = axe_violations(tab.page)
    assert [v["id"] for v in found] == ["color-contrast"]
    assert found[0]["nodes"] == ["p"]


@pytest.mark.devices("desktop")  # a keyboard flow: touch devices have no Tab key
def test_keyboard_only_open_change_plan_close(tab: BrowserTab, qa_server: QaServer) -> None:
    tab.goto(
        qa_server.page_url(
            "placements", locale=BEHAVIOUR_LOCALE, amount=str(LOCALES[BEHAVIOUR_LOCALE].amount)
        )
    )
    badge = wait_for_placement(tab, "#badge")
    for _ in range(12):
        tab.press("Tab")
        if badge.evaluate(FOCUSED_CTA):
            break
    else:
        raise AssertionError("Tab never reached the badge's call to action")

    tab.press("Enter")
    wait_until(
        tab.page,
        "(sel) => { const o = document.querySelector(sel); return !!o && o.style.visibility === 'visible'; }",
        OVERLAY,
    )
    overlay = tab.frame(OVERLAY)
    wait_until(overlay, "() => document.hasFocus()")
    if tab.engine == "webkit":
        # WebKit ignores element.focus() in a cross-origin frame the shopper has not yet
        # interacted with (the Enter went to the placement frame), so the dialog cannot
        # take the focus itself: the overlay's document has it, and the first Tab lands
        # in the dialog (the frame's trap catches a Tab from outside it).
        assert overlay.evaluate("() => document.activeElement === document.body")
        tab.press("Tab")
    wait_until(overlay, f"() => ({IN_DIALOG})()")

    # Tab to the plans (the trap keeps focus in the dialog), then the arrow key changes the plan.
    for _ in range(10):
        if overlay.evaluate("() => document.activeElement.matches('[data-testid=onsite-option]')"):
            break
        tab.press("Tab")
        assert overlay.evaluate(IN_DIALOG)
    else:
        raise AssertionError("Tab never reached the plans")
    first_total = overlay.evaluate("() => document.querySelector('[data-testid=onsite-total]').textContent")
    tab.press("ArrowDown")
    wait_until(overlay, f"() => ({CHECKED_INDEX})() === 1")
    wait_until(
        overlay,
        "(t) => document.querySelector('[data-testid=onsite-schedule]').children.length === 1",
        first_total,
    )

    tab.press("Escape")
    wait_until(tab.page, f"() => !document.querySelector('{OVERLAY}')")
    wait_until(tab.page, "() => document.activeElement && document.activeElement.matches('#badge iframe')")
    wait_until(badge, FOCUSED_CTA)
    assert tab.page.evaluate("() => window.__qa.errors") == []
