"""The widget's behaviour in every engine and device: a price change, placements added and
removed by a single-page app, the consent toggle, the interstitial opening and closing,
and a slow and a dead BFF, after which the merchant's page still works and has seen no
error. Faults are injected by the QA server, the same for every engine."""

from __future__ import annotations

import time

from e2e.qa.browser_tab import BrowserTab, wait_until
from e2e.qa.matrix import BEHAVIOUR_LOCALE, LOCALES
from e2e.qa.server import QaServer
from e2e.qa.shots import OVERLAY, VISIBLE_CTA, open_interstitial, wait_for_placement

BADGE_TEXT = "() => document.querySelector('[data-testid=onsite-badge-text]').textContent"
TEXT_CONTAINS = "(s) => document.querySelector('[data-testid=onsite-badge-text]').textContent.includes(s)"
ERRORS = "() => window.__qa.errors"
EVENT_TYPES = "() => window.__qa.events.map((e) => e.type)"
SET_AMOUNT = "([sel, amount]) => document.querySelector(sel).setAttribute('data-purchase-amount', amount)"
ADD_PLACEMENT = """([id, amount]) => {
  const el = document.createElement('onsite-placement');
  el.id = id;
  el.setAttribute('data-key', 'credit-badge');
  el.setAttribute('data-purchase-amount', amount);
  el.setAttribute('data-locale', 'en-GB');
  document.getElementById('app').appendChild(el);
}"""
FRAME_COUNT = "() => document.querySelectorAll('iframe[data-onsite-frame]').length"
CLICK_HOST_BUTTON = "() => { document.getElementById('host-button').click(); return window.__qa.clicks; }"
HELLO_TIMEOUT_S = 10  # the loader gives a silent frame this long (docs/widget.md)


def open_page(tab: BrowserTab, server: QaServer, **query: str) -> None:
    amount = str(LOCALES[BEHAVIOUR_LOCALE].amount)
    tab.goto(server.page_url("placements", locale=BEHAVIOUR_LOCALE, amount=amount, **query))


def assert_no_errors(tab: BrowserTab) -> None:
    assert tab.page.evaluate(ERRORS) == []
    assert tab.problems == []


def test_a_price_change_reaches_the_same_frame(tab: BrowserTab, qa_server: QaServer) -> None:
    open_page(tab, qa_server)
    badge = wait_for_placement(tab, "#badge")
    assert "£24.75" in badge.evaluate(BADGE_TEXT)
    tab.page.evaluate("() => { window.__frame = document.querySelector('#badge iframe'); }")

    tab.page.evaluate(SET_AMOUNT, ["#badge", "24900"])
    wait_until(badge, TEXT_CONTAINS, "£62.25")
    assert tab.page.evaluate("() => window.__frame === document.querySelector('#badge iframe')")
    assert_no_errors(tab)


def test_placements_added_and_removed_by_a_single_page_app(tab: BrowserTab, qa_server: QaServer) -> None:
    open_page(tab, qa_server)
    wait_for_placement(tab, "#badge")
    before = tab.page.evaluate(FRAME_COUNT)

    tab.page.evaluate(ADD_PLACEMENT, ["spa", "12900"])
    added = wait_for_placement(tab, "#spa")
    assert "£32.25" in added.evaluate(BADGE_TEXT)
    assert tab.page.evaluate(FRAME_COUNT) == before + 1

    tab.page.evaluate("() => document.getElementById('spa').remove()")
    wait_until(tab.page, f"() => ({FRAME_COUNT})() === {before}")
    assert_no_errors(tab)


def test_consent_toggle_personalises_and_back(tab: BrowserTab, qa_server: QaServer) -> None:
    """demo-anna has a profile: with consent the badge greets her, without it it is generic again."""
    open_page(tab, qa_server)
    badge = wait_for_placement(tab, "#badge")
    assert "Anna" not in badge.evaluate(BADGE_TEXT)
    qa_server.requests.clear()

    token = qa_server.customer_token("demo-anna")
    frames = tab.page.evaluate(BADGE_FRAMES)  # the page has two credit-badge placements
    tab.page.evaluate("(token) => { Onsite.identify(token); Onsite.consent(true); }", token)
    wait_until(badge, TEXT_CONTAINS, "Anna")
    _wait_for_renders(qa_server, frames, consent=True, token=token)

    qa_server.requests.clear()
    frames = tab.page.evaluate(BADGE_FRAMES)
    tab.page.evaluate("() => Onsite.consent(false)")
    wait_until(badge, f"() => !({TEXT_CONTAINS})('Anna')")
    _wait_for_renders(qa_server, frames, consent=False, token=None)
    assert_no_errors(tab)


