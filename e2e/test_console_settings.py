"""An admin onboards a merchant in the console (Chromium and Firefox): settings, a key, the snippet.

Sign in, create a merchant, give it an origin, a market and a placement, make an API key
(shown once), and read the install page's snippet with the new client id.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from e2e.conftest import LiveServer
from e2e.console_sign_in import sign_in_to_console

pytestmark = pytest.mark.e2e


def test_onboard_a_merchant(engine_page: tuple[Page, list[str]], live_server: LiveServer) -> None:
    page, _warnings = engine_page
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    engine = page.context.browser.browser_type.name if page.context.browser else "x"
    client_id = f"e2e-chairs-{engine}"
    sign_in_to_console(page, live_server, role="admin", merchant=None)

    new = page.get_by_test_id("new-merchant")
    new.locator("#client_id").fill(client_id)
    new.locator("#name").fill("Nordic Chairs")
    new.locator("button[type=submit]").click()
    expect(page.get_by_test_id("client-id")).to_have_text(client_id)

    page.get_by_role("link", name="Settings", exact=True).click()
    form = page.get_by_test_id("settings-form")
    form.locator("#origins").fill("https://shop.example/")
    form.locator("#market-0-country").fill("GB")
    form.locator("#market-0-locale").fill("en-GB")
    form.locator("#market-0-currency").fill("GBP")
    form.locator("#placement-0-key").fill("product-badge")
    form.locator("#placement-0-type").select_option("badge")
    form.locator("button[type=submit]", has_text="Save").click()
    expect(page.get_by_test_id("settings-saved")).to_have_text("Saved as version 2.")
    expect(page.locator("#origins")).to_have_value("https://shop.example")

    page.get_by_role("link", name="Keys & identity").click()
    page.get_by_test_id("new-api-key").locator("#label").fill("shop server")
    page.get_by_test_id("new-api-key").locator("button[type=submit]").click()
    secret = page.get_by_test_id("secret-value").inner_text()
    assert re.fullmatch(r"osk_[A-Za-z0-9_-]{43}", secret)
    expect(page.get_by_test_id("new-secret")).to_contain_text("never shown again")
    page.get_by_role("link", name="Keys & identity").click()  # again: the secret is gone
    expect(page.get_by_test_id("api-keys")).to_contain_text("shop server")
    expect(page.get_by_test_id("new-secret")).to_have_count(0)
    assert secret not in page.content()

    page.get_by_role("link", name="Install").click()
    script = page.get_by_test_id("snippet-script").inner_text()
    assert script == (
        f'<script async src="{live_server.public_origin}/onsite.js" data-client-id="{client_id}"></script>'
    )
    expect(page.get_by_test_id("snippet-placements")).to_have_text(
        '<onsite-placement data-key="product-badge" data-purchase-amount="9900" data-locale="en-GB">'
        "</onsite-placement>"
    )
    check = page.get_by_test_id("check-page")
    check.locator("#url").fill("https://www.shop.example/chairs")
    check.locator("button[type=submit]").click()
    expect(page.locator('[data-check="origin_allowed"]')).to_have_attribute("data-ok", "false")
    expect(page.locator('[data-check="origin_allowed"]')).to_contain_text("but https://shop.example is")
    page.get_by_test_id("allow-origin").click()
    expect(page.get_by_test_id("install-notice")).to_contain_text(
        "https://www.shop.example is now an allowed origin"
    )
    assert errors == []
