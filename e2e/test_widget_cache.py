"""The frame's render cache: unchanged params and back/forward navigation make no render call."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import Frame, Page, expect

from e2e.conftest import LiveServer

pytestmark = pytest.mark.e2e

BADGE_TEXT = "onsite-badge-text"


def count_renders(page: Page) -> list[str]:
    """placements.render calls, as their placement keys (events.track notifications are not renders)."""
    renders: list[str] = []

    def on_request(request: Any) -> None:
        if request.url.endswith("/rpc") and request.method == "POST":
            body = request.post_data_json
            if isinstance(body, dict) and body.get("method") == "placements.render":
                renders.append(body["params"]["placement_key"])

    page.on("request", on_request)
    return renders


def count_shell_renders(page: Page) -> list[str]:
    """First renders the frame shells were asked for (``render=`` in their URL), as placement keys."""
    keys: list[str] = []

    def on_request(request: Any) -> None:
        query = parse_qs(urlsplit(request.url).query)
        if "/frame/placement" in request.url and "render" in query:
            keys.append(json.loads(query["render"][0])["placement_key"])

    page.on("request", on_request)
    return keys


def shown(page: Page, selector: str) -> Frame:
    frame = page.wait_for_selector(f"{selector} iframe", state="attached").content_frame()
    assert frame is not None
    expect(frame.get_by_test_id(BADGE_TEXT)).to_be_visible()
    return frame


def test_unchanged_params_are_served_from_the_cache(page: Page, live_server: LiveServer) -> None:
    """Even where the frame has no storage at all (this Chromium's default), re-renders are cached."""
    renders = count_renders(page)
    shells = count_shell_renders(page)
    page.goto(live_server.demo_url)
    badge = shown(page, "#badge")
    page.wait_for_timeout(300)
    # The first renders come with the frame shells, and are cached like any answer.
    assert sorted(shells) == ["credit-badge", "top-strip"]
    assert renders == []

    page.evaluate("() => { Onsite.refresh(); Onsite.push(['refresh']); }")
    page.evaluate(
        """() => document.querySelectorAll('onsite-placement')
          .forEach((el) => el.setAttribute('data-purchase-amount', '9900'))"""
    )
    page.wait_for_timeout(800)
    assert renders == []

    page.get_by_label("Walnut").check()
    expect(badge.get_by_test_id(BADGE_TEXT)).to_contain_text("£62.25")
    assert sorted(renders) == ["credit-badge", "top-strip"]
    renders.clear()
    page.get_by_label("Natural oak").check()
    expect(badge.get_by_test_id(BADGE_TEXT)).to_contain_text("£24.75")
    page.wait_for_timeout(300)
    assert renders == []


def test_back_and_forward_make_no_render_call(partitioned_page: Page, live_server: LiveServer) -> None:
    page = partitioned_page
    renders = count_renders(page)
    shells = count_shell_renders(page)
    page.goto(live_server.demo_url)
    shown(page, "#badge")
    page.goto(f"{live_server.demo_origin}/demo/cart")
    shown(page, "#cart-badge")  # the cart's own placement renders (and is cached)
    assert "cart-badge" in shells, "the cart's first render came with its shell"

    renders.clear()
    shells.clear()
    page.go_back()
    expect(shown(page, "#badge").get_by_test_id(BADGE_TEXT)).to_have_text(
        "Pay in 4 interest-free payments of £24.75"
    )
    # A real reload (Playwright turns the back/forward cache off), served by the frame's cache.
    assert page.evaluate("performance.getEntriesByType('navigation')[0].type") == "back_forward"
    page.go_forward()
    page.wait_for_load_state("load")
    page.wait_for_timeout(800)
    page.go_back()
    badge = shown(page, "#badge")
    page.wait_for_timeout(500)
    assert renders == []
    # Nor do the shells: this visit asked for those first renders already (createPaintMemory),
    # so the frames show them from their own cache (painted by the shell's boot script when
    # the frame is laid out before the cached bundle runs, else by the frame app).
    assert shells == []
    expect(badge.get_by_test_id(BADGE_TEXT)).to_have_text("Pay in 4 interest-free payments of £24.75")
