"""The shell's first paint: the badge shows before the frame app has run, and the app takes it over.

The loader asks for the first render in the shell's URL, the server renders it into the
shell, and the shell's inline boot script paints it and tells the loader its height
(docs/serving.md, "Script tag to badge"). These tests hold the frame bundle back
(``page.route``) to see the shell alone, then let it go.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, Route, expect

from e2e.conftest import FixturePages, LiveServer
from e2e.test_demo_badge import badge_frame

pytestmark = pytest.mark.e2e

FRAME_BUNDLE = re.compile(r"/static/frame-[0-9a-f]+\.js$")
BADGE_TEXT = "onsite-badge-text"
ROOT_HTML = "document.getElementById('onsite-root').outerHTML"


def hold_frame_bundle(page: Page) -> list[Route]:
    """Holds every request for the frame bundle until the test continues it."""
    held: list[Route] = []
    page.route(FRAME_BUNDLE, lambda route: held.append(route))
    return held


def release(page: Page, held: list[Route]) -> None:
    page.wait_for_function("() => true")  # lets the route handlers run
    assert held, "the frame bundle was not held back"
    for route in held:
        route.continue_()
    page.unroute(FRAME_BUNDLE)


RECORD_IMPRESSIONS = """
window.__impressions = [];
window.Onsite = window.Onsite || [];
window.Onsite.push(['on', 'impression', (detail) => window.__impressions.push(detail)]);
"""
# The frame's calls to /rpc (renders; events and consent go to /rpc/collect), from its own
# resource timing: the same in every engine.
FRAME_RENDER_CALLS = (
    "performance.getEntriesByType('resource').filter((e) => new URL(e.name).pathname === '/rpc').length"
)


def test_the_badge_paints_before_the_frame_app_and_the_app_takes_it_over(
    engine_page: tuple[Page, list[str]], live_server: LiveServer
) -> None:
    page, _ = engine_page
    page.add_init_script(RECORD_IMPRESSIONS)
    held = hold_frame_bundle(page)
    page.goto(live_server.demo_url, wait_until="domcontentloaded")  # "load" waits for the held bundle
    iframe, frame = badge_frame(page)

    # The shell alone: painted, sized by the loader, no render call, no handshake yet.
    expect(frame.get_by_test_id(BADGE_TEXT)).to_have_text("Pay in 4 interest-free payments of £24.75")
    page.wait_for_function("(el) => el.getBoundingClientRect().height > 0", arg=iframe)
    assert iframe.get_attribute("data-onsite-state") == "loading"
    assert frame.evaluate("document.getElementById('onsite-root').hasAttribute('data-onsite-painted')")
    assert frame.evaluate(FRAME_RENDER_CALLS) == 0
    # What Knockout must leave as it is (the app drops the boot's mark when it takes over).
    painted = frame.evaluate(ROOT_HTML).replace(' data-onsite-painted=""', "")
    # Held past the viewability second: the impression waits for the hello, it is not lost.
    page.wait_for_timeout(1500)
    # A click before the frame app runs is kept: the interstitial opens once it has.
    frame.get_by_test_id("onsite-cta").click()
    assert frame.evaluate("document.getElementById('onsite-root').hasAttribute('data-onsite-clicked')")
    expect(page.locator("iframe[data-onsite-interstitial]")).to_have_count(0)

    release(page, held)
    expect(page.locator("#badge iframe")).to_have_attribute("data-onsite-state", "ready")
    frame.wait_for_function("performance.getEntriesByName('onsite:frame-shown').length > 0")
    assert frame.evaluate(ROOT_HTML) == painted, "Knockout's bindings changed what the shell painted"
    assert frame.evaluate(FRAME_RENDER_CALLS) == 0, "the first render was fetched again"
    page.wait_for_function("() => window.__impressions.some((e) => e.placement_key === 'credit-badge')")
    expect(page.locator("iframe[data-onsite-interstitial]")).to_be_visible()


def test_a_changed_amount_waits_for_the_handshake(page: Page, fixture_pages: FixturePages) -> None:
    held = hold_frame_bundle(page)
    page.goto(fixture_pages.url("firstPaintChanged"), wait_until="domcontentloaded")
    iframe, frame = badge_frame(page)
    expect(frame.get_by_test_id(BADGE_TEXT)).to_contain_text("£24.75")  # painted: 9900
    page.wait_for_timeout(300)
    assert iframe.bounding_box()["height"] == 0, "the loader showed a render its page no longer asks for"

    release(page, held)
    expect(frame.get_by_test_id(BADGE_TEXT)).to_contain_text("£12.50")
    page.wait_for_function("(el) => el.getBoundingClientRect().height > 0", arg=iframe)


def test_a_signed_in_shopper_s_render_never_goes_into_the_url(
    page: Page, fixture_pages: FixturePages
) -> None:
    """With consent and a customer token the render is personal: no first render in the URL,
    the frame renders after the handshake as before."""
    fixture_pages.open("personalizedHostileProfile")
    iframe, frame = badge_frame(page)
    src = iframe.get_attribute("src") or ""
    assert "render=" not in src and "token" not in src.lower()
    expect(frame.get_by_test_id(BADGE_TEXT)).to_be_visible()
    assert not frame.evaluate("document.getElementById('onsite-root').hasAttribute('data-onsite-painted')")
