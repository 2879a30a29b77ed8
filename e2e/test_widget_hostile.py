"""Hostile pages: forged, replayed, misdirected, oversized and malformed messages change nothing."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import quote

import pytest
from playwright.sync_api import Frame, Page, expect

from e2e.conftest import FOREIGN_ORIGIN, FixturePages

pytestmark = pytest.mark.e2e

BADGE_TEXT = "onsite-badge-text"
IFRAME = "#badge iframe[data-onsite-frame]"
HEIGHT = f"document.querySelector('{IFRAME}').getBoundingClientRect().height"
OVERLAY = "iframe[data-onsite-interstitial]"
POST_TO_PARENT = "([nonce, rpc]) => parent.postMessage({ onsite: 1, nonce, rpc }, '*')"
AWAIT_ANSWER = """([nonce, rpc]) => new Promise((resolve) => {
  addEventListener('message', (event) => {
    if (event.data && event.data.rpc && event.data.rpc.id === rpc.id) resolve(event.data.rpc);
  });
  parent.postMessage({ onsite: 1, nonce, rpc }, '*');
})"""
POST_TO_FRAME = """([nonce, data]) => {
  const frame = document.querySelector('#badge iframe').contentWindow;
  frame.postMessage(data === undefined ? { onsite: 1, nonce } : data, '*');
}"""
ADD_IFRAME = """([id, src]) => {
  const iframe = document.createElement('iframe');
  iframe.id = id;
  iframe.src = src;
  document.body.appendChild(iframe);
}"""
CONTEXT = {
    "client_id": "demo",
    "placement_key": "credit-badge",
    "locale": "en-GB",
    "purchase_amount": 24900,
    "currency": "GBP",
    "session_id": "f" * 32,
    "theme": None,
}


def badge_frame(page: Page) -> Frame:
    frame = page.wait_for_selector(IFRAME, state="attached").content_frame()
    assert frame is not None
    expect(frame.get_by_test_id(BADGE_TEXT)).to_be_visible()
    page.wait_for_function(f"{HEIGHT} > 0")
    return frame


def nonce_of(page: Page) -> str:
    src = page.get_attribute(IFRAME, "src") or ""
    found = re.search(r"#nonce=([0-9a-f]{32})", src)
    assert found
    return found.group(1)


def named_frame(page: Page, selector: str) -> Frame:
    frame = page.wait_for_selector(selector).content_frame()
    assert frame is not None
    frame.wait_for_function("typeof window.forge === 'function'")
    return frame


def rpc(method: str, params: Any = None, request_id: Any = 1) -> dict[str, Any]:
    message: dict[str, Any] = {"jsonrpc": "2.0", "id": request_id, "method": method}
    if params is not None:
        message["params"] = params
    return message


FORGED_TO_LOADER = [
    rpc("frame.resize", {"height": 1_000_000_000}),
    rpc("interstitial.open", {"placement_key": "credit-badge"}),
    rpc("frame.hello", {"version": 1}),
    rpc("event", {"type": "click", "campaign_id": "forged"}),
    rpc("context.get"),
]


def test_forged_messages_from_foreign_frames_are_ignored(
    fixture_pages: FixturePages, page_problems: list[str]
) -> None:
    page = fixture_pages.open("hostileForgedMessages")
    badge = badge_frame(page)
    page.evaluate(
        """() => {
          window.__events = [];
          for (const type of ['click', 'open']) Onsite.on(type, (detail) => window.__events.push(detail));
        }"""
    )
    height = page.evaluate(HEIGHT)
    nonce = nonce_of(page)  # as if it had leaked: the checks must not rest on the nonce alone
    for selector in ("#foreign", "#sibling"):  # another site, and a frame on the widget's own origin
        forger = named_frame(page, selector)
        for message in FORGED_TO_LOADER:
            forger.evaluate("([nonce, rpc]) => forge(window.parent, nonce, rpc)", [nonce, message])
        # ... and to the badge frame, which only listens to its parent.
        forged = rpc("context.update", {"context": {**CONTEXT, "purchase_amount": 100_000}})
        forger.evaluate("([nonce, rpc]) => forge(window.parent.frames[0], nonce, rpc)", [nonce, forged])
    page.wait_for_timeout(700)
    assert page.evaluate(HEIGHT) == height
    assert page.locator(OVERLAY).count() == 0
    assert page.evaluate("window.__events") == []
    expect(badge.get_by_test_id(BADGE_TEXT)).to_have_text("Pay in 4 interest-free payments of £24.75")
    assert page_problems == []


def test_messages_from_the_right_window_but_a_wrong_origin_are_ignored(
    fixture_pages: FixturePages, page_problems: list[str]
) -> None:
    page = fixture_pages.open("hostileForgedMessages")
    badge_frame(page)
    height = page.evaluate(HEIGHT)
    nonce = nonce_of(page)
    # Something navigates the placement's own iframe to another site, which then speaks for it.
    page.evaluate(
        "(url) => { document.querySelector('#badge iframe').src = url; }",
        fixture_pages.url("hostileForger", FOREIGN_ORIGIN),
    )
    hijacked = page.frame_locator(IFRAME)
    expect(hijacked.locator("p")).to_contain_text("Forged messages")
    frame = page.wait_for_selector(IFRAME).content_frame()
    assert frame is not None
    for message in FORGED_TO_LOADER:
        frame.evaluate("([nonce, rpc]) => forge(window.parent, nonce, rpc)", [nonce, message])
    page.wait_for_timeout(700)
    assert page.evaluate(HEIGHT) == height
    assert page.locator(OVERLAY).count() == 0
    assert page_problems == []


def test_a_replayed_nonce_gets_nothing(fixture_pages: FixturePages, page_problems: list[str]) -> None:
    page = fixture_pages.open("hostileForgedMessages")
    badge = badge_frame(page)
    # A clone of the placement frame, same URL and so same nonce, added by a hostile script.
    page.evaluate(ADD_IFRAME, ["clone", page.get_attribute(IFRAME, "src")])
    clone = page.wait_for_selector("#clone").content_frame()
    assert clone is not None
    clone.wait_for_load_state("load")
    page.wait_for_timeout(1000)
    # Its hello is never answered, so it never goes live. Its shell may have painted the first
    # render its URL asked for (what this page could ask /rpc for anyway), but its paint is not
    # the loader's frame (event.source), it tracks nothing and its call to action opens nothing.
    assert clone.evaluate("performance.getEntriesByName('onsite:hello-answered').length") == 0
    assert clone.evaluate("performance.getEntriesByName('onsite:frame-shown').length") == 0
    clone.evaluate("document.querySelector('[data-testid=onsite-cta]').click()")
    page.wait_for_timeout(300)
    assert page.locator(OVERLAY).count() == 0

    # The genuine frame replaying its hello is refused: the handshake happens once.
    nonce = nonce_of(page)
    answer = badge.evaluate(AWAIT_ANSWER, [nonce, rpc("frame.hello", {"version": 1}, "replay")])
    assert answer["error"]["code"] == -32601
    # And after the placement is gone, its nonce opens nothing.
    page.evaluate("document.getElementById('badge').remove()")
    clone.evaluate(POST_TO_PARENT, [nonce, rpc("interstitial.open")])
    page.wait_for_timeout(500)
    assert page.locator(OVERLAY).count() == 0
    assert page_problems == []


def test_oversized_malformed_and_huge_resizes_are_dropped_or_clamped(
    fixture_pages: FixturePages, page_problems: list[str]
) -> None:
    page = fixture_pages.open("hostileForgedMessages")
    badge = badge_frame(page)
    nonce = nonce_of(page)
    height = page.evaluate(HEIGHT)
    # From the genuine frame's own window (a compromised frame): dropped before any handling.
    for message in [
        rpc("frame.resize", {"height": 500, "pad": "x" * 100_000}),
        "not an object",
        [rpc("frame.resize", {"height": 500})],
        {"jsonrpc": "1.0", "id": 1, "method": "frame.resize", "params": {"height": 500}},
        {"jsonrpc": "2.0", "id": {"nested": True}, "method": "frame.resize", "params": {"height": 500}},
        rpc("frame.resize", "500"),
        rpc("frame.resize", {"height": "500"}),
        rpc("frame.resize", {"height": None}),
        rpc("no.such.method", {}),
        rpc("__proto__", {}),
        rpc("constructor", {}),
    ]:
        badge.evaluate(POST_TO_PARENT, [nonce, message])
    badge.evaluate(
        """(nonce) => {
          const rpc = { jsonrpc: '2.0', id: 9, method: 'frame.resize', params: { height: 500 } };
          rpc.params.self = rpc;
          parent.postMessage({ onsite: 1, nonce, rpc }, '*');
        }""",
        nonce,
    )
    page.wait_for_timeout(500)
    assert page.evaluate(HEIGHT) == height

    # From the merchant page to the frame: oversized and malformed updates change nothing.
    for data in [
        {
            "onsite": 1,
            "nonce": nonce,
            "rpc": rpc("context.update", {"context": {**CONTEXT, "pad": "x" * 100_000}}),
        },
        {"onsite": 1, "nonce": nonce, "rpc": rpc("context.update", {"context": "x"})},
        {"onsite": 1, "nonce": "f" * 32, "rpc": rpc("context.update", {"context": CONTEXT})},
        {"onsite": "1", "nonce": nonce, "rpc": rpc("context.update", {"context": CONTEXT})},
        '{"onsite":1}',
        None,
    ]:
        page.evaluate(POST_TO_FRAME, [nonce, data])
    page.wait_for_timeout(500)
    expect(badge.get_by_test_id(BADGE_TEXT)).to_have_text("Pay in 4 interest-free payments of £24.75")

    # A resize of 10^9 px (and other absurd values) is clamped to [0, 600].
    for value, expected in [(1e9, 600), (-5, 0), (float("inf"), 600), (123.2, 124)]:
        badge.evaluate(POST_TO_PARENT, [nonce, rpc("frame.resize", {"height": value}, 7)])
        page.wait_for_function(f"{HEIGHT} === {expected}")
    # The widget keeps working: a price change still reaches the frame.
    page.evaluate("document.getElementById('badge').setAttribute('data-purchase-amount', '24900')")
    expect(badge.get_by_test_id(BADGE_TEXT)).to_have_text("Pay in 4 interest-free payments of £62.25")
    assert page_problems == []


def test_a_frame_told_of_a_foreign_origin_stays_silent(
    fixture_pages: FixturePages, page_problems: list[str]
) -> None:
    page = fixture_pages.open("hostileForgedMessages")
    badge_frame(page)
    src = page.get_attribute(IFRAME, "src") or ""
    lying = re.sub(r"&origin=[^&]+", "&origin=" + quote(FOREIGN_ORIGIN, safe=""), src)
    page.evaluate(ADD_IFRAME, ["lying", lying])
    lying_frame = page.wait_for_selector("#lying").content_frame()
    assert lying_frame is not None
    lying_frame.wait_for_load_state("load")
    page.wait_for_timeout(800)
    assert lying_frame.evaluate("document.getElementById('onsite-root').hidden") is True
    assert page_problems == []


def test_the_frame_refuses_to_be_embedded_by_a_site_the_merchant_did_not_allow(
    fixture_pages: FixturePages, page_problems: list[str]
) -> None:
    page = fixture_pages.page
    responses: list[Any] = []
    page.on("response", lambda r: "/frame/placement" in r.url and responses.append(r))
    # Served on the widget's own origin, which is not on the demo merchant's allow-list.
    page.goto(fixture_pages.url("foreignEmbed", fixture_pages.server.public_origin))
    page.wait_for_timeout(800)
    csp = responses[0].headers["content-security-policy"]
    assert f"frame-ancestors {fixture_pages.server.demo_origin}" in csp
    frame = page.wait_for_selector("#f").content_frame()
    # Blocked by frame-ancestors: the iframe holds an error page, never the widget.
    assert frame is None or frame.evaluate("!document.getElementById('onsite-root')")
    assert [p for p in page_problems if "frame-ancestors" not in p and "Refused to frame" not in p] == []