BADGE_FRAMES = "() => document.querySelectorAll('onsite-placement[data-key=\"credit-badge\"] iframe').length"


def _wait_for_renders(server: QaServer, frames: int, consent: bool, token: str | None) -> None:
    """Each of the page's ``frames`` credit-badge frames sent a placements.render with this
    consent (and customer_token only with consent) to the server, and no render said
    otherwise. Waiting for all of them: a frame answering late must not land in the next
    step's count."""
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        renders = [r for r in server.requests.renders() if r.get("placement_key") == "credit-badge"]
        for params in renders:
            assert params.get("consent") == {"personalization": consent}, params
            assert params.get("customer_token") == token, params
        if len(renders) >= frames:
            return
        time.sleep(0.1)
    raise AssertionError(f"not every frame's placements.render with consent={consent} reached the server")


def test_the_interstitial_opens_and_closes(tab: BrowserTab, qa_server: QaServer) -> None:
    open_page(tab, qa_server)
    overlay = open_interstitial(tab)
    assert (
        overlay.evaluate("() => document.querySelector('[role=dialog]').getAttribute('aria-modal')") == "true"
    )
    wait_until(tab.page, f"() => ({EVENT_TYPES})().includes('open')")

    overlay.click("[data-testid=onsite-close]")
    wait_until(tab.page, f"() => !document.querySelector('{OVERLAY}')")
    wait_until(tab.page, f"() => ({EVENT_TYPES})().includes('close')")

    # Again, closed with Escape this time: it opens every time.
    overlay = open_interstitial(tab)
    tab.press("Escape")
    wait_until(tab.page, f"() => !document.querySelector('{OVERLAY}')")
    assert tab.page.evaluate("() => getComputedStyle(document.documentElement).overflow") != "hidden"
    assert_no_errors(tab)


def test_a_slow_bff_never_holds_up_the_page(tab: BrowserTab, qa_server: QaServer) -> None:
    """Every response of the widget's origin takes 1.5 s more: the page is usable at once."""
    qa_server.faults.set(slow_s=1.5)
    open_page(tab, qa_server)
    dom_ready_ms = tab.page.evaluate(
        "() => performance.getEntriesByType('navigation')[0].domContentLoadedEventEnd"
    )
    assert dom_ready_ms < 1500, f"the async loader held up DOMContentLoaded: {dom_ready_ms} ms"
    assert tab.page.evaluate(CLICK_HOST_BUTTON) == 1
    ticks = tab.page.evaluate("() => window.__qa.ticks")

    frame = wait_for_placement(tab, "#badge")  # arrives, late
    assert "£24.75" in frame.evaluate(BADGE_TEXT)
    assert tab.page.evaluate("() => window.__qa.ticks") > ticks  # the page's own timers kept running
    frame.click(VISIBLE_CTA)  # and the slow interstitial still opens
    wait_until(tab.page, f"() => !!document.querySelector('{OVERLAY}')")
    assert_no_errors(tab)


def test_a_dead_bff_leaves_the_page_working(tab: BrowserTab, qa_server: QaServer) -> None:
    # Down from the start: the loader's own request is refused.
    open_page(tab, qa_server, loader="dead")
    assert tab.page.evaluate(CLICK_HOST_BUTTON) == 1
    time.sleep(1)
    assert tab.page.evaluate("() => document.querySelectorAll('iframe').length") == 0
    assert_no_errors(tab)

    # Down after the loader arrived: every frame and RPC request gets 503.
    qa_server.faults.set(dead=True, spared=("/onsite.js",))
    open_page(tab, qa_server)
    assert tab.page.evaluate(CLICK_HOST_BUTTON) == 1
    wait_until(
        tab.page,
        "() => [...document.querySelectorAll('iframe[data-onsite-frame]')].every("
        "(f) => f.getAttribute('data-onsite-state') === 'failed' && f.getBoundingClientRect().height === 0)",
        timeout_s=HELLO_TIMEOUT_S + 5,
    )
    assert tab.page.evaluate("() => document.querySelectorAll('iframe[data-onsite-frame]').length") == 3
    assert tab.page.evaluate(CLICK_HOST_BUTTON) == 2
    assert_no_errors(tab)
