"""The console is accessible (Chromium and Firefox): axe-core finds no serious or critical
violation on any console page, and the campaign editor works from the keyboard.

One signed-in admin visits every page: sign-in, the merchant list, a merchant's overview,
settings, keys (and the page showing a new API key's secret once), users, install,
campaigns, the new-campaign form (also with its problems shown), the editor once its
live preview frames have rendered, and the locale grid. axe runs on the page's own
document (``iframes: false``): the preview frames are the widget's, which the QA matrix
checks (e2e/qa/test_accessibility.py).
"""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from e2e.conftest import LiveServer
from e2e.console_sign_in import sign_in_to_console
from e2e.qa.axe import axe_violations
from e2e.qa.playwright_tab import PlaywrightScope

pytestmark = pytest.mark.e2e

CAMPAIGN = "gb-pay-in-4"
TIMEOUT_MS = 15_000
FIRST_FIELD = "#id"  # the campaign editor's first field: the campaign id
FOCUSED_ID = "() => document.activeElement && document.activeElement.id"


def _axe(page: Page, name: str, found: dict[str, list[dict[str, Any]]]) -> None:
    """Run axe on ``page``'s document and record its blocking violations under ``name``."""
    expect(page.locator("main")).to_be_visible()
    violations = axe_violations(PlaywrightScope(page, None, name))
    if violations:
        found[name] = violations


def _describe(found: dict[str, list[dict[str, Any]]]) -> str:
    return "\n".join(
        f"{name}: {v['impact']} {v['id']} ({v['help']}) at {', '.join(v['nodes'])}"
        for name, violations in found.items()
        for v in violations
    )


def test_axe_finds_nothing_serious_on_any_console_page(
    engine_page: tuple[Page, list[str]], live_server: LiveServer
) -> None:
    page, _warnings = engine_page
    console = f"{live_server.public_origin}/console"
    merchant = f"{console}/m/demo"
    found: dict[str, list[dict[str, Any]]] = {}

    page.goto(f"{console}/login")
    _axe(page, "login", found)
    sign_in_to_console(page, live_server, role="admin", merchant=None)
    _axe(page, "merchant list", found)
    for name, path in [
        ("overview", ""),
        ("settings", "/settings"),
        ("keys", "/keys"),
        ("users", "/users"),
        ("install", "/install"),
        ("campaigns", "/campaigns"),
        ("new campaign", "/campaigns/new"),
    ]:
        page.goto(merchant + path)
        _axe(page, name, found)

    page.get_by_test_id("save-campaign").click()  # an empty form: its problems shown
    expect(page.get_by_test_id("problem-summary")).to_be_visible()
    _axe(page, "new campaign, problems shown", found)

    page.goto(f"{merchant}/keys")
    page.get_by_test_id("new-api-key").locator("#label").fill("axe check")
    page.get_by_test_id("new-api-key").locator("button[type=submit]").click()
    expect(page.get_by_test_id("secret-value")).to_be_visible()
    _axe(page, "keys, new secret shown", found)

    page.goto(f"{merchant}/campaigns/{CAMPAIGN}/edit")
    badge = page.frame_locator("[data-testid=preview-badge] iframe").get_by_test_id("onsite-badge-text")
    expect(badge).not_to_be_empty(timeout=TIMEOUT_MS)
    _axe(page, "campaign editor with live preview", found)

    page.goto(f"{merchant}/campaigns/{CAMPAIGN}/grid")
    gb = page.locator("[data-testid=grid-cell][data-locale=en-GB]").frame_locator("iframe")
    expect(gb.get_by_test_id("onsite-badge-text")).not_to_be_empty(timeout=TIMEOUT_MS)
    _axe(page, "locale grid", found)

    assert not found, "axe: serious or critical violations\n" + _describe(found)


def test_the_campaign_editor_works_from_the_keyboard(
    engine_page: tuple[Page, list[str]], live_server: LiveServer
) -> None:
    """Tab reaches the first field; each link of the problem summary moves the focus to its field."""
    page, _warnings = engine_page
    sign_in_to_console(page, live_server)
    page.goto(f"{live_server.public_origin}/console/m/demo/campaigns/new")
    for _ in range(30):
        page.keyboard.press("Tab")
        if page.evaluate(FOCUSED_ID) == FIRST_FIELD.removeprefix("#"):
            break
    else:
        raise AssertionError(f"Tab never reached {FIRST_FIELD}")

    page.get_by_test_id("save-campaign").click()
    links = page.get_by_test_id("problem-summary").locator("a")
    expect(links.first).to_be_visible()
    assert links.count() > 0
    for i in range(links.count()):
        target = str(links.nth(i).get_attribute("href")).removeprefix("#")
        links.nth(i).focus()
        page.keyboard.press("Enter")
        focused = page.evaluate(
            "(id) => { const t = document.getElementById(id); const a = document.activeElement;"
            " return !!t && !!a && a !== document.body && (t === a || t.contains(a)); }",
            target,
        )
        assert focused, f"the summary link to #{target} left the focus on {page.evaluate(FOCUSED_ID)!r}"
