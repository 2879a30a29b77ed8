"""When a placement shows nothing, the merchant learns why: one console warning per cause,
``data-onsite-state``/``data-onsite-reason`` on the placement and an ``Onsite.on`` event; in
Chromium and Firefox (Debian's firefox-esr over WebDriver BiDi, as e2e/qa drives it).

Origin not allowed: the page is served on the frames' own origin (127.0.0.1), which the
demo merchant does not allow. FOREIGN_ORIGIN cannot be used here: Chromium's local network
access checks keep a page Playwright fulfils from loading our loopback loader.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlencode

import pytest
from playwright.sync_api import Page, expect

from bff.assets import STATIC_DIR
from e2e.conftest import LiveServer
from e2e.loopback import free_port

pytestmark = pytest.mark.e2e

PLACEMENT = "#badge"
OUTCOME_TIMEOUT_S = 12


class _LoaderOnly(BaseHTTPRequestHandler):
    """A BFF that serves its loader and then fails everything else (frames, checks)."""

    def do_GET(self) -> None:
        if self.path.split("?", 1)[0] != "/onsite.js":
            self.send_error(503)
            return
        body = (STATIC_DIR / "onsite.js").read_bytes()
        self.send_response(200)
        self.send_header("Content-Type", "text/javascript")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def dead_bff() -> Iterator[str]:
    """The origin of a BFF whose loader loads but whose frames and checks answer 503."""
    server = ThreadingHTTPServer(("127.0.0.1", free_port()), _LoaderOnly)
    thread = threading.Thread(target=server.serve_forever, name="dead-bff", daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    thread.join(5)


def open_no_show(page: Page, origin: str, **query: str) -> None:
    page.goto(f"{origin}/e2e/noShow.html?{urlencode(query)}")


def outcomes(page: Page) -> list[dict[str, Any]]:
    deadline = time.monotonic() + OUTCOME_TIMEOUT_S
    while time.monotonic() < deadline:
        found: list[dict[str, Any]] = page.evaluate("window.outcomes")
        if found:
            return found
        time.sleep(0.1)
    raise AssertionError("no outcome event")


def assert_reported(page: Page, warnings: list[str], state: str, reason: str, words: str) -> None:
    [event] = outcomes(page)
    assert event["type"] == state and event["reason"] == reason, event
    assert set(event) <= {"type", "reason", "placement_key", "purchase_amount", "currency", "locale"}
    expect(page.locator(PLACEMENT)).to_have_attribute("data-onsite-state", state)
    expect(page.locator(PLACEMENT)).to_have_attribute("data-onsite-reason", reason)
    mine = [w for w in warnings if w.startswith("[onsite]")]
    assert mine == [f"[onsite] {reason}: {words}"], warnings
    assert page.locator("[data-onsite-debug]").count() == 0


def test_unknown_client_id(engine_page: tuple[Page, list[str]], live_server: LiveServer) -> None:
    page, warnings = engine_page
    open_no_show(page, live_server.demo_origin, client="nosuchshop")
    assert_reported(page, warnings, "failed", "unknown_client", 'check data-client-id="nosuchshop"')


def test_origin_not_allowed(engine_page: tuple[Page, list[str]], live_server: LiveServer) -> None:
    page, warnings = engine_page
    origin = live_server.public_origin
    open_no_show(page, origin)
    # The BFF's origin is the page's here (see the module docstring).
    where = f"allow {origin} in {origin}/console/m/demo/settings"
    assert_reported(page, warnings, "failed", "origin_not_allowed", where)


def test_no_campaign_for_the_locale(engine_page: tuple[Page, list[str]], live_server: LiveServer) -> None:
    page, warnings = engine_page
    open_no_show(page, live_server.demo_origin, locale="ja-JP")
    # The merchant sells in no market of that locale: empty, with the reason and the locale.
    assert_reported(page, warnings, "empty", "no_market_for_locale", "credit-badge ja-JP 9900")


def test_amount_out_of_range(engine_page: tuple[Page, list[str]], live_server: LiveServer) -> None:
    page, warnings = engine_page
    open_no_show(page, live_server.demo_origin, amount="1900")
    # Below every campaign's range, and the amount is all that stands in the way: named so.
    assert_reported(page, warnings, "empty", "outside_amount_range", "credit-badge en-GB 1900")


def test_bff_unreachable(engine_page: tuple[Page, list[str]], live_server: LiveServer, dead_bff: str) -> None:
    page, warnings = engine_page
    open_no_show(page, live_server.demo_origin, bff=dead_bff)
    assert_reported(page, warnings, "failed", "bff_unreachable", f"{dead_bff} did not answer")


def test_a_shown_badge_is_reported_rendered_without_a_warning(
    engine_page: tuple[Page, list[str]], live_server: LiveServer
) -> None:
    page, warnings = engine_page
    open_no_show(page, live_server.demo_origin)
    [event] = outcomes(page)
    assert event["type"] == "rendered" and "reason" not in event
    expect(page.locator(PLACEMENT)).to_have_attribute("data-onsite-state", "rendered")
    assert not [w for w in warnings if w.startswith("[onsite]")]


def test_debug_flag_draws_the_reason_over_the_placement(page: Page, live_server: LiveServer) -> None:
    open_no_show(page, live_server.demo_origin, amount="1900", **{"onsite-debug": "1"})
    label = page.locator("[data-onsite-debug] [data-onsite-debug-label]")
    expect(label).to_have_text("onsite: empty outside_amount_range: credit-badge en-GB 1900")
    layer = page.locator("[data-onsite-debug]")
    assert layer.get_attribute("aria-hidden") == "true"
    assert layer.evaluate("(el) => el.inert && getComputedStyle(el).pointerEvents === 'none'")
    # Drawn over the page, out of the flow: the placement keeps its 0 px.
    assert page.locator("#badge").evaluate("(el) => el.getBoundingClientRect().height") == 0
