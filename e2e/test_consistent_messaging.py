"""Consistent messaging across a visit: product page -> cart -> product page, then a new price."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from playwright.sync_api import Page, Response, expect

from e2e.conftest import LiveServer

pytestmark = pytest.mark.e2e

BADGE_TEXT = '[data-testid="onsite-badge-text"]'
US_VARIANTS = {"lead-pay-in-4": "Pay in 4 interest-free payments of", "lead-pay-later": "Buy now, pay"}


FIRST_RENDER = re.compile(r'<script type="application/json" id="onsite-first-render">(.*?)</script>', re.S)


def record_renders(page: Page) -> list[dict[str, Any]]:
    """Collect every placements.render result the frames receive: over /rpc, and the first
    renders their shells carry (a shell URL with ``render=``, bff/first_render.py)."""
    results: list[dict[str, Any]] = []

    def on_response(response: Response) -> None:
        if response.url.endswith("/rpc") and response.request.method == "POST":
            body = response.request.post_data_json
            if isinstance(body, dict) and body.get("method") == "placements.render":
                results.append(response.json().get("result") or {})
        elif "/frame/placement?" in response.url and "render=" in response.url:
            embedded = FIRST_RENDER.search(response.text())
            if embedded:
                results.append(json.loads(embedded.group(1))["result"])

    page.on("response", on_response)
    return results


def badge_text(page: Page, selector: str) -> Any:
    frame = page.wait_for_selector(f"{selector} iframe", state="attached").content_frame()
    assert frame is not None
    return frame.locator(BADGE_TEXT)


def test_lead_option_stays_the_same_through_the_visit(page: Page, live_server: LiveServer) -> None:
    renders = record_renders(page)
    page.goto(f"{live_server.demo_url}?market=en-US")
    first = badge_text(page, "#badge")
    expect(first).to_have_text(re.compile(r"\$"))
    for _ in range(100):  # the response event can trail the text the frame already shows
        if any(r.get("kind") == "badge" for r in renders):
            break
        page.wait_for_timeout(50)
    badge_renders = [r for r in renders if r.get("kind") == "badge"]
    variant = badge_renders[-1]["variant"]
    lead = badge_renders[-1]["lead_option"]
    expect(first).to_contain_text(US_VARIANTS[variant])

    page.goto(f"{live_server.demo_origin}/demo/cart?market=en-US")
    expect(badge_text(page, "#cart-badge")).to_contain_text(US_VARIANTS[variant])

    page.goto(f"{live_server.demo_url}?market=en-US")
    again = badge_text(page, "#badge")
    expect(again).to_contain_text(US_VARIANTS[variant])
    page.get_by_label("Walnut").check()
    expect(again).to_contain_text("$299.00" if variant == "lead-pay-later" else "$74.75")
    expect(again).to_contain_text(US_VARIANTS[variant])

    shown = [r for r in renders if r.get("kind") == "badge"]
    assert shown, "no render reached the server"
    assert {(r["campaign_id"], r["variant"], r["lead_option"]) for r in shown} == {
        ("us-lead-test", variant, lead)
    }
