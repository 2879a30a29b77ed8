"""The interstitial: an accessible modal in a full-viewport overlay iframe, keyboard first."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Frame, Page, expect

from e2e.conftest import LiveServer

pytestmark = pytest.mark.e2e

OVERLAY = "iframe[data-onsite-interstitial]"
RECORD_CSP_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', (e) => {
  window.__cspViolations.push(e.violatedDirective + ' ' + e.blockedURI);
});
"""
SUBSCRIBE = """() => {
  window.__events = [];
  for (const type of ['impression', 'click', 'open', 'close']) {
    Onsite.on(type, (detail) => window.__events.push(detail));
  }
}"""
ACTIVE_IN_DIALOG = (
    "document.hasFocus() && document.querySelector('[data-onsite-dialog]').contains(document.activeElement)"
)


def frame_of(page: Page, selector: str) -> Frame:
    frame = page.wait_for_selector(selector, state="attached").content_frame()
    assert frame is not None
    return frame


def shown_badge(page: Page, selector: str = "#badge") -> Frame:
    """The frame of a placement once it shows its message (its iframe has grown from 0 px)."""
    frame = frame_of(page, f"{selector} iframe")
    expect(frame.get_by_test_id("onsite-badge-text")).to_be_visible()
    page.wait_for_function(
        "(s) => document.querySelector(s).getBoundingClientRect().height > 0", arg=f"{selector} iframe"
    )
    return frame


def tab_to_badge_cta(page: Page) -> Frame:
    """Press Tab until the badge frame's call to action has the focus (keyboard only)."""
    badge = shown_badge(page)
    for _ in range(15):
        page.keyboard.press("Tab")
        if badge.evaluate(
            "document.hasFocus() && document.activeElement.matches('[data-testid=onsite-cta]')"
        ):
            return badge
    raise AssertionError("Tab never reached the badge's call to action")


def open_overlay(page: Page) -> Frame:
    expect(page.locator(OVERLAY)).to_be_visible(timeout=10000)
    overlay = frame_of(page, OVERLAY)
    expect(overlay.get_by_test_id("onsite-dialog")).to_be_visible(timeout=10000)
    return overlay


def test_keyboard_only_open_choose_trap_and_close(
    page: Page, live_server: LiveServer, page_problems: list[str]
) -> None:
    page.context.add_init_script(RECORD_CSP_VIOLATIONS)
    page.goto(live_server.demo_url)  # the demo sends a strict merchant CSP
    badge = tab_to_badge_cta(page)
    page.evaluate(SUBSCRIBE)
    page.keyboard.press("Enter")

    overlay = open_overlay(page)
    dialog = overlay.get_by_test_id("onsite-dialog")
    expect(dialog).to_have_attribute("role", "dialog")
    expect(dialog).to_have_attribute("aria-modal", "true")
    assert (
        overlay.evaluate(
            "document.getElementById(document.querySelector('[role=dialog]').getAttribute('aria-labelledby')).textContent"
        )
        == "Pay your way"
    )
    page.wait_for_function(
        "document.activeElement && document.activeElement.matches('iframe[data-onsite-interstitial]')"
    )
    overlay.wait_for_function(ACTIVE_IN_DIALOG)
    assert page.evaluate("getComputedStyle(document.documentElement).overflow") == "hidden"

    # Tab and Shift+Tab never leave the dialog.
    for key in ["Tab"] * 6 + ["Shift+Tab"] * 6:
        page.keyboard.press(key)
        assert overlay.evaluate(ACTIVE_IN_DIALOG), key
        assert page.evaluate("document.activeElement.matches('iframe[data-onsite-interstitial]')"), key

    # The radio group by keyboard: the schedule, totals and APR follow the choice.
    schedule = overlay.get_by_test_id("onsite-schedule")
    expect(schedule.locator("li")).to_have_count(4)
    overlay.locator("[data-testid=onsite-option]:checked").focus()
    page.keyboard.press("ArrowDown")
    expect(overlay.locator("[data-testid=onsite-option]").nth(1)).to_be_checked()
    expect(schedule.locator("li")).to_have_count(1)
    expect(schedule).to_contain_text("£99.00")
    page.keyboard.press("ArrowUp")
    expect(schedule.locator("li")).to_have_count(4)

    page.keyboard.press("Escape")
    expect(page.locator(OVERLAY)).to_have_count(0)
    page.wait_for_function("document.activeElement && document.activeElement.matches('#badge iframe')")
    badge.wait_for_function("document.activeElement.matches('[data-testid=onsite-cta]')")
    assert page.evaluate("getComputedStyle(document.documentElement).overflow") != "hidden"
    types = [e["type"] for e in page.evaluate("window.__events")]
    assert "open" in types and "close" in types and "click" in types

    # And again, straight away: the interstitial opens every time.
    page.keyboard.press("Enter")
    open_overlay(page)
    page.keyboard.press("Escape")
    expect(page.locator(OVERLAY)).to_have_count(0)

    assert page_problems == []
    page.wait_for_timeout(300)  # let the closed overlay's frame detach
    for frame in page.frames:
        if not frame.is_detached():
            assert frame.evaluate("window.__cspViolations || []") == [], frame.url


def test_backdrop_click_and_close_button_close_it(
    page: Page, live_server: LiveServer, page_problems: list[str]
) -> None:
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(live_server.demo_url)
    badge = shown_badge(page)
    badge.get_by_test_id("onsite-cta").click()
    open_overlay(page)
    page.mouse.click(20, 780)  # the backdrop, far from the centred dialog
    expect(page.locator(OVERLAY)).to_have_count(0)

    badge.get_by_test_id("onsite-cta").click()
    overlay = open_overlay(page)
    overlay.get_by_test_id("onsite-close").click()
    expect(page.locator(OVERLAY)).to_have_count(0)
    assert page_problems == []


def test_bottom_sheet_on_narrow_viewports_and_reduced_motion(page: Page, live_server: LiveServer) -> None:
    page.set_viewport_size({"width": 390, "height": 800})
    page.emulate_media(reduced_motion="reduce")
    page.goto(live_server.demo_url)
    shown_badge(page).get_by_test_id("onsite-cta").click()
    overlay = open_overlay(page)
    box: Any = overlay.get_by_test_id("onsite-dialog").bounding_box()
    assert box["x"] == 0 and box["width"] == 390
    assert abs(box["y"] + box["height"] - 800) <= 1
    assert (
        overlay.evaluate("getComputedStyle(document.querySelector('[data-onsite-dialog]')).animationName")
        == "none"
    )

    page.emulate_media(reduced_motion="no-preference")
    page.set_viewport_size({"width": 1280, "height": 800})
    box = overlay.get_by_test_id("onsite-dialog").bounding_box()
    assert box["width"] <= 480 and box["y"] > 0
    assert (
        overlay.evaluate("getComputedStyle(document.querySelector('[data-onsite-dialog]')).animationName")
        != "none"
    )
