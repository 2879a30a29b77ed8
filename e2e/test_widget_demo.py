"""The demo shop shows what merchants get: themes, analytics hooks and the CSP they need."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from e2e.conftest import LiveServer

pytestmark = pytest.mark.e2e


def test_demo_themes_hooks_and_csp_snippet(
    page: Page, live_server: LiveServer, page_problems: list[str]
) -> None:
    response = page.goto(live_server.demo_url)
    assert response is not None
    csp = response.headers["content-security-policy"]
    snippet = page.get_by_test_id("csp-snippet")
    origin = live_server.public_origin
    expect(snippet).to_have_text(f"Content-Security-Policy: script-src 'self' {origin}; frame-src {origin}")
    assert (
        f"script-src 'self' {live_server.public_origin}" in csp
        and f"frame-src {live_server.public_origin}" in csp
    )
    assert "unsafe" not in csp

    badge = page.frame_locator("#badge iframe")
    expect(badge.get_by_test_id("onsite-badge-text")).to_be_visible()
    page.get_by_label("Message theme").select_option("dark")
    expect(badge.locator("#onsite-root")).to_have_attribute("data-theme", "dark")
    page.get_by_label("Message theme").select_option("custom")
    expect(badge.locator("#onsite-root")).to_have_attribute("data-theme", "custom")
    expect(badge.get_by_test_id("onsite-cta")).to_have_css("color", "rgb(45, 91, 74)")

    # The shop's Onsite.on() hooks, queued before the loader arrived, log an impression.
    expect(page.get_by_test_id("event-log")).to_contain_text("impression · credit-badge", timeout=10000)
    assert page_problems == []
