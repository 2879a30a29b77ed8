"""Accessibility in every engine: axe-core (npm) run inside each widget frame finds no
serious or critical violation, and the interstitial works from the keyboard alone."""

from __future__ import annotations

import time
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from e2e.qa.browser_tab import BrowserTab, Scope, wait_until
from e2e.qa.matrix import BEHAVIOUR_LOCALE, LOCALES
from e2e.qa.server import QaServer
from e2e.qa.shots import OVERLAY, PLACEMENTS, choose_second_plan, open_interstitial, wait_for_placement

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
BLOCKING_IMPACTS = ("serious", "critical")
AXE_RECHECK_S = 0.5
# The frame is checked as a document of its own; page-level rules about landmarks and
# headings are about the merchant's page, and are moderate anyway.
RUN_AXE = """() => axe.run(document, {resultTypes: ['violations'], iframes: false}).then((r) =>
  r.violations.map((v) => ({id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 3).map((n) => n.target.join(' '))})))"""
IN_DIALOG = "() => document.querySelector('[data-onsite-dialog]').contains(document.activeElement)"
FOCUSED_CTA = "() => document.hasFocus() && document.activeElement.matches('.onsite__cta')"
CHECKED_INDEX = (
    "() => [...document.querySelectorAll('[data-testid=onsite-option]')].findIndex((r) => r.checked)"
)


@cache
def axe_source() -> str:
    if not AXE.is_file():
        pytest.fail(f"{AXE} is missing: run npm ci (axe-core is a devDependency)")
    return AXE.read_text(encoding="utf-8")


def axe_violations(scope: Scope) -> list[dict[str, Any]]:
    """Serious and critical axe violations of the document in ``scope`` that persist.

    A violation counts when a second run, half a second later, finds it again: a shopper
    meets the settled page. WebKit once reported a colour contrast failure on the dialog's
    intro that no later run, and no other engine, reproduced (a frame not composited yet);
    such a transient finding is printed, not failed on.
    """
    if not scope.evaluate("() => typeof axe === 'object'"):
        scope.evaluate("() => {\n" + axe_source() + "\nreturn typeof axe;\n}")
    first = _blocking(scope.evaluate(RUN_AXE))
    if not first:
        return []
    time.sleep(AXE_RECHECK_S)
    first_ids = {v["id"] for v in first}
    persistent = [v for v in _blocking(scope.evaluate(RUN_AXE)) if v["id"] in first_ids]
    transient = sorted(first_ids - {v["id"] for v in persistent})
    if transient:
        print(f"{scope.description}: transient axe findings, gone on a second run: {transient}")
    return persistent


def _blocking(found: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [v for v in found if v["impact"] in BLOCKING_IMPACTS]


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
