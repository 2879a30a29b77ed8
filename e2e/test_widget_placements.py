"""Placements in real pages: lazy frames, compact fallback, themes, SPAs, viewability, no layout shift."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Frame, Page, expect

from e2e.conftest import FixturePages, LiveServer

pytestmark = pytest.mark.e2e

BADGE_TEXT = "onsite-badge-text"
HEIGHT = "(s) => { const el = document.querySelector(s); return el ? el.getBoundingClientRect().height : -1 }"
WIDTH = "(s) => document.querySelector(s).getBoundingClientRect().width"


def frame_of(page: Page, selector: str) -> Frame:
    frame = page.wait_for_selector(f"{selector} iframe", state="attached").content_frame()
    assert frame is not None
    return frame


def wait_shown(page: Page, selector: str) -> Frame:
    """The frame of a placement once its message shows (text visible, iframe grown from 0 px)."""
    frame = frame_of(page, selector)
    expect(frame.get_by_test_id(BADGE_TEXT)).to_be_visible()
    page.wait_for_function(f"({HEIGHT})('{selector} iframe') > 0")
    return frame


def test_frames_far_below_the_fold_are_created_near_the_viewport(
    fixture_pages: FixturePages, page_problems: list[str]
) -> None:
    page = fixture_pages.open("lazyBelowFold")
    wait_shown(page, "#near")
    page.wait_for_timeout(500)
    assert page.locator("#far iframe").count() == 0
    page.evaluate("window.scrollTo(0, document.getElementById('far').offsetTop - window.innerHeight - 200)")
    expect(page.locator("#far iframe")).to_have_count(1)  # created within the 400px margin, before it shows
    page.locator("#far").scroll_into_view_if_needed()
    expect(frame_of(page, "#far").get_by_test_id(BADGE_TEXT)).to_have_text(
        "Pay in 4 interest-free payments of £32.25"
    )
    assert page_problems == []


def test_a_narrow_container_gets_the_compact_variant(
    fixture_pages: FixturePages, page_problems: list[str]
) -> None:
    page = fixture_pages.open("compactNarrowContainer")
    wide = wait_shown(page, "#wide")
    expect(wide.get_by_test_id("onsite-badge-compact")).to_be_hidden()

    narrow = frame_of(page, "#narrow")
    compact = narrow.get_by_test_id("onsite-badge-compact")
    expect(compact).to_be_visible()
    expect(narrow.get_by_test_id("onsite-badge-compact-text")).to_have_text("4 × £24.75, 0% interest")
    expect(narrow.get_by_test_id("onsite-badge")).to_be_hidden()
    # Nothing is clipped: the frame is exactly as tall as the compact badge, and as wide as its container.
    page.wait_for_function(f"({WIDTH})('#narrow iframe') === 200")
    height = narrow.evaluate(
        "Math.ceil(document.getElementById('onsite-root').getBoundingClientRect().height)"
    )
    page.wait_for_function(f"({HEIGHT})('#narrow iframe') === {height}")
    assert narrow.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
    # The call to action of the compact variant opens the interstitial too.
    narrow.locator("[data-onsite-compact] button").click()
    expect(page.locator("iframe[data-onsite-interstitial]")).to_be_visible(timeout=10000)

    # Widening the container brings the full message back.
    page.keyboard.press("Escape")
    page.evaluate("document.querySelector('#narrow').parentElement.style.width = '600px'")
    expect(narrow.get_by_test_id("onsite-badge")).to_be_visible()
    expect(compact).to_be_hidden()
    assert page_problems == []


def test_themes_default_dark_and_custom(fixture_pages: FixturePages, page_problems: list[str]) -> None:
    page = fixture_pages.open("themedPlacements")
    color = "getComputedStyle(document.querySelector('.onsite__cta')).color"
    background = "getComputedStyle(document.querySelector('[data-testid=onsite-badge]')).backgroundColor"
    default, dark, custom = (wait_shown(page, f"#{name}") for name in ("default", "dark", "custom"))
    expect(dark.locator("#onsite-root")).to_have_attribute("data-theme", "dark")
    assert default.evaluate(color) != dark.evaluate(color)
    assert custom.evaluate(color) == "rgb(200, 30, 60)"
    assert custom.evaluate(background) == "rgb(255, 251, 230)"
    assert (
        custom.evaluate(
            "getComputedStyle(document.querySelector('[data-testid=onsite-badge]')).borderTopLeftRadius"
        )
        == "4px"
    )
    # A url() is not a colour: the frame keeps its own text colour.
    assert custom.evaluate(
        "getComputedStyle(document.querySelector('.onsite__text')).color"
    ) == default.evaluate("getComputedStyle(document.querySelector('.onsite__text')).color")
    # Switching the theme attribute restyles the live frame.
    page.evaluate("document.getElementById('default').setAttribute('data-theme', 'dark')")
    expect(default.locator("#onsite-root")).to_have_attribute("data-theme", "dark")
    assert page_problems == []


SPA_ADD = """(id) => {
  const el = document.createElement('onsite-placement');
  el.id = id;
  el.setAttribute('data-key', 'credit-badge');
  el.setAttribute('data-purchase-amount', '9900');
  document.getElementById('app').appendChild(el);
}"""


def test_spa_placements_come_and_go_with_the_loader_included_twice(
    fixture_pages: FixturePages, page_problems: list[str]
) -> None:
    page = fixture_pages.open("spaPlacements")
    page.wait_for_function("window.Onsite && !Array.isArray(window.Onsite)")
    page.evaluate(SPA_ADD, "first")
    first = wait_shown(page, "#first")
    expect(first.get_by_test_id(BADGE_TEXT)).to_have_text("Pay in 4 interest-free payments of £24.75")
    assert page.locator("iframe[data-onsite-frame]").count() == 1  # two loader tags, one frame

    # A price change reaches the same frame.
    page.evaluate("window.__frame = document.querySelector('#first iframe')")
    page.evaluate("document.getElementById('first').setAttribute('data-purchase-amount', '24900')")
    expect(first.get_by_test_id(BADGE_TEXT)).to_have_text("Pay in 4 interest-free payments of £62.25")
    assert page.evaluate("window.__frame === document.querySelector('#first iframe')")

    # Removing the placement removes its frame; a new one mounts.
    page.evaluate("document.getElementById('first').remove()")
    expect(page.locator("iframe[data-onsite-frame]")).to_have_count(0)
    page.evaluate(SPA_ADD, "second")
    wait_shown(page, "#second")
    # Handlers queued with Onsite.push before the loader arrived receive events.
    page.wait_for_function("window.__events.some((e) => e.type === 'impression')", timeout=10000)
    event = page.evaluate("window.__events.find((e) => e.type === 'impression')")
    assert event["placement_key"] == "credit-badge" and event["purchase_amount"] in (9900, 24900)
    assert set(event) <= {
        "type",
        "placement_key",
        "purchase_amount",
        "currency",
        "locale",
        "campaign_id",
        "variant",
    }
    assert page_problems == []


def test_a_loader_added_late_still_mounts(fixture_pages: FixturePages, page_problems: list[str]) -> None:
    page = fixture_pages.open("lateLoader")
    expect(wait_shown(page, "#badge").get_by_test_id(BADGE_TEXT)).to_contain_text("£24.75")
    assert page_problems == []


def test_an_impression_needs_half_the_placement_visible_for_a_second(
    fixture_pages: FixturePages, page_problems: list[str]
) -> None:
    page = fixture_pages.page
    page.set_viewport_size({"width": 800, "height": 800})
    tracked: list[dict[str, Any]] = []
    paths: list[str] = []  # where they went: the collect endpoint (its own pool behind a proxy)

    def on_request(request: Any) -> None:
        body = request.post_data_json if "/rpc" in request.url and request.method == "POST" else None
        if isinstance(body, dict) and body.get("method") == "events.track":
            tracked.extend(body["params"]["events"])
            paths.append(urlsplit(request.url).path)

    page.on("request", on_request)
    fixture_pages.open("viewability")
    frame = frame_of(page, "#badge")  # 200px below the fold: within the lazy margin, so the frame renders
    expect(frame.get_by_test_id(BADGE_TEXT)).to_have_text(re.compile("£24.75"))
    page.wait_for_timeout(1500)
    assert page.evaluate("window.__impressions") == []

    # A quarter visible is not enough.
    page.evaluate("window.scrollTo(0, 200 + 10)")
    page.wait_for_timeout(1500)
    assert page.evaluate("window.__impressions") == []

    page.evaluate("window.scrollTo(0, 600)")
    visible_at = page.evaluate("performance.now()")
    page.wait_for_function("window.__impressions.length === 1", timeout=5000)
    impression = page.evaluate("window.__impressions[0]")
    # visible_at is read after the scroll returns, later than the observer saw it: allow for that lag.
    assert impression["at"] - visible_at >= 850
    assert impression["detail"]["placement_key"] == "credit-badge"
    page.wait_for_timeout(1500)
    assert page.evaluate("window.__impressions.length") == 1

    page.wait_for_function("() => true")  # let the batch (1 s) go out
    page.wait_for_timeout(1200)
    impressions = [e for e in tracked if e["type"] == "impression"]
    assert len(impressions) == 1
    assert paths and set(paths) == {"/rpc/collect"}
    event = impressions[0]
    assert set(event) >= {
        "id",
        "type",
        "client_id",
        "placement_key",
        "session_id",
        "ts",
        "page_url",
        "amount",
        "currency",
        "locale",
    }
    assert event["page_url"] == fixture_pages.url("viewability")
    assert (event["client_id"], event["amount"], event["currency"], event["locale"]) == (
        "demo",
        9900,
        "GBP",
        "en-GB",
    )
    assert any(e["type"] == "view" for e in tracked)
    assert page_problems == []


CLS_OBSERVER = """
window.__cls = 0;
window.__shifts = [];
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) {
    if (entry.hadRecentInput) continue;
    window.__cls += entry.value;
    // What moved, for a failure to explain itself: value, time, and each source's node and boxes.
    window.__shifts.push([entry.value, Math.round(entry.startTime), entry.sources.map((source) => [
      source.node && (source.node.id || source.node.tagName),
      source.previousRect.toJSON(),
      source.currentRect.toJSON(),
    ])]);
  }
}).observe({ type: 'layout-shift', buffered: true });
window.__frameHeights = [];
new MutationObserver((records) => records.forEach((record) => window.__frameHeights.push(
  [record.target.parentElement && record.target.parentElement.getAttribute('data-key'),
   record.target.getAttribute('height'), Math.round(performance.now())])))
  .observe(document, { subtree: true, attributes: true, attributeFilter: ['height'] });
"""


def test_no_layout_shift_on_the_demo_page(page: Page, live_server: LiveServer) -> None:
    page.set_viewport_size({"width": 1280, "height": 800})
    page.context.add_init_script(CLS_OBSERVER)
    page.goto(live_server.demo_url)
    wait_shown(page, "#badge")
    page.wait_for_timeout(1000)
    cls = page.evaluate("window.__cls")
    print(f"CLS on the demo page: {cls:.4f}")
    assert cls < 0.01, (
        f"shifts: {page.evaluate('window.__shifts')}; frame heights: {page.evaluate('window.__frameHeights')}"
    )
