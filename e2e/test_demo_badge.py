"""The foundation, end to end: one script tag shows a live pay-later badge in Chromium."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import ConsoleMessage, Page, expect

from e2e.conftest import LiveServer

pytestmark = pytest.mark.e2e

RECORD_CSP_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', (e) => {
  window.__cspViolations.push(e.violatedDirective + ' ' + e.blockedURI);
});
"""
BADGE_TEXT = '[data-testid="onsite-badge-text"]'
CONTENT_HEIGHT = "Math.ceil(document.getElementById('onsite-root').getBoundingClientRect().height)"


@pytest.fixture
def watched_page(page: Page) -> tuple[Page, list[str]]:
    """A page whose console errors, page errors and CSP violations (all frames) are recorded."""
    problems: list[str] = []

    def on_console(message: ConsoleMessage) -> None:
        if message.type == "error":
            problems.append(f"console: {message.text}")

    page.on("console", on_console)
    page.on("pageerror", lambda error: problems.append(f"pageerror: {error}"))
    page.context.add_init_script(RECORD_CSP_VIOLATIONS)
    return page, problems


def csp_violations(page: Page) -> list[Any]:
    found: list[Any] = []
    for frame in page.frames:
        found.extend(frame.evaluate("window.__cspViolations || []"))
    return found


def badge_frame(page: Page) -> Any:
    handle = page.wait_for_selector("#badge iframe[data-onsite-frame]", state="attached")
    frame = handle.content_frame()
    assert frame is not None
    return handle, frame


def test_badge_shows_text_fits_its_frame_and_follows_the_price(
    watched_page: tuple[Page, list[str]], live_server: LiveServer
) -> None:
    page, problems = watched_page
    page.goto(live_server.demo_url)
    iframe, frame = badge_frame(page)
    assert frame.url.startswith(f"{live_server.public_origin}/frame/placement")

    expect(frame.locator(BADGE_TEXT)).to_have_text("Pay in 4 interest-free payments of £24.75")

    # The iframe is exactly as tall as the frame's content, with no scrollbar.
    expect(page.locator("#badge iframe")).to_have_attribute("data-onsite-state", "ready")
    page.wait_for_function("(el) => el.getBoundingClientRect().height > 0", arg=iframe, timeout=5000)
    content_height = frame.evaluate(CONTENT_HEIGHT)
    assert content_height > 0
    page.wait_for_function(
        "([el, h]) => Math.round(el.getBoundingClientRect().height) === h", arg=[iframe, content_height]
    )
    assert frame.evaluate("document.documentElement.scrollHeight <= document.documentElement.clientHeight")

    # A price change reaches the live frame (same iframe element: no rebuild, no flicker).
    page.evaluate("window.__badgeFrame = document.querySelector('#badge iframe')")
    page.get_by_label("Walnut").check()
    expect(page.get_by_test_id("price")).to_have_text("£249.00")
    expect(frame.locator(BADGE_TEXT)).to_have_text("Pay in 4 interest-free payments of £62.25")
    page.get_by_label("Ship to").select_option("sv-SE")
    expect(frame.locator(BADGE_TEXT)).to_have_text(
        re.compile(r"^Betala i 4 räntefria delbetalningar à 749,75\s+kr$")
    )
    assert page.evaluate("window.__badgeFrame === document.querySelector('#badge iframe')")

    assert problems == []
    assert csp_violations(page) == []


def test_amount_outside_every_range_shows_nothing(
    watched_page: tuple[Page, list[str]], live_server: LiveServer
) -> None:
    page, problems = watched_page
    page.goto(live_server.demo_url)
    iframe, frame = badge_frame(page)
    expect(frame.locator(BADGE_TEXT)).to_be_visible()
    page.get_by_label("Seat cushion only").check()
    page.wait_for_function("(el) => el.getBoundingClientRect().height === 0", arg=iframe)
    assert problems == []


def test_page_still_works_when_the_bff_is_down(
    watched_page: tuple[Page, list[str]], live_server: LiveServer
) -> None:
    page, problems = watched_page
    page.route(f"{live_server.public_origin}/**", lambda route: route.abort("connectionrefused"))
    page.goto(live_server.demo_url)
    page.get_by_label("Walnut").check()
    expect(page.get_by_test_id("price")).to_have_text("£249.00")
    page.get_by_role("button", name="Add to basket").click()
    expect(page.locator("#cart-status")).to_have_text("Added to your basket.")
    assert page.locator("#badge iframe").count() == 0
    assert [p for p in problems if not p.startswith("console: Failed to load resource")] == []
    assert not [p for p in problems if p.startswith("pageerror")]


def test_frames_unreachable_collapse_without_breaking_the_page(
    watched_page: tuple[Page, list[str]], live_server: LiveServer
) -> None:
    page, problems = watched_page
    page.route(f"{live_server.public_origin}/frame/**", lambda route: route.abort("connectionrefused"))
    page.goto(live_server.demo_url)
    iframe = page.locator("#badge iframe")
    expect(iframe).to_have_attribute("data-onsite-state", "failed", timeout=15000)
    assert iframe.evaluate("(el) => el.getBoundingClientRect().height") == 0
    page.get_by_label("Smoked oak").check()
    expect(page.get_by_test_id("price")).to_have_text("£129.00")
    assert not [p for p in problems if p.startswith("pageerror")]
