"""A new merchant's whole journey, in Chromium and Firefox, through the console only.

An operator (admin) creates the merchant and its first user; that user signs in with the
set-up link shown once (its TOTP secret), allows the shop's origin, adds a market and a
placement, writes a two-variant campaign while the live preview follows the typing,
publishes it, copies the snippet from the install page, and the shop page, served from
the shop's own origin with exactly that snippet, shows the badge of the new campaign.
No Redis, no JSON, no code: what docs/merchants.md tells a merchant to do.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pyotp
import pytest
from playwright.sync_api import Page, expect

from e2e.conftest import LiveServer
from e2e.console_sign_in import sign_in_to_console
from e2e.loopback import free_port

pytestmark = pytest.mark.e2e

SHOP_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Acme chairs</title></head>
<body><h1>Oak chair</h1><p>£149.00</p>
{snippet}
</body></html>"""
PASSWORD = "merchant pass phrase 1"


class ShopServer:
    """The merchant's own site on its own origin (``http://localhost:<port>``): one page,
    whose body the test sets to the snippet the console gave."""

    def __init__(self) -> None:
        self.body = ""
        shop = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                page = SHOP_PAGE.format(snippet=shop.body).encode()
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(page)))
                self.end_headers()
                self.wfile.write(page)

            def log_message(self, *args: Any) -> None:
                pass

        self.port = free_port()
        self.server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self.origin = f"http://localhost:{self.port}"


@pytest.fixture
def shop() -> Iterator[ShopServer]:
    server = ShopServer()
    thread = threading.Thread(target=server.server.serve_forever, name="shop", daemon=True)
    thread.start()
    yield server
    server.server.shutdown()
    thread.join(10)


def badge_text(page: Page) -> Any:
    return page.frame_locator("[data-testid=preview-badge] iframe").locator("[data-testid=onsite-badge-text]")


def test_a_new_merchant_goes_live_from_the_console(
    engine_page: tuple[Page, list[str]], live_server: LiveServer, shop: ShopServer
) -> None:
    page, _warnings = engine_page
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    engine = page.context.browser.browser_type.name if page.context.browser else "x"
    client_id = f"acme-{engine}"
    console = f"{live_server.public_origin}/console"

    # 1. The operator creates the merchant and its first user (shown the set-up link once).
    sign_in_to_console(page, live_server, "admin", None)
    page.fill("#client_id", client_id)
    page.fill("#name", "Acme Chairs")
    page.get_by_role("button", name="Create merchant").click()
    expect(page.get_by_test_id("client-id")).to_have_text(client_id)
    page.goto(f"{console}/m/{client_id}/users")
    page.fill("#username", f"anna-{engine}")
    page.fill("#password", PASSWORD)
    page.get_by_test_id("new-user-form").get_by_role("button").click()
    uri = page.get_by_test_id("totp-uri").inner_text()
    secret = parse_qs(urlsplit(uri).query)["secret"][0]
    page.get_by_role("button", name="Sign out").click()

    # 2. The merchant signs in with it (an authenticator app would show this code).
    page.fill("#username", f"anna-{engine}")
    page.fill("#password", PASSWORD)
    page.fill("#code", pyotp.TOTP(secret).now())
    page.click("button[type=submit]")
    expect(page.get_by_test_id("console-merchant")).to_have_text("Acme Chairs")

    # 3. Settings: the shop's origin, a market, a placement.
    page.goto(f"{console}/m/{client_id}/settings")
    page.fill("#origins", shop.origin)
    page.fill("#market-0-country", "GB")
    page.fill("#market-0-locale", "en-GB")
    page.fill("#market-0-currency", "GBP")
    page.fill("#placement-0-key", "product-badge")
    page.select_option("#placement-0-type", "badge")
    page.get_by_test_id("settings-form").get_by_role("button", name="Save").click()
    expect(page.get_by_test_id("settings-saved")).to_contain_text("Saved as version")

    # 4. A two-variant campaign; the live preview follows the typing.
    page.goto(f"{console}/m/{client_id}/campaigns/new")
    form = page.locator("#campaign-form")
    form.locator("#id").fill("spring")
    form.locator("#name").fill("Spring sale")
    form.locator("#status-active").check()
    form.locator("#countries-GB").check()
    form.locator("#currency").select_option("GBP")
    form.locator("#amount_min").fill("30")
    form.locator("#amount_max").fill("2000")
    form.locator("#options-0-id").fill("pay_in_3")
    form.locator("#options-0-type").select_option("pay_in_n")
    form.locator("#options-0-term").fill("3")
    form.locator("#variants-0-id").fill("a")
    form.locator("#variants-0-weight").fill("50")
    form.locator("#variants-1-id").fill("b")
    form.locator("#variants-1-weight").fill("50")
    form.locator("#variants-0-copy-en-badge").fill("Acme A: {installments} payments of {installment}")
    form.locator("#variants-1-copy-en-badge").fill("Acme B: {installments} payments of {installment}")
    page.get_by_test_id("preview-amount").fill("149")
    expect(badge_text(page)).to_have_text(re.compile(r"^Acme [AB]: 3 payments of £49\.66$"))
    shown = badge_text(page).inner_text()[:6]  # the variant the preview's visit sees, kept while typing
    variant = "0" if shown == "Acme A" else "1"
    form.locator(f"#variants-{variant}-copy-en-badge").fill("Acme now: {installments} x {installment}")
    expect(badge_text(page)).to_have_text("Acme now: 3 x £49.66")
    form.locator(f"#variants-{variant}-copy-en-badge").fill(
        f"{shown}: {{installments}} payments of {{installment}}"
    )
    page.get_by_test_id("save-campaign").click()
    expect(page.get_by_test_id("campaign-saved")).to_contain_text("spring published")

    # 5. The install page's snippet, pasted into the shop's page as is.
    page.goto(f"{console}/m/{client_id}/install")
    script = page.get_by_test_id("snippet-script").inner_text()
    placements = page.get_by_test_id("snippet-placements").inner_text()
    assert f'data-client-id="{client_id}"' in script and 'data-key="product-badge"' in placements
    shop.body = (
        script + "\n" + placements.replace('data-purchase-amount="9900"', 'data-purchase-amount="14900"')
    )
    page.get_by_label("Page URL").fill(f"{shop.origin}/products/oak-chair")
    page.get_by_test_id("check-page").get_by_role("button", name="Check").click()
    expect(page.locator("[data-testid=check-results] [data-ok=true]")).to_have_count(5)
    expect(page.locator("[data-testid=check-results] [data-ok=false]")).to_have_count(0)

    # 6. The shop, on its own origin, shows the new campaign's badge.
    page.goto(f"{shop.origin}/products/oak-chair")
    badge = page.frame_locator("onsite-placement iframe").locator("[data-testid=onsite-badge-text]")
    expect(badge).to_have_text(re.compile(r"^Acme [AB]: 3 payments of £49\.66$"), timeout=15_000)
    expect(page.locator("onsite-placement")).to_have_attribute("data-onsite-state", "rendered")
    assert errors == [], errors
