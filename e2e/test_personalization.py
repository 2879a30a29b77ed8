"""Personalization in a real browser: consent gates the profile, and hostile profile values stay text."""

from __future__ import annotations

import re
import time
from typing import Any
from urllib.parse import urlsplit

import jwt
import pytest
from playwright.sync_api import Frame, Page, expect

from bff.identity import tokens

pytestmark = pytest.mark.e2e

BADGE_TEXT = "onsite-badge-text"
HOSTILE_NAME = "<img src=x onerror=alert(1)>{{7*7}}"


def frame_of(page: Page, selector: str) -> Frame:
    frame = page.wait_for_selector(f"{selector} iframe", state="attached").content_frame()
    assert frame is not None
    return frame


def test_hostile_profile_values_render_as_text(fixture_pages: Any) -> None:
    page: Page = fixture_pages.page
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    fixture_pages.open("personalizedHostileProfile")
    frame = frame_of(page, "#badge")
    badge = frame.get_by_test_id(BADGE_TEXT)
    expect(badge).to_contain_text(f"Hi {HOSTILE_NAME}!")
    assert frame.locator("img").count() == 0, "the name's markup must not become an element"
    assert "49" not in badge.inner_text(), "template syntax in a name is never evaluated"

    frame.get_by_role("button", name=re.compile("Learn more")).click()
    dialog = page.frame_locator("iframe[data-onsite-interstitial]").get_by_test_id("onsite-dialog")
    expect(dialog).to_be_visible()
    expect(dialog.get_by_test_id("onsite-greeting")).to_have_text(f"Hi {HOSTILE_NAME}!")
    expect(dialog.get_by_test_id("onsite-delivery")).to_contain_text("Delivery to <script>alert(2)</script>")
    assert dialog.locator("img, script").count() == 0
    page.wait_for_timeout(500)
    assert dialogs == [], "no script ran"


def test_consent_given_later_personalizes_and_is_recorded(fixture_pages: Any) -> None:
    page: Page = fixture_pages.page
    consent_calls: list[dict[str, Any]] = []
    paths: list[str] = []  # where they went: the collect endpoint (its own pool behind a proxy)

    def on_request(request: Any) -> None:
        body = request.post_data_json if "/rpc" in request.url and request.method == "POST" else None
        if isinstance(body, dict) and body.get("method") == "consent.update":
            consent_calls.append(body["params"])
            paths.append(urlsplit(request.url).path)

    page.on("request", on_request)
    fixture_pages.open("consentLater")
    badge = frame_of(page, "#badge").get_by_test_id(BADGE_TEXT)
    expect(badge).to_have_text("Pay in 4 interest-free payments of £24.75")  # identified, but no consent yet
    page.evaluate("window.Onsite.consent({personalization: true})")
    # Greeted by name; the lead option stays the visit's (consistent messaging), even
    # though her profile prefers paying later.
    expect(badge).to_have_text("Hi Anna! Pay in 4 interest-free payments of £24.75")
    page.evaluate("window.Onsite.consent({personalization: false})")
    expect(badge).to_have_text("Pay in 4 interest-free payments of £24.75")
    page.wait_for_timeout(300)
    subjects = [
        jwt.decode(c["customer_token"], options={"verify_signature": False})["sub"] for c in consent_calls
    ]
    assert [c["personalization"] for c in consent_calls] == [True, False]
    assert paths == ["/rpc/collect", "/rpc/collect"]
    assert subjects == ["demo-anna", "demo-anna"]  # the shop's token, sent with the grant and the withdrawal


def test_the_demo_shop_signs_a_shopper_in_and_a_forged_token_is_refused(page: Page, live_server: Any) -> None:
    # Lars: Anna withdrew her consent in the test above, which her stored profile now records.
    page.goto(live_server.demo_url + "?shopper=demo-lars")
    badge = frame_of(page, "#badge").get_by_test_id(BADGE_TEXT)
    expect(badge).to_contain_text("Hi Lars!")
    forged = tokens.sign("osi_" + "A" * 43, "demo", "demo-xss", int(time.time()))
    page.evaluate("(token) => window.Onsite.identify(token)", forged)
    expect(badge).to_have_text(re.compile(r"^(?!Hi ).+"))  # no greeting: neither Lars's nor the forged one's
